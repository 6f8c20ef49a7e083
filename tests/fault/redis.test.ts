/**
 * Redis loss. The shared Redis on 6379 is never touched: each scenario runs on a redis-server this test
 * starts on a free port (AOF on every write, no RDB), and kills or flushes only that one.
 *
 * (a) kill -9 of Redis while retries wait as delayed jobs, restart on the same data dir: the AOF brings the
 *     delayed jobs back, and every article ends published exactly once. The reconciler is off here
 *     (it runs once at startup only), so nothing but the AOF can save the jobs.
 * (b) FLUSHALL while jobs are waiting and delayed: the reconciler (every second here) re-adds a job for every
 *     unfinished row within one interval, keeping each row's wait (nextAttemptAt), and every article ends
 *     published exactly once.
 * (c) Redis down when the entry is published: the row is saved (the outbox) even though no job can be added,
 *     and once Redis is back the article is published exactly once.
 */
import Bull from 'bull';
import type { DevtoSimulator } from '../simulators/devto';
import type { HashnodeSimulator } from '../simulators/hashnode';
import { MEDIUM_ERRORS, type MediumSimulator } from '../simulators/medium';
import {
  allAttempts,
  allRows,
  canonicalOf,
  countBy,
  duplicates,
  publishArticle,
  sleep,
  slimRow,
  startFaultApp,
  startTempRedis,
  waitAllTerminal,
  type FaultApp,
  type TempRedis,
  startSimulators,
  type Simulators,
} from '../helpers/fault';
import { waitFor } from '../helpers/strapi';
import type { Row } from '../helpers/publications';

jest.setTimeout(120_000);

let redis: TempRedis;
let devto: DevtoSimulator;
let hashnode: HashnodeSimulator;
let medium: MediumSimulator;
let sims: Simulators | undefined;
let app: FaultApp | undefined;

const platformEnv = () => sims!.env();

beforeAll(async () => {
  redis = await startTempRedis('aof');
  sims = await startSimulators();
  ({ devto, hashnode, medium } = sims);
});

afterAll(async () => {
  await app?.stop().catch(() => undefined);
  await redis?.stop();
  await sims?.close();
});

afterEach(async () => {
  await app?.stop().catch(() => undefined);
  app = undefined;
  for (const s of [devto.server, hashnode.server, medium.server]) {
    s.clearFaults();
    s.latencyMs = 0;
  }
});

/** Job states in Bull for the rows' current jobs (null = no such job). */
async function jobStates(a: FaultApp, rows: Row[]): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  const queues = new Map<string, Bull.Queue>();
  try {
    for (const r of rows) {
      let q = queues.get(r.platform);
      if (!q) {
        q = new Bull(`crosspost:${r.platform}`, a.env.CROSSPOST_REDIS_URL, { prefix: a.prefix });
        queues.set(r.platform, q);
      }
      const job = await q.getJob(`pub-${r.id}-${r.jobSeq}`);
      out.set(r.id, job ? await job.getState() : null);
    }
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close()));
  }
  return out;
}

function expectOneCopyEach(slugs: string[], platforms: Array<'devto' | 'hashnode' | 'medium'>): void {
  const copies = {
    devto: (c: string) => devto.articles.filter((a) => a.canonicalUrl === c).length,
    hashnode: (c: string) => [...hashnode.posts.values()].filter((p) => p.canonicalUrl === c).length,
    medium: (c: string) => [...medium.posts.values()].filter((p) => p.canonicalUrl === c).length,
  };
  for (const p of platforms) {
    const counts = Object.fromEntries(slugs.map((s) => [s, copies[p](canonicalOf(s))]));
    expect({ platform: p, counts }).toEqual({ platform: p, counts: Object.fromEntries(slugs.map((s) => [s, 1])) });
  }
}

