/** The shared rate windows against a real Redis: two "processes" (connections) book concurrently. */
import Redis from 'ioredis';
import { RateWindows } from '../../server/src/queue/rate-windows';
import { deleteRedisKeys, REDIS_URL } from '../helpers/strapi';

const prefix = `cp-rate-test-${process.pid}`;
let a: Redis;
let b: Redis;

beforeAll(() => {
  a = new Redis(REDIS_URL);
  b = new Redis(REDIS_URL);
});
afterAll(async () => {
  await deleteRedisKeys(`${prefix}:*`);
  a.disconnect();
  b.disconnect();
});

/** Every window of `durationMs` holds at most `max` of the booked slots. */
function maxInAnyWindow(slots: number[], durationMs: number): number {
  const s = [...slots].sort((x, y) => x - y);
  let best = 0;
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j < s.length && s[j] < s[i] + durationMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

test('the first max bookings are immediate, the rest get distinct future slots within the limit', async () => {
  const w = { name: 'test:creates', max: 10, durationMs: 3000, account: 'key-1' };
  const ra = new RateWindows(a, prefix);
  const rb = new RateWindows(b, prefix);
  const bookings = await Promise.all(Array.from({ length: 35 }, (_, i) => (i % 2 ? ra : rb).book(w, `job-${i}`)));
  const immediate = bookings.filter((x) => x.waitMs === 0);
  expect(immediate).toHaveLength(10);
  const slots = bookings.map((x) => x.slotAt);
  expect(maxInAnyWindow(slots, w.durationMs)).toBe(10);
  // 35 calls at 10 per 3 s: the last one waits for the fourth window, not longer.
  const span = Math.max(...slots) - Math.min(...slots);
  expect(span).toBeGreaterThanOrEqual(9000);
  expect(span).toBeLessThan(9000 + 500);
});

test('accounts are separate; the credential itself is not in the key', async () => {
  const rw = new RateWindows(a, prefix);
  const one = await rw.book({ name: 'test:acct', max: 1, durationMs: 60000, account: 'secret-token-A' }, 'x');
  const two = await rw.book({ name: 'test:acct', max: 1, durationMs: 60000, account: 'secret-token-B' }, 'y');
  expect(one.waitMs).toBe(0);
  expect(two.waitMs).toBe(0);
  const third = await rw.book({ name: 'test:acct', max: 1, durationMs: 60000, account: 'secret-token-A' }, 'z');
  expect(third.waitMs).toBeGreaterThan(59000);
  const keys = await a.keys(`${prefix}:*`);
  expect(keys.some((k) => k.includes('secret-token'))).toBe(false);
});
