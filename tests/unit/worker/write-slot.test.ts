/**
 * Issue 13 #6: DEV's 1 write a second is kept at call time, across processes. Two "processes" (two Redis
 * connections, two RateWindows) each send writes as fast as they can, each booking right before the HTTP
 * call; the DEV simulator with its real edge limit (1 write per second window per key) must answer no 429.
 */
import Redis from 'ioredis';
import { REDIS_URL } from '../../helpers/strapi';
import { RateWindows } from '../../../server/src/queue/rate-windows';
import { waitForWriteSlot } from '../../../server/src/worker/write-slot';
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, DEVTO_V1_ACCEPT, type DevtoSimulator } from '../../simulators/devto';
import type { Runtime } from '../../../server/src/runtime';

const prefix = `cp-write-slot-${process.pid}`;
let a: Redis;
let b: Redis;
let sim: DevtoSimulator;

beforeAll(async () => {
  a = new Redis(REDIS_URL);
  b = new Redis(REDIS_URL);
  sim = createDevtoSimulator({ limits: { createsPerWindow: 1000, updatesPerWindow: 1000 } });
  await sim.listen();
});
afterAll(async () => {
  const keys = await a.keys(`${prefix}:*`);
  if (keys.length) await a.del(...keys);
  a.disconnect();
  b.disconnect();
  await sim.close();
});

/** The waits reported to the metrics (crosspost_rate_limit_wait_seconds), as (platform, limit). */
const waits: string[] = [];

function runtime(redis: Redis): Runtime {
  const config = { platforms: { devto: { apiKey: `${DEVTO_DEFAULT_KEY}-${process.pid}`, limits: { writes: { max: 1, durationMs: 1000 } } } } };
  const metrics = { rateLimited: (platform: string, limit: string, ms: number) => waits.push(`${platform} ${limit} ${ms > 0}`) };
  return { config, rateWindows: new RateWindows(redis, prefix), metrics } as unknown as Runtime;
}

async function write(i: number): Promise<number> {
  const res = await fetch(`${sim.apiUrl}/articles`, {
    method: 'POST',
    headers: { 'api-key': DEVTO_DEFAULT_KEY, 'content-type': 'application/json', accept: DEVTO_V1_ACCEPT },
    body: JSON.stringify({ article: { title: `Write ${i} ${Math.random()}`, body_markdown: 'x', published: false } }),
  });
  return res.status;
}

test('writes booked right before the call never reach DEV twice in one second, across two processes', async () => {
  const ra = runtime(a);
  const rb = runtime(b);
  const statuses: number[] = [];
  const worker = async (rt: Runtime, ids: number[]) => {
    for (const i of ids) {
      await waitForWriteSlot(rt, 'devto', `pub-${i}`);
      statuses.push(await write(i));
    }
  };
  waits.length = 0;
  await Promise.all([worker(ra, [1, 2, 3]), worker(rb, [4, 5, 6])]);
  expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
  // The first write went at once; each of the other five waited for the window, and said so.
  expect(waits).toEqual(Array(5).fill('devto devto:writes true'));
});

test('writes that count from their answer (done) still never reach DEV twice in one second, across two processes', async () => {
  const statuses: number[] = [];
  const worker = async (rt: Runtime, ids: number[]) => {
    for (const i of ids) {
      const token = await waitForWriteSlot(rt, 'devto', `pub-${i}`);
      statuses.push(await write(i));
      await rt.rateWindows.done([token as string]);
    }
  };
  await Promise.all([worker(runtime(a), [11, 12, 13]), worker(runtime(b), [14, 15, 16])]);
  expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
});

test('no window for platforms without a per-call write limit', async () => {
  const started = Date.now();
  for (let i = 0; i < 3; i++) await waitForWriteSlot(runtime(a), 'medium', `m-${i}`);
  expect(Date.now() - started).toBeLessThan(500);
});
