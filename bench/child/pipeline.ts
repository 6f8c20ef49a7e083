/**
 * Bench 2 and 3 child: Strapi with the plugin, its worker in this process, posting to the DEV
 * simulator the parent runs (CROSSPOST_DEVTO_BASE_URL).
 *
 *   prepare {n, tag}  creates n draft articles (not timed)
 *   begin {drain}     → where to publish them; bench/child/publish-client.ts then publishes them one after
 *                     the other with the Content Manager's publish action over HTTP (what an editor's
 *                     click does), from a process of its own as a browser would
 *   finish {…}        waits until every row is settled. Returns per article: publish time and the time
 *                     its row turned `published` (lastSyncedAt, written by the worker), plus row and
 *                     attempt counts. (publishAndSettle in bench/lib.ts does the three steps.)
 *
 * Why HTTP and not a loop of strapi.documents().publish(): on SQLite (a synchronous driver) such a loop
 * runs entirely on microtasks and never yields to the event loop, so timers and Redis replies wait until
 * the loop ends: the worker sits idle during the burst and the plugin's 5 s enqueue timeout fires for
 * adds Redis had answered long before (measured: a 1 s loop of 30 publishes delayed every Redis reply by
 * up to 1 s; a 200-publish loop left rows "saved but not queued yet").
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import Bull from 'bull';
import { REDIS_URL } from '../../tests/helpers/strapi';
import { serve } from './rpc';
import { articleData, bootApp, createTags, docs, statusCounts, SETTLED, type BenchApp } from './app';

let b: BenchApp | undefined;
let tagIds: string[] = [];
let prepared: string[] = [];
/** Warnings the plugin logged (e.g. "saved but not queued yet"), counted per run. */
let warnings: string[] = [];

const ms = (d: unknown) => (d ? new Date(d as string).getTime() : NaN);

serve(
  {
    async setup() {
      b = await bootApp({ withAuth: true });
      if (!b.pluginEnabled) throw new Error('the plugin is not enabled');
      const log = b.strapi.log as unknown as { warn: (...a: unknown[]) => void };
      const warn = log.warn.bind(log);
      log.warn = (...a: unknown[]) => {
        warnings.push(String(a[0]).slice(0, 300));
        warn(...a);
      };
      tagIds = await createTags(b.strapi);
      // BENCH_SQL_LOG=prefix: every SQL statement this child runs, one a line, into <prefix>-pipeline-<pid> (statements per job).
      const sqlLog = process.env.BENCH_SQL_LOG;
      if (sqlLog) b.strapi.db.connection.on('query', (q: { sql: string }) => appendFileSync(`${sqlLog}-pipeline-${process.pid}`, `${Date.now()} ${q.sql.replace(/\s+/g, ' ')}\n`));
      return { pid: process.pid, prefix: b.app.prefix, config: b.strapi.config.get('plugin::crosspost.queue'), limits: (b.strapi.config.get('plugin::crosspost.platforms') as any)?.devto?.limits };
    },

    async prepare({ n, tag }: { n: number; tag: string }) {
      if (!b) throw new Error('setup first');
      prepared = [];
      const d = docs(b.strapi);
      for (let i = 0; i < n; i++) {
        const doc = await d.create({ data: { ...articleData(tag, i), tags: { connect: tagIds.slice(0, 2) } } });
        prepared.push(doc.documentId);
      }
      return { n: prepared.length };
    },

    /**
     * Before the publishes (sent by bench/child/publish-client.ts, a process of its own). drain=false:
     * the worker runs while they come (end to end). drain=true: the DEV queue is paused (Bull global
     * pause) while everything is published and planned, then resumed by `finish`: the worker's own
     * capacity, without Strapi's publish calls competing for the CPU.
     */
    async begin({ drain = false }: { drain?: boolean }) {
      if (!b) throw new Error('setup first');
      warnings = [];
      if (drain) {
        const queue = new Bull('crosspost:devto', REDIS_URL, { prefix: b.app.prefix });
        await queue.pause();
        await queue.close();
      }
      return { baseUrl: b.baseUrl, jwt: b.jwt, ids: prepared };
    },

    /** After the publishes: waits until every row is settled and returns per article when it went live. */
    async finish({ t0, publishAt, publishLoopMs, timeoutMs = 300000, drain = false }: { t0: number; publishAt: number[]; publishLoopMs: number; timeoutMs?: number; drain?: boolean }) {
      if (!b) throw new Error('setup first');
      const strapi = b.strapi;
      const ids = prepared;
      const knex = strapi.db.connection;
      const queue = drain ? new Bull('crosspost:devto', REDIS_URL, { prefix: b.app.prefix }) : undefined;
      let resumedAt: number | undefined;
      let profiler: Session | undefined;
      if (queue) {
        // Every row planned and queued (in the paused list) before the worker may start.
        const until = Date.now() + timeoutMs;
        for (;;) {
          const n = await knex('crosspost_publications').whereIn('target_document_id', ids).where('status', 'queued').count({ n: '*' });
          if (Number((n[0] as { n: number | string }).n) >= ids.length) break;
          if (Date.now() > until) throw new Error(`planning did not finish: ${JSON.stringify(await statusCounts(strapi))}; plugin warnings: ${JSON.stringify(warnings.slice(0, 5))}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        // BENCH_DRAIN_CPU_PROF=dir: a V8 CPU profile of the drain alone (the worker's own cost, no publishing in it).
        if (process.env.BENCH_DRAIN_CPU_PROF) {
          profiler = new Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
        resumedAt = Date.now();
        await queue.resume();
        await queue.close();
      }

      const deadline = Date.now() + timeoutMs;
      let rows: Array<Record<string, any>> = [];
      for (;;) {
        rows = await knex('crosspost_publications').whereIn('target_document_id', ids).select('target_document_id', 'status', 'last_synced_at', 'id');
        if (rows.length >= ids.length && rows.every((r) => SETTLED.includes(r.status))) break;
        if (Date.now() > deadline) throw new Error(`rows did not settle within ${timeoutMs} ms: ${JSON.stringify(await statusCounts(strapi))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(`${process.env.BENCH_DRAIN_CPU_PROF}/drain-${process.pid}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
        profiler.disconnect();
      }
      const byDoc = new Map(rows.map((r) => [r.target_document_id as string, r]));
      const liveAt = ids.map((id) => (byDoc.get(id)?.status === 'published' ? ms(byDoc.get(id)!.last_synced_at) : NaN));
      const rowIdOf = ids.map((id) => (byDoc.get(id)?.id as number | undefined) ?? null);
      const rowIds = rows.map((r) => r.id as number);
      const attempts = (await knex('crosspost_attempts').whereIn('publication_id', rowIds).select('outcome').count({ n: '*' }).groupBy('outcome')) as Array<{ outcome: string; n: number | string }>;
      const callMs = (await knex('crosspost_attempts').whereIn('publication_id', rowIds).whereIn('operation', ['create', 'update']).select('duration_ms')) as Array<{ duration_ms: number }>;
      const statuses: Record<string, number> = {};
      for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      return {
        t0,
        resumedAt,
        publishLoopMs,
        platformCallMs: callMs.map((c) => Number(c.duration_ms)),
        publishAt,
        liveAt,
        rowIdOf,
        statuses,
        warnings,
        attempts: Object.fromEntries(attempts.map((a) => [a.outcome, Number(a.n)])),
      };
    },
  },
  async () => {
    await b?.stop();
  },
);
