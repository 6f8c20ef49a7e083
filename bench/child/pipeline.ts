/**
 * Bench 2 and 3 child: Strapi with the plugin, its worker in this process, posting to the DEV
 * simulator the parent runs (CROSSPOST_DEVTO_BASE_URL).
 *
 *   prepare {n, tag}  creates n draft articles (not timed)
 *   run               publishes them one after the other with the Content Manager's publish action over
 *                     HTTP (what an editor's click does) and waits until every row is settled. Returns per
 *                     article: publish time and the time its row turned `published` (lastSyncedAt,
 *                     written by the worker), plus row and attempt counts.
 *
 * Why HTTP and not a loop of strapi.documents().publish(): on SQLite (a synchronous driver) such a loop
 * runs entirely on microtasks and never yields to the event loop, so timers and Redis replies wait until
 * the loop ends: the worker sits idle during the burst and the plugin's 5 s enqueue timeout fires for
 * adds Redis had answered long before (measured: a 1 s loop of 30 publishes delayed every Redis reply by
 * up to 1 s; a 200-publish loop left rows "saved but not queued yet").
 */
import Bull from 'bull';
import { REDIS_URL } from '../../tests/helpers/strapi';
import { serve } from './rpc';
import { articleData, bootApp, createTags, docs, expectStatus, http, statusCounts, SETTLED, type BenchApp } from './app';

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
     * drain=false: publish while the worker runs (end to end). drain=true: the DEV queue is paused
     * (Bull global pause) while everything is published and planned, then resumed: the worker's own
     * capacity, without Strapi's publish calls competing for the CPU.
     */
    async run({ timeoutMs = 300000, drain = false }: { timeoutMs?: number; drain?: boolean }) {
      if (!b) throw new Error('setup first');
      const strapi = b.strapi;
      const ids = prepared;
      const knex = strapi.db.connection;
      const queue = drain ? new Bull('crosspost:devto', REDIS_URL, { prefix: b.app.prefix }) : undefined;
      if (queue) await queue.pause();
      warnings = [];
      const publishAt: number[] = [];
      const t0 = Date.now();
      for (const documentId of ids) {
        publishAt.push(Date.now());
        const r = await http(b.baseUrl, 'POST', `/content-manager/collection-types/api::article.article/${documentId}/actions/publish`, { token: b.jwt, body: {} });
        expectStatus(r, 200, 'CM publish');
      }
      const publishLoopMs = Date.now() - t0;
      let resumedAt: number | undefined;
      if (queue) {
        // Every row planned and queued (in the paused list) before the worker may start.
        const until = Date.now() + timeoutMs;
        for (;;) {
          const n = await knex('crosspost_publications').whereIn('target_document_id', ids).where('status', 'queued').count({ n: '*' });
          if (Number((n[0] as { n: number | string }).n) >= ids.length) break;
          if (Date.now() > until) throw new Error(`planning did not finish: ${JSON.stringify(await statusCounts(strapi))}; plugin warnings: ${JSON.stringify(warnings.slice(0, 5))}`);
          await new Promise((r) => setTimeout(r, 20));
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
