/**
 * Bench 5 child: the real worker (plugin enabled, CROSSPOST_WORKER on) draining many DEV jobs.
 *
 * Articles and their publication rows are inserted straight into the database (a Strapi publish per
 * article would make the run an hour long and measure the Document Service, not the worker); the jobs
 * are added to the plugin's own Bull queue exactly as the planner adds them ({publicationId, seq},
 * jobId pub-<id>-<seq>, the plugin's job options). Everything from there on is the plugin's worker:
 * claim, load and render the entry, book the rate slot, call DEV, record the attempt, finish.
 */
import Bull from 'bull';
import { REDIS_URL } from '../../tests/helpers/strapi';
import { serve, fullGc } from './rpc';
import { ARTICLE_UID, PUBLICATION_UID, articleData, bootApp, statusCounts, type BenchApp } from './app';

let b: BenchApp | undefined;
let seeded = 0;
const pendingIds: number[] = [];
let sampler: NodeJS.Timeout | undefined;
const samples: Array<{ t: number; rssMB: number; heapMB: number; published: number }> = [];
/** After GC once half of the measured jobs are done: growth over the second half shows a leak's slope. */
let midSample: { rss: number; heapUsed: number; external: number; arrayBuffers: number; published: number } | undefined;

const mb = (x: number) => Math.round((x / 1048576) * 10) / 10;

function columns(uid: string) {
  const meta = b!.strapi.db.metadata.get(uid);
  return (row: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      const attr = meta.attributes[k] as { columnName?: string } | undefined;
      if (!attr) continue;
      out[attr.columnName ?? k] = v;
    }
    return out;
  };
}

/** Inserts n published articles (draft + published row each) and one queued DEV publication row per article. */
async function insert(n: number, tag: string): Promise<number[]> {
  const strapi = b!.strapi;
  const knex = strapi.db.connection;
  const art = columns(ARTICLE_UID);
  const pub = columns(PUBLICATION_UID);
  const sqlite = strapi.db.dialect.client === 'sqlite';
  const ts = (d: Date) => (sqlite ? d.getTime() : d);
  const ids: number[] = [];
  const chunk = 200;
  for (let start = 0; start < n; start += chunk) {
    const arts: Record<string, unknown>[] = [];
    const pubs: Record<string, unknown>[] = [];
    const hashes: string[] = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) {
      const k = seeded + i;
      const documentId = `mem${String(k).padStart(21, '0')}`;
      const a = articleData(`${tag}`, k);
      const now = new Date();
      const base = { documentId, title: a.title, slug: a.slug, description: a.description, body: JSON.stringify(a.body), createdAt: ts(now), updatedAt: ts(now) };
      hashes.push(`seed-${k}`);
      arts.push(art({ ...base, publishedAt: null }), art({ ...base, publishedAt: ts(now) }));
      pubs.push(
        pub({
          documentId: `mpub${String(k).padStart(20, '0')}`,
          uniqueKey: `${ARTICLE_UID}|${documentId}||devto`,
          targetUid: ARTICLE_UID,
          targetDocumentId: documentId,
          targetLocale: '',
          platform: 'devto',
          status: 'queued',
          desired: 'published',
          title: a.title,
          remoteState: 'none',
          payloadHash: `seed-${k}`,
          jobSeq: 1,
          attempts: 0,
          needsLookup: false,
          createdAt: ts(now),
          updatedAt: ts(now),
          publishedAt: ts(now),
        }),
      );
    }
    await knex.transaction(async (trx) => {
      await trx('articles').insert(arts);
      await trx('crosspost_publications').insert(pubs);
      const rows = (await trx('crosspost_publications').whereIn('payload_hash', hashes).select('id').orderBy('id')) as Array<{ id: number }>;
      for (const r of rows) ids.push(r.id);
    });
  }
  seeded += n;
  return ids;
}

async function enqueue(ids: number[]): Promise<void> {
  const cfg = b!.strapi.config.get('plugin::crosspost.queue') as { keepCompleted?: number; keepFailed?: number };
  const queue = new Bull('crosspost:devto', REDIS_URL, { prefix: b!.app.prefix });
  try {
    for (let i = 0; i < ids.length; i += 500) {
      await queue.addBulk(
        ids.slice(i, i + 500).map((id) => ({
          data: { publicationId: id, seq: 1 },
          opts: { jobId: `pub-${id}-1`, attempts: 1, removeOnComplete: cfg.keepCompleted ?? 1000, removeOnFail: cfg.keepFailed ?? 5000 },
        })),
      );
    }
  } finally {
    await queue.close();
  }
}

async function waitPublished(expected: number, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(b!.strapi);
    const done = (counts.published ?? 0) + (counts.failed ?? 0) + (counts.unconfirmed ?? 0);
    if (done >= expected) return counts;
    if (Date.now() > deadline) throw new Error(`worker did not finish within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function memorySample() {
  await fullGc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

serve(
  {
    async setup() {
      b = await bootApp();
      if (!b.pluginEnabled) throw new Error('the plugin is not enabled');
      return { pid: process.pid, prefix: b.app.prefix, gc: typeof (globalThis as { gc?: unknown }).gc === 'function', queue: b.strapi.config.get('plugin::crosspost.queue') };
    },

    /** Runs `n` jobs to completion (used for the warm-up). */
    async warmup({ n }: { n: number }) {
      const ids = await insert(n, 'warm');
      await enqueue(ids);
      const counts = await waitPublished(seeded, 600000);
      return { counts };
    },

    /** Inserts the rows for the measured run (before the baseline sample, so database growth is not counted as worker growth). */
    async prepare({ n }: { n: number }) {
      const ids = await insert(n, 'mem');
      pendingIds.push(...ids);
      return { n: ids.length };
    },

    async sample() {
      return memorySample();
    },

    /** Enqueues the prepared jobs, then returns (the parent watches Redis while they drain). */
    async enqueue() {
      const base = (await statusCounts(b!.strapi)).published ?? 0;
      await enqueue(pendingIds);
      const t0 = Date.now();
      let busy = false;
      sampler = setInterval(() => {
        if (busy) return;
        busy = true;
        void statusCounts(b!.strapi)
          .then(async (c) => {
            const m = process.memoryUsage();
            const published = c.published ?? 0;
            samples.push({ t: Date.now() - t0, rssMB: mb(m.rss), heapMB: mb(m.heapUsed), published });
            if (!midSample && published - base >= pendingIds.length / 2) midSample = { ...(await memorySample()), published: published - base };
          })
          .finally(() => {
            busy = false;
          });
      }, 1000);
      return { n: pendingIds.length };
    },

    async drain({ timeoutMs = 3600000 }: { timeoutMs?: number }) {
      const t0 = Date.now();
      const counts = await waitPublished(seeded, timeoutMs);
      if (sampler) clearInterval(sampler);
      const drainMs = Date.now() - t0;
      // Let the last completions, timers and sockets settle before the after-sample.
      await new Promise((r) => setTimeout(r, 2000));
      return { counts, drainMs, samples, mid: midSample };
    },
  },
  async () => {
    if (sampler) clearInterval(sampler);
    await b?.stop();
  },
);