test('(a) Redis killed (-9) with retries waiting as delayed jobs, restarted from its AOF: nothing lost, nothing twice', async () => {
  const N = 10;
  app = await startFaultApp({
    env: {
      ...platformEnv(),
      CROSSPOST_HASHNODE_TOKEN: undefined,
      CROSSPOST_MEDIUM_TOKEN: undefined,
      CROSSPOST_REDIS_URL: redis.url,
      CROSSPOST_RECONCILE_MS: '0',
      CROSSPOST_RETRY_BASE_MS: '2000',
      CROSSPOST_RETRY_MAX_MS: '4000',
    },
  });
  const { strapi } = app;
  // 7 creates meet a 429 (Retry-After 4 s), 3 a 503 (ambiguous: a lookup comes first, after 0–4 s).
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 429, times: 7, headers: { 'retry-after': '4' }, body: { error: 'Rate limit reached, try again in 4 seconds', status: 429 } });
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 503, times: 3, body: { error: 'Service Unavailable', status: 503 } });
  const slugs = Array.from({ length: N }, (_, i) => `aof-${i}`);
  for (const slug of slugs) await publishArticle(strapi, slug);

  // Every row has met its fault: it now waits as a delayed job (or a fast 503 retry already finished).
  const before = await waitFor(
    async () => {
      const rows = await allRows(strapi);
      return rows.length === N && rows.every((r) => r.status === 'retrying' || r.status === 'published') ? rows : null;
    },
    { timeoutMs: 45000, what: 'every row past its first attempt' },
  );
  const states = await jobStates(app, before.filter((r) => r.status === 'retrying'));
  const waiting = before.filter((r) => states.get(r.id) === 'delayed');
  expect(waiting.length).toBeGreaterThanOrEqual(7);

  await redis.kill();
  await sleep(1500);
  await redis.restart();

  // The AOF replayed every delayed job (checked before any of them can run: the 429 waits are 4 s).
  const restored = await jobStates(app, waiting);
  const lost = waiting.filter((r) => !restored.get(r.id));
  expect(lost.map(slimRow)).toEqual([]);

  const rows = await waitAllTerminal(strapi, N, 45000);
  expect(rows.filter((r) => r.status !== 'published').map(slimRow)).toEqual([]);
  expectOneCopyEach(slugs, ['devto']);
  expect(devto.articles).toHaveLength(N);
  expect(duplicates(devto.articles, (a) => a.canonicalUrl)).toEqual({});
  const trails = countBy(await allAttempts(strapi), (a) => `${a.operation}:${a.outcome}`);
  console.log(`(a) Redis kill -9 + AOF restart: ${waiting.length} delayed jobs at the kill, ${waiting.length - lost.length} restored; attempts ${JSON.stringify(trails)}`);
});

