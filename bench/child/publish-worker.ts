/**
 * Bench 1 child: one Strapi configuration (plugin on or off, per CROSSPOST_ENABLED) answering timed
 * publishes over HTTP, the way editors (Content Manager) and scripts (REST) publish.
 *
 *   batch {mode: 'rest' | 'cm', n, tag} → { latencies: ms[], serverMs: ms[], settleMs }
 *     rest: POST /api/articles (REST creates published by default) — the whole request is timed.
 *     cm:   POST /content-manager/.../api::article.article creates a draft (not timed), then
 *           POST .../:documentId/actions/publish is timed.
 *   With the plugin on, the batch ends only once every publication row is settled (or, with
 *   CROSSPOST_WORKER=false, every publish has its plan job waiting in Redis), so this child's background work never spills into
 *   another configuration's batch. isolated=true waits for that after every publish instead (an
 *   editor's single publish, with nothing else going on).
 */
import Bull from 'bull';
import { REDIS_URL } from '../../tests/helpers/strapi';
import { serve } from './rpc';
import { articleData, bootApp, createTags, expectStatus, http, waitSettled, type BenchApp } from './app';

let b: BenchApp | undefined;
let tagIds: string[] = [];
let published = 0;
const workerOn = process.env.CROSSPOST_WORKER !== 'false';
let planQueue: Bull.Queue | undefined;
let lastServerMs = NaN;
let devQueue: Bull.Queue | undefined;

/** Until the plugin is done with everything published so far. */
async function quiet(): Promise<void> {
  if (!b?.pluginEnabled) return;
  if (workerOn) {
    const counts = await waitSettled(b.strapi, published, 120000);
    if ((counts.published ?? 0) !== published) throw new Error(`expected ${published} published rows, got ${JSON.stringify(counts)}`);
    // The row is written before Bull has finished the job (completion, fetching the next one): idle means
    // no job of the plugin's is still active either.
    devQueue ??= new Bull('crosspost:devto', REDIS_URL, { prefix: b.app.prefix });
    planQueue ??= new Bull('crosspost:plan', REDIS_URL, { prefix: b.app.prefix });
    const deadline = Date.now() + 10000;
    while ((await devQueue.getActiveCount()) + (await planQueue.getActiveCount()) > 0) {
      if (Date.now() > deadline) throw new Error('the plugin still has active jobs 10 s after its rows settled');
      await new Promise((r) => setTimeout(r, 5));
    }
    return;
  }
  // Web node: every publish has its plan job in Redis (no worker here plans it).
  planQueue ??= new Bull('crosspost:plan', REDIS_URL, { prefix: b.app.prefix });
  const deadline = Date.now() + 120000;
  for (;;) {
    const waiting = await planQueue.getWaitingCount();
    if (waiting >= published) return;
    if (Date.now() > deadline) throw new Error(`plan jobs missing: ${waiting} waiting for ${published} publishes`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const CM = '/content-manager/collection-types/api::article.article';

serve(
  {
    async setup() {
      b = await bootApp({ withAuth: true });
      // Server-side time of each request (arrival → response handed to the kernel): what the plugin could add
      // to the request itself, apart from CPU it takes from the client on this machine afterwards.
      b.app.httpServer.prependListener('request', (_req, res) => {
        const t0 = performance.now();
        res.once('finish', () => (lastServerMs = performance.now() - t0));
      });
      tagIds = await createTags(b.strapi);
      return { pluginEnabled: b.pluginEnabled, pid: process.pid };
    },

    async batch({ mode, n, tag, isolated = false }: { mode: 'rest' | 'cm'; n: number; tag: string; isolated?: boolean }) {
      if (!b) throw new Error('setup first');
      const latencies: number[] = [];
      const serverMs: number[] = [];
      for (let i = 0; i < n; i++) {
        const data = { ...articleData(tag, i), tags: { connect: tagIds.slice(0, 2) } };
        if (mode === 'rest') {
          const r = await http(b.baseUrl, 'POST', '/api/articles', { token: b.apiToken, body: { data } });
          expectStatus(r, 201, 'REST create+publish');
          latencies.push(r.ms);
          serverMs.push(lastServerMs);
        } else {
          const draft = await http(b.baseUrl, 'POST', CM, { token: b.jwt, body: data });
          expectStatus(draft, 201, 'CM create draft');
          const r = await http(b.baseUrl, 'POST', `${CM}/${draft.body.data.documentId}/actions/publish`, { token: b.jwt, body: {} });
          expectStatus(r, 200, 'CM publish');
          latencies.push(r.ms);
          serverMs.push(lastServerMs);
        }
        published += 1;
        if (isolated) await quiet();
      }
      const t0 = performance.now();
      await quiet();
      return { latencies, serverMs, settleMs: performance.now() - t0 };
    },
  },
  async () => {
    await planQueue?.close();
    await devQueue?.close();
    await b?.stop();
  },
);
