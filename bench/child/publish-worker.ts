/**
 * Bench 1 child: one Strapi configuration (plugin on or off, per CROSSPOST_ENABLED) answering publishes
 * over HTTP, the way editors (Content Manager) and scripts (REST) publish. The publishes come from the
 * benchmark's parent process (bench/publish-overhead.ts), not from here: a client in this process would
 * share Strapi's event loop, so work the plugin starts after answering would hold up the client reading
 * that answer, which no browser or import script in another process sees.
 *
 *   setup               → where to send publishes (base URL, tokens, tag and cover ids)
 *   settle {published}  waits until the plugin is done with the `published` publishes so far: every
 *                       publication row settled (or, with CROSSPOST_WORKER=false, every publish has its
 *                       plan job waiting in Redis), so this child's background work never spills into
 *                       another configuration's batch.
 *   serverTimes         the timed publishes since the last call, timed inside this process (arrival →
 *                       response handed to the kernel): what the plugin adds to the request itself.
 */
import Bull from 'bull';
import { appendFileSync } from 'node:fs';
import { REDIS_URL } from '../../tests/helpers/strapi';
import { serve } from './rpc';
import { bootApp, createTags, waitSettled, type BenchApp } from './app';

let b: BenchApp | undefined;
let tagIds: string[] = [];
let published = 0;
const workerOn = process.env.CROSSPOST_WORKER !== 'false';
let planQueue: Bull.Queue | undefined;
/** Server-side times of the timed publishes (REST creates, CM publish actions) since the last serverTimes call. */
let serverMs: number[] = [];
/** Platforms configured in this child (DEV always; Hashnode and Medium in the three-platform side). */
const PLATFORMS = ['devto', ...(process.env.CROSSPOST_HASHNODE_TOKEN ? ['hashnode'] : []), ...(process.env.CROSSPOST_MEDIUM_TOKEN ? ['medium'] : [])];
let platformQueues: Bull.Queue[] | undefined;
let coverId: number | undefined;

/** Until the plugin is done with everything published so far. */
async function quiet(): Promise<void> {
  if (!b?.pluginEnabled) return;
  if (workerOn) {
    const rows = published * PLATFORMS.length;
    const counts = await waitSettled(b.strapi, rows, 120000);
    if ((counts.published ?? 0) !== rows) throw new Error(`expected ${rows} published rows, got ${JSON.stringify(counts)}`);
    // The row is written before Bull has finished the job (completion, fetching the next one): idle means
    // no job of the plugin's is still active either.
    const app = b.app;
    platformQueues ??= PLATFORMS.map((p) => new Bull(`crosspost:${p}`, REDIS_URL, { prefix: app.prefix }));
    planQueue ??= new Bull('crosspost:plan', REDIS_URL, { prefix: b.app.prefix });
    const active = async () => (await Promise.all([...platformQueues!, planQueue!].map((q) => q.getActiveCount()))).reduce((a, n) => a + n, 0);
    const deadline = Date.now() + 10000;
    while ((await active()) > 0) {
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


serve(
  {
    async setup() {
      b = await bootApp({ withAuth: true });
      // Server-side time of each request (arrival → response handed to the kernel): what the plugin could add
      // to the request itself, apart from CPU it takes from the client on this machine afterwards.
      b.app.httpServer.prependListener('request', (req, res) => {
        const timed = req.method === 'POST' && (req.url === '/api/articles' || /\/actions\/publish$/.test(req.url ?? ''));
        if (!timed) return;
        const t0 = performance.now();
        res.once('finish', () => serverMs.push(performance.now() - t0));
      });
      tagIds = await createTags(b.strapi);
      // BENCH_SQL_LOG=file: every SQL statement this child runs, one a line (statement counts per job).
      const sqlLog = process.env.BENCH_SQL_LOG;
      if (sqlLog) b.strapi.db.connection.on('query', (q: { sql: string }) => appendFileSync(`${sqlLog}-${b!.pluginEnabled ? "on" : "off"}-${process.pid}`, `${Date.now()} ${q.sql.replace(/\s+/g, ' ')}\n`));
      // A cover image in the media library (the upload plugin's own row, as an upload makes it).
      const file = await b.strapi.db.query('plugin::upload.file').create({
        data: { name: 'cover.png', hash: 'bench_cover', ext: '.png', mime: 'image/png', size: 12.5, url: '/uploads/bench_cover.png', provider: 'local', width: 1200, height: 630 },
      });
      coverId = file.id as number;
      return { pluginEnabled: b.pluginEnabled, pid: process.pid, platforms: PLATFORMS, baseUrl: b.baseUrl, jwt: b.jwt, apiToken: b.apiToken, tagIds, coverId };
    },

    async settle({ published: total }: { published: number }) {
      published = total;
      await quiet();
      return null;
    },

    serverTimes() {
      const out = serverMs;
      serverMs = [];
      return out;
    },
  },
  async () => {
    await planQueue?.close();
    await Promise.all((platformQueues ?? []).map((q) => q.close()));
    await b?.stop();
  },
);