test('(b) FLUSHALL with jobs waiting and delayed: the reconciler re-adds every unfinished row within one interval; all published once', async () => {
  const N = 6;
  const INTERVAL = 1000;
  app = await startFaultApp({
    env: { ...platformEnv(), CROSSPOST_REDIS_URL: redis.url, CROSSPOST_RECONCILE_MS: String(INTERVAL), CROSSPOST_CONCURRENCY: '1' },
  });
  const { strapi } = app;
  // DEV and Medium creates wait 3 s for a rate limit (delayed jobs); Hashnode answers slowly, so most of
  // its jobs are still waiting in the queue when Redis is wiped.
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 429, times: N, headers: { 'retry-after': '3' }, body: { error: 'Rate limit reached, try again in 3 seconds', status: 429 } });
  medium.server.inject({
    kind: 'status',
    match: { method: 'POST', path: /\/posts$/ },
    status: 429,
    times: N,
    headers: { 'retry-after': '3' },
    body: { errors: [{ message: MEDIUM_ERRORS.rateLimited.message, code: MEDIUM_ERRORS.rateLimited.code }] },
  });
  hashnode.server.latencyMs = 700;
  const slugs = Array.from({ length: N }, (_, i) => `flush-${i}`);
  for (const slug of slugs) await publishArticle(strapi, slug);

  const before = await waitFor(
    async () => {
      const rows = await allRows(strapi);
      const ready =
        rows.length === 3 * N &&
        rows.filter((r) => r.platform !== 'hashnode').every((r) => r.status === 'retrying') &&
        rows.some((r) => r.platform === 'hashnode' && r.status === 'queued');
      return ready ? rows : null;
    },
    // Generous: on a loaded machine the ten publishes alone take many seconds.
    { timeoutMs: 45000, what: 'DEV/Medium rows delayed and Hashnode rows queued' },
  );
  const unfinished = before.filter((r) => r.status !== 'published');
  const allHaveJobs = async () => {
    const rows = (await allRows(strapi)).filter((r) => unfinished.some((u) => u.id === r.id));
    const states = await jobStates(app!, rows);
    return rows.every((r) => r.status === 'published' || (states.get(r.id) && states.get(r.id) !== 'completed'));
  };
  // "Within one interval" means the first reconciler run that starts after the flush re-adds every row that
  // lost its job (a run already going at the flush may have checked some rows before it). Each run that
  // re-queues something says so in one info line; the state is checked when each line is written. Wall time is
  // not asserted: on a loaded machine one run can take longer than the interval.
  let flushedAt = Infinity;
  const atRunEnds: Array<Promise<boolean>> = [];
  const info = strapi.log.info.bind(strapi.log);
  (strapi.log as any).info = (msg: unknown, ...rest: unknown[]) => {
    if (Date.now() > flushedAt && typeof msg === 'string' && /^crosspost: reconciler planned .* queued \d+ publication/.test(msg)) {
      atRunEnds.push(allHaveJobs());
    }
    return info(msg as string, ...(rest as []));
  };
  const client = redis.client();
  flushedAt = Date.now();
  await client.flushall();
  client.disconnect();

  const back = await waitFor(async () => ((await allHaveJobs()) ? Date.now() : null), {
    timeoutMs: 30000,
    intervalMs: 50,
    what: 'every unfinished row to have a job again',
  });
  const recoveryMs = back - flushedAt;
  // A run writes its line only after it has re-added its rows (and checked webhook deliveries), so the rows can
  // all have jobs again before the line of the run that re-added them. Judge once the first run's line says
  // everything was back, or once the second run's line is in.
  const runs = await waitFor(
    async () => {
      const seen = await Promise.all(atRunEnds);
      return seen.includes(true) || seen.length >= 2 ? seen : null;
    },
    { timeoutMs: 4 * INTERVAL + 10000, what: 'the reconciler runs after the flush to report' },
  );
  (strapi.log as any).info = info;
  // Done by the end of the first run (or, when a run was under way at the flush, of the one after it).
  expect(runs.slice(0, 2)).toContain(true);

  const rows = await waitAllTerminal(strapi, 3 * N, 45000);
  expect(rows.filter((r) => r.status !== 'published').map(slimRow)).toEqual([]);
  expectOneCopyEach(slugs, ['devto', 'hashnode', 'medium']);
  // The rate-limit waits were kept: no DEV/Medium create ran before its 3 s were over.
  for (const slug of slugs) {
    const devCreates = devto.server.requestsTo('POST', '/api/articles').filter((r) => (r.body as any)?.article?.canonical_url === canonicalOf(slug));
    expect(devCreates).toHaveLength(2);
    expect(devCreates[1].at - devCreates[0].at).toBeGreaterThanOrEqual(3000);
  }
  console.log(`(b) FLUSHALL: ${unfinished.length} unfinished rows (${JSON.stringify(countBy(unfinished, (r) => `${r.platform}:${r.status}`))}); all had a job again ${recoveryMs} ms after the flush (interval ${INTERVAL} ms); reconciler runs after the flush, all back at their end: ${JSON.stringify(runs)}`);
});

test('(c) Redis down when entries are published: rows are saved, and published once Redis is back', async () => {
  const N = 3;
  app = await startFaultApp({ env: { ...platformEnv(), CROSSPOST_HASHNODE_TOKEN: undefined, CROSSPOST_MEDIUM_TOKEN: undefined, CROSSPOST_REDIS_URL: redis.url, CROSSPOST_RECONCILE_MS: '1000' } });
  const { strapi } = app;
  await redis.kill();
  const slugs = Array.from({ length: N }, (_, i) => `down-${i}`);
  for (const slug of slugs) await publishArticle(strapi, slug);
  // The outbox rows exist while Redis is down (the job add waits, then gives up after 5 s).
  const saved = await waitFor(async () => {
    const rows = await allRows(strapi);
    return rows.length === N ? rows : null;
  }, { timeoutMs: 10000, what: 'the rows to be saved' });
  expect(saved.every((r) => ['pending', 'queued'].includes(r.status))).toBe(true);
  await sleep(6000);
  await redis.restart();
  const rows = await waitAllTerminal(strapi, N, 30000);
  expect(rows.filter((r) => r.status !== 'published').map(slimRow)).toEqual([]);
  expectOneCopyEach(slugs, ['devto']);
});
