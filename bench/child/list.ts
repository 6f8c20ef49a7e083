/**
 * Bench 4 child: one database (TEST_DB=sqlite|postgres) holding many publication rows; times the
 * list through the service and through the admin route, and explains (and times) the SQL it runs.
 *
 * BENCH_INDEXES changes the `indexes` the publication schema declares, in memory before Strapi reads
 * it, so Strapi's own schema sync creates them (proof that the schema key is honoured):
 *   unset / "shipped"  the schema as shipped;  "none"  no declared indexes;
 *   a JSON array       that list instead, e.g. [{"name":"…","columns":["status","platform","updated_at","id"]}].
 * BENCH_TRGM=1 (PostgreSQL) also creates a pg_trgm GIN index on lower(title) after seeding.
 */
import path from 'node:path';
import { serve } from './rpc';
import { bootApp, http, PUBLICATION_UID, type BenchApp } from './app';

let b: BenchApp | undefined;
const ROOT = path.resolve(__dirname, '..', '..');
const client = () => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

const PLATFORMS: Array<[string, number]> = [['devto', 0.45], ['hashnode', 0.35], ['medium', 0.2]];
const STATUSES: Array<[string, number]> = [
  ['published', 0.7], ['unpublished', 0.06], ['failed', 0.06], ['canceled', 0.04], ['queued', 0.04], ['outdated', 0.03],
  ['retrying', 0.02], ['unconfirmed', 0.02], ['pending', 0.02], ['processing', 0.01],
];
const TOPICS = ['Kubernetes', 'TypeScript', 'PostgreSQL', 'Redis', 'GraphQL', 'React', 'Strapi', 'Docker', 'Rust', 'Go', 'Node.js', 'Terraform', 'Kafka', 'Python', 'CSS', 'WebAssembly', 'Linux', 'Git', 'AWS', 'SQLite'];
const FORMS = ['Getting started with {t}', 'What I learned running {t} in production', '{t} tips for busy teams', 'Debugging {t}: a field guide', 'Why we moved to {t}', '{t} and {u}: a practical comparison', 'Ten {t} mistakes', 'Scaling {t} to a million users', 'A gentle introduction to {t}', '{t} performance deep dive'];

