/**
 * PlatformQueues against a real Redis (as `npm test` has it): a job added with a delay (a booked rate-limit
 * slot, a retry's wait) runs as soon as its time comes, ahead of the jobs that arrived while it waited.
 * Without that, a woken job sits behind the whole backlog and calls the platform long after its slot.
 */
import Redis from 'ioredis';
import { REDIS_URL } from '../../helpers/strapi';
import { PlatformQueues } from '../../../server/src/queue/queues';

const prefix = `cp-queues-unit-${process.pid}`;
const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };
let queues: PlatformQueues | undefined;

afterEach(async () => {
  await queues?.close();
  queues = undefined;
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a delayed job whose time has come runs before the jobs added while it waited', async () => {
  queues = new PlatformQueues(['devto'], {
    redisUrl: REDIS_URL,
    prefix,
    lockDurationMs: 30000,
    stalledIntervalMs: 30000,
    maxStalledCount: 1,
    keepCompleted: 100,
    keepFailed: 100,
    limiters: {},
  }, quiet);
  // Woken after 100 ms; then five jobs arrive, and the delayed one comes due while they are still waiting.
  await queues.add('devto', 1, 1, 100);
  for (let id = 2; id <= 6; id++) await queues.add('devto', id, 1);
  await sleep(400);

  const order: number[] = [];
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  await queues.startWorkers(1, async (_platform, job) => {
    order.push(job.data.publicationId);
    if (order.length === 6) done();
  });
  await allDone;
  expect(order).toEqual([1, 2, 3, 4, 5, 6]);
});