/** Deterministic pseudo-random numbers (the same data on every run and database). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const pick = <T>(r: number, table: Array<[T, number]>): T => {
  let acc = 0;
  for (const [v, p] of table) if ((acc += p) > r) return v;
  return table[table.length - 1][0];
};

function replaceIndexes(indexes: unknown[] | undefined): void {
  // The module Strapi will load for the plugin (strapi-server.js → dist/server): same object, same cache.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(path.join(ROOT, 'dist', 'server', 'index.js'));
  const def = mod.default ?? mod;
  for (const ct of Object.values(def.contentTypes as Record<string, { schema: { collectionName?: string; indexes?: unknown } }>)) {
    if (ct.schema.collectionName !== 'crosspost_publications') continue;
    if (indexes) ct.schema.indexes = indexes;
    else delete ct.schema.indexes;
  }
}

async function tableIndexes(): Promise<string[]> {
  const knex = b!.strapi.db.connection;
  if (client() === 'postgres') {
    const res = await knex.raw(`select indexdef from pg_indexes where tablename = 'crosspost_publications' order by indexname`);
    return res.rows.map((r: { indexdef: string }) => r.indexdef.replace(/ ON public\./, ' ON '));
  }
  const rows = await knex.raw(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'crosspost_publications' order by name`);
  return rows.map((r: { name: string; sql: string | null }) => r.sql ?? `${r.name} (automatic)`);
}

serve(
  {
    async setup() {
      const spec = process.env.BENCH_INDEXES ?? 'shipped';
      if (spec === 'shipped') b = await bootApp({ withAuth: true });
      else b = await bootApp({ withAuth: true, beforeLoad: () => replaceIndexes(spec === 'none' ? undefined : JSON.parse(spec)) });
      return { pid: process.pid, client: client(), baseUrl: b.baseUrl, indexes: await tableIndexes() };
    },

    /** Inserts `rows` publication rows with realistic variety, in chunks, straight through knex. */
    async seed({ rows }: { rows: number }) {
      if (!b) throw new Error('setup first');
      const strapi = b.strapi;
      const knex = strapi.db.connection;
      const meta = strapi.db.metadata.get(PUBLICATION_UID);
      const col = (attr: string) => (meta.attributes[attr] as { columnName?: string } | undefined)?.columnName ?? attr;
      const has = (attr: string) => Boolean(meta.attributes[attr]);
      const rand = rng(42);
      const now = Date.now();
      const t0 = Date.now();
      const chunk = 500;
      const docsPerEntry = 3;
      const insertAll = async (trx: typeof knex) => {
        for (let start = 0; start < rows; start += chunk) {
          const batch: Record<string, unknown>[] = [];
          for (let i = start; i < Math.min(rows, start + chunk); i++) {
            const entry = Math.floor(i / docsPerEntry);
            const platform = pick(rand(), PLATFORMS);
            const status = pick(rand(), STATUSES);
            const t = TOPICS[Math.floor(rand() * TOPICS.length)];
            const u = TOPICS[Math.floor(rand() * TOPICS.length)];
            const title = `${FORMS[Math.floor(rand() * FORMS.length)].replace('{t}', t).replace('{u}', u)} (part ${1 + (entry % 7)})`;
            const created = new Date(now - Math.floor(rand() * 365 * 86400000));
            const updated = new Date(Math.min(now, created.getTime() + Math.floor(rand() * 30 * 86400000)));
            const live = status === 'published' || status === 'outdated';
            const row: Record<string, unknown> = {
              documentId: `bench${String(i).padStart(19, '0')}`,
              uniqueKey: `api::article.article|doc${entry}||${platform}#${i}`,
              targetUid: 'api::article.article',
              targetDocumentId: `doc${String(entry).padStart(20, '0')}`,
              targetLocale: '',
              platform,
              status,
              desired: status === 'unpublished' ? 'unpublished' : 'published',
              title,
              remoteId: live ? String(1_000_000 + i) : null,
              remoteUrl: live ? `https://example.com/${platform}/${i}` : null,
              remoteState: live ? 'published' : 'none',
              payloadHash: `h${i}`,
              syncedHash: live ? `h${i}` : null,
              jobSeq: 1 + Math.floor(rand() * 3),
              attempts: status === 'failed' ? 5 : 0,
              needsLookup: false,
              lastError: status === 'failed' ? 'DEV rejected the article: Body markdown has already been taken.' : null,
              lastErrorKind: status === 'failed' ? 'permanent' : null,
              lastSyncedAt: live ? updated : null,
              createdAt: created,
              updatedAt: updated,
              publishedAt: created,
            };
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(row)) if (has(k)) out[col(k)] = v instanceof Date && client() === 'sqlite' ? v.getTime() : v;
            batch.push(out);
          }
          await trx('crosspost_publications').insert(batch);
        }
      };
      await knex.transaction(async (trx) => insertAll(trx as unknown as typeof knex));
      if (client() === 'postgres' && process.env.BENCH_TRGM === '1') {
        await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        await knex.raw('CREATE INDEX IF NOT EXISTS crosspost_publications_title_trgm ON crosspost_publications USING gin (lower(title::text) gin_trgm_ops)');
      }
      if (client() === 'postgres') await knex.raw('VACUUM ANALYZE crosspost_publications');
      const count = await knex('crosspost_publications').count({ n: '*' });
      return { rows: Number((count[0] as { n: number | string }).n), seconds: (Date.now() - t0) / 1000, indexes: await tableIndexes() };
    },

    /**
     * Attempt rows for the stats route (bench stats-latency): one create per publication at its
     * creation time and, for about half, an update at its update time; failed rows end on a permanent
     * error, a few calls are retryable or rate-limited. Durations 150–2,000 ms. Bulk-inserted with knex.
     */
    async seedAttempts() {
      if (!b) throw new Error('setup first');
      const strapi = b.strapi;
      const knex = strapi.db.connection;
      const meta = strapi.db.metadata.get('plugin::crosspost.attempt');
      const col = (attr: string) => (meta.attributes[attr] as { columnName?: string } | undefined)?.columnName ?? attr;
      const has = (attr: string) => Boolean(meta.attributes[attr]);
      const rand = rng(7);
      const t0 = Date.now();
      const toDate = (v: unknown) => new Date(typeof v === 'number' || typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | Date));
      const pubs = (await knex('crosspost_publications').select('id', 'platform', 'status', 'created_at', 'updated_at').orderBy('id')) as Array<{ id: number; platform: string; status: string; created_at: unknown; updated_at: unknown }>;
      let n = 0;
      let seq = 0;
      const mk = (p: (typeof pubs)[number], operation: string, outcome: string, at: Date, message: string | null) => {
        seq++;
        const row: Record<string, unknown> = {
          documentId: `batt${String(seq).padStart(20, '0')}`,
          publicationId: p.id,
          platform: p.platform,
          operation,
          outcome,
          httpStatus: outcome === 'success' ? (operation === 'create' ? 201 : 200) : outcome === 'rate-limited' ? 429 : outcome === 'permanent' ? 422 : 503,
          durationMs: 150 + Math.floor(rand() * rand() * 1850),
          message,
          jobSeq: 1,
          createdAt: at,
          updatedAt: at,
          publishedAt: at,
        };
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) if (has(k)) out[col(k)] = v instanceof Date && client() === 'sqlite' ? v.getTime() : v;
        return out;
      };
      await knex.transaction(async (trx) => {
        let batch: Record<string, unknown>[] = [];
        const flush = async () => {
          if (!batch.length) return;
          await trx('crosspost_attempts').insert(batch);
          n += batch.length;
          batch = [];
        };
        for (const p of pubs) {
          const created = toDate(p.created_at);
          const updated = toDate(p.updated_at);
          const r = rand();
          const first = p.status === 'failed' ? 'permanent' : r < 0.03 ? 'retryable' : r < 0.04 ? 'rate-limited' : 'success';
          batch.push(mk(p, 'create', first, new Date(created.getTime() + 2000 + Math.floor(rand() * 60000)), first === 'success' ? null : 'DEV rejected the article: Body markdown has already been taken.'));
          if (rand() < 0.5 && updated.getTime() > created.getTime() + 60000) batch.push(mk(p, 'update', 'success', updated, null));
          if (batch.length >= 400) await flush();
        }
        await flush();
      });
      if (client() === 'postgres') await knex.raw('VACUUM ANALYZE crosspost_attempts');
      // Rows written behind the plugin's back: what an import does, followed by the rebuild it documents.
      const r0 = Date.now();
      await strapi.plugin('crosspost').service('stats').rebuildRollups();
      if (client() === 'postgres') await knex.raw('VACUUM ANALYZE crosspost_stats_days');
      return { rows: n, seconds: (Date.now() - t0) / 1000, rollupSeconds: (Date.now() - r0) / 1000 };
    },

    /** One timed GET /crosspost/stats (admin route over HTTP). */
    async stats({ window }: { window: string }) {
      if (!b) throw new Error('setup first');
      const r = await http(b.baseUrl, 'GET', `/crosspost/stats?window=${encodeURIComponent(window)}`, { token: b.jwt });
      return { status: r.status, ms: r.ms, total: null };
    },

    /** The same computation called in-process (the stats service): the route minus HTTP, admin auth and validation. */
    async statsService({ window }: { window: string }) {
      if (!b) throw new Error('setup first');
      const t0 = performance.now();
      await b.strapi.plugin('crosspost').service('stats').summary(window);
      return { status: 200, ms: performance.now() - t0, total: null };
    },

    /** The SQL one stats computation runs: the slowest statements alone (median of 5), with their plans. */
    async explainStats({ window }: { window: string }) {
      if (!b) throw new Error('setup first');
      const knex = b.strapi.db.connection;
      const seen: Array<{ sql: string; bindings: unknown[] }> = [];
      const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
        if (/crosspost_(publications|attempts|stats_days|stats_hours)/.test(q.sql)) seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
      };
      knex.on('query', onQuery);
      try {
        const r = await http(b.baseUrl, 'GET', `/crosspost/stats?window=${encodeURIComponent(window)}`, { token: b.jwt });
        if (r.status !== 200) throw new Error(`GET /crosspost/stats answered ${r.status}`);
      } finally {
        knex.removeListener('query', onQuery);
      }
      // Run with their own bindings (as the route does: on SQLite a Date is bound as epoch ms, which a
      // text rendering of the statement would turn into a string that compares with no datetime).
      const timed: Array<{ sql: string; q: string; bindings: unknown[]; medianMs: number }> = [];
      for (const s of seen) {
        const q = s.sql.replace(/\$\d+/g, '?');
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          await knex.raw(q, s.bindings as never);
          times.push(performance.now() - t);
        }
        times.sort((x, y) => x - y);
        timed.push({ sql: knex.raw(q, s.bindings as never).toString(), q, bindings: s.bindings, medianMs: Math.round(times[2] * 10) / 10 });
      }
      const totalMs = Math.round(timed.reduce((a, x) => a + x.medianMs, 0) * 10) / 10;
      const slowest = [...timed].sort((x, y) => y.medianMs - x.medianMs).slice(0, 3);
      const plans: Array<{ sql: string; medianMs: number; plan: string[] }> = [];
      for (const s of slowest) {
        if (client() === 'postgres') {
          const res = await knex.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${s.q}`, s.bindings as never);
          plans.push({ sql: s.sql, medianMs: s.medianMs, plan: res.rows.map((r: Record<string, string>) => r['QUERY PLAN']) });
        } else {
          const rows = await knex.raw(`EXPLAIN QUERY PLAN ${s.q}`, s.bindings as never);
          plans.push({ sql: s.sql, medianMs: s.medianMs, plan: rows.map((r: { detail: string }) => r.detail) });
        }
      }
      return { statements: timed.length, sqlTotalMs: totalMs, slowest: plans };
    },

    /** One timed list call; `via` = service | route. Returns ms and the total it reported. */
    async list({ via, query }: { via: 'service' | 'route'; query: Record<string, string> }) {
      if (!b) throw new Error('setup first');
      if (via === 'route') {
        const qs = new URLSearchParams(query).toString();
        const r = await http(b.baseUrl, 'GET', `/crosspost/publications?${qs}`, { token: b.jwt });
        if (r.status !== 200) return { status: r.status, ms: r.ms, total: null };
        return { status: 200, ms: r.ms, total: r.body?.meta?.pagination?.total ?? null };
      }
      const svc = b.strapi.plugin('crosspost').service('publications') as { list(q: unknown): Promise<{ pagination: { total: number } }> };
      const q = {
        status: query.status ? query.status.split(',') : undefined,
        platform: query.platform ? query.platform.split(',') : undefined,
        q: query.q,
        page: Number(query.page ?? 1),
        pageSize: Number(query.pageSize ?? 25),
        sort: query.sort ?? 'updatedAt:desc',
      };
      const t0 = performance.now();
      const res = await svc.list(q);
      return { status: 200, ms: performance.now() - t0, total: res.pagination.total };
    },

    /** A trivial authenticated admin route (GET /admin/users/me): the floor any admin route pays here. */
    async adminPing() {
      if (!b) throw new Error('setup first');
      const r = await http(b.baseUrl, 'GET', '/admin/users/me', { token: b.jwt });
      return { status: r.status, ms: r.ms, total: null };
    },

    /** The SQL one service call runs, and the database's plan for each statement. */
    async explain({ query }: { query: Record<string, string> }) {
      if (!b) throw new Error('setup first');
      const knex = b.strapi.db.connection;
      const seen: Array<{ sql: string; bindings: unknown[] }> = [];
      const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
        if (/crosspost_publications/.test(q.sql)) seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
      };
      knex.on('query', onQuery);
      try {
        const svc = b.strapi.plugin('crosspost').service('publications') as { list(q: unknown): Promise<unknown> };
        await svc.list({ status: query.status?.split(','), platform: query.platform?.split(','), q: query.q, page: 1, pageSize: 25, sort: 'updatedAt:desc' });
      } finally {
        knex.removeListener('query', onQuery);
      }
      const plans: Array<{ sql: string; plan: string[]; medianMs: number }> = [];
      for (const s of seen) {
        // Each statement alone: which one (page or count) the time goes to.
        const times: number[] = [];
        for (let i = 0; i < 7; i++) {
          const t0 = performance.now();
          await knex.raw(s.sql.replace(/\$\d+/g, '?'), s.bindings as never);
          times.push(performance.now() - t0);
        }
        times.sort((x, y) => x - y);
        const medianMs = Math.round(times[3] * 10) / 10;
        // PostgreSQL statements come with native $n placeholders; knex.raw wants ?.
        const sql = knex.raw(s.sql.replace(/\$\d+/g, '?'), s.bindings as never).toString();
        if (client() === 'postgres') {
          const res = await knex.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`);
          plans.push({ sql, medianMs, plan: res.rows.map((r: Record<string, string>) => r['QUERY PLAN']) });
        } else {
          const rows = await knex.raw(`EXPLAIN QUERY PLAN ${sql}`);
          plans.push({ sql, medianMs, plan: rows.map((r: { detail: string }) => r.detail) });
        }
      }
      return plans;
    },
  },
  async () => {
    await b?.stop();
  },
);
