/**
 * The rate windows' Lua against a real Redis (as `npm test` has it): who may call when, where a woken job whose
 * window is full goes, and that the calls recorded never exceed a window, also when jobs run late or all at once.
 * Windows are a few hundred ms so that real time can play the jobs' lateness.
 */
import Redis from 'ioredis';
import { REDIS_URL } from '../../helpers/strapi';
import { RateWindows, type Booking, type RateWindow } from '../../../server/src/queue/rate-windows';

const prefix = `cp-rate-unit-${process.pid}`;
let a: Redis;
let b: Redis;
let n = 0;

beforeAll(() => {
  a = new Redis(REDIS_URL);
  b = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await a.keys(`${prefix}:*`);
  if (keys.length) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

/** A window of its own for each test (the account names the key). */
const windowOf = (max: number, durationMs: number): RateWindow => ({ name: 'test:creates', max, durationMs, account: `acct-${++n}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
/** Sleeps until `at` on the Redis clock (the bookings' clock), given a Booking made at Redis time `slotAt - waitMs`. */
const until = (at: number, ref: Booking) => sleep(at - (ref.slotAt - ref.waitMs) - (Date.now() - made.get(ref)!));
const made = new WeakMap<Booking, number>();
const stamp = (x: Booking) => (made.set(x, Date.now()), x);

/** The most calls any window of `windowMs` holds (a call exactly windowMs after another is outside its window). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const s = [...times].sort((x, y) => x - y);
  let best = 0;
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j < s.length && s[j] < s[i] + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

test('calls go at once while the calls made leave room; the next slots come as the oldest calls leave the window', async () => {
  const rw = new RateWindows(a, prefix);
  const w = windowOf(3, 300);
  const calls = [];
  for (let i = 0; i < 3; i++) calls.push(await rw.book(w, `job-${i}`));
  expect(calls.map((c) => c.waitMs)).toEqual([0, 0, 0]);
  const fourth = await rw.book(w, 'job-3');
  const fifth = await rw.book(w, 'job-4');
  const windowMs = fourth.slotAt - calls[0].slotAt;
  // Never shorter than the platform's window (a margin on top for the call's way there).
  expect(windowMs).toBeGreaterThanOrEqual(w.durationMs);
  expect(windowMs).toBeLessThan(w.durationMs + 300);
  expect(fifth.slotAt).toBe(calls[1].slotAt + windowMs);
});

test('a booking whose slot passed unused holds nothing: a job that is running uses the room, the late one moves on', async () => {
  const rw = new RateWindows(a, prefix);
  const w = windowOf(1, 300);
  const first = stamp(await rw.book(w, 'first'));
  const late = await rw.book(w, 'late');
  expect(late.waitMs).toBeGreaterThan(0);
  await until(late.slotAt + 30, first); // the late job is stuck elsewhere meanwhile
  const runner = await rw.book(w, 'runner');
  expect(runner.waitMs).toBe(0);
  const moved = await rw.take(late.token, w);
  expect(moved.token).toBe(late.token);
  expect(moved.waitMs).toBeGreaterThan(0);
  expect(moved.slotAt).toBe(runner.slotAt + (late.slotAt - first.slotAt));
});

test('a woken job whose window is full because an earlier call ran late keeps its place, ahead of later bookings', async () => {
  const rw = new RateWindows(a, prefix);
  const w = windowOf(1, 300);
  const first = stamp(await rw.book(w, 'j1'));
  const [j2, j3, j4] = [await rw.book(w, 'j2'), await rw.book(w, 'j3'), await rw.book(w, 'j4')];
  const windowMs = j2.slotAt - first.slotAt;
  expect([j3.slotAt - j2.slotAt, j4.slotAt - j3.slotAt]).toEqual([windowMs, windowMs]);
  // j2 calls 150 ms after its slot (e.g. it waited behind other jobs for the write limiter).
  await until(j2.slotAt + 150, first);
  const j2call = await rw.take(j2.token, w);
  expect(j2call.waitMs).toBe(0);
  // j3 wakes on time: j2's call is still in its window. It moves to the moment that call leaves the window,
  // which is ahead of j4's slot, not behind every booking made after it.
  await until(j3.slotAt, first);
  const j3moved = await rw.take(j3.token, w);
  expect(j3moved.waitMs).toBeGreaterThan(0);
  expect(j3moved.slotAt).toBe(j2call.slotAt + windowMs);
  expect(j3moved.slotAt).toBeLessThan(j4.slotAt);
});

test('a slot a few ms away is waited for in the job rather than through the queue', async () => {
  const rw = new RateWindows(a, prefix);
  const w = windowOf(1, 300);
  const first = stamp(await rw.book(w, 'first'));
  const probe = await rw.book(w, 'probe');
  const windowMs = probe.slotAt - first.slotAt;
  await rw.release(probe.token);
  await until(first.slotAt + windowMs - 15, first);
  const soon = await rw.book(w, 'soon');
  expect(soon.waitMs).toBe(0);
  expect(soon.slotAt).toBeGreaterThanOrEqual(first.slotAt + windowMs);
});

test('release gives the slot back; a token of another window books in that window', async () => {
  const rw = new RateWindows(a, prefix);
  const w = windowOf(1, 300);
  await rw.book(w, 'first');
  const given = await rw.book(w, 'given-back');
  await rw.release(given.token);
  const next = await rw.book(w, 'next');
  expect(next.slotAt).toBe(given.slotAt);

  const other = windowOf(1, 300);
  const moved = await rw.take(next.token, other);
  expect(moved.waitMs).toBe(0);
  expect(moved.token.startsWith(`${next.token.split(' ')[0]} `)).toBe(false);
  expect(moved.token.split(' ')[1].startsWith('next:')).toBe(true);
  // Its booking in the first window was given back.
  const again = await rw.book(w, 'again');
  expect(again.slotAt).toBe(given.slotAt);
});

test('jobs that all wake at once after a stall (Strapi down) call within the limit, the rest spread over the next windows', async () => {
  const ra = new RateWindows(a, prefix);
  const rb = new RateWindows(b, prefix);
  const w = windowOf(2, 300);
  const jobs = [];
  for (let i = 0; i < 8; i++) jobs.push(stamp(await (i % 2 ? ra : rb).book(w, `job-${i}`)));
  const windowMs = jobs[2].slotAt - jobs[0].slotAt;
  const calls = jobs.filter((j) => j.waitMs === 0).map((j) => j.slotAt);
  expect(calls).toHaveLength(2);
  // Every slot falls due while nothing runs; then the six woken jobs take at the same moment.
  await until(Math.max(...jobs.map((j) => j.slotAt)) + 50, jobs[0]);
  let pending = await Promise.all(jobs.filter((j) => j.waitMs > 0).map((j, i) => (i % 2 ? ra : rb).take(j.token, w)));
  const slots = pending.filter((p) => p.waitMs > 0).map((p) => p.slotAt);
  const woke = pending.filter((p) => p.waitMs === 0).map((p) => p.slotAt);
  expect(woke).toHaveLength(2);
  // No herd: the new slots, with the calls just made, hold no more than max per window, so none of these
  // jobs is bound to find its window full again.
  expect(maxInAnyWindow([...woke, ...slots], windowMs)).toBeLessThanOrEqual(2);
  // Each woken job then comes back at its new slot (a little late), until all have called.
  pending.forEach(stamp);
  for (let round = 0; pending.length && round < 20; round++) {
    calls.push(...pending.filter((p) => p.waitMs === 0).map((p) => p.slotAt));
    pending = pending.filter((p) => p.waitMs > 0).sort((x, y) => x.slotAt - y.slotAt);
    if (!pending.length) break;
    await until(pending[0].slotAt + 5, pending[0]);
    pending = [stamp(await ra.take(pending[0].token, w)), ...pending.slice(1)];
  }
  expect(calls).toHaveLength(8);
  expect(maxInAnyWindow(calls, windowMs)).toBeLessThanOrEqual(2);
});

test('many jobs on two connections, some running late: the calls never exceed a window and every job calls', async () => {
  const ra = new RateWindows(a, prefix);
  const rb = new RateWindows(b, prefix);
  const w = windowOf(3, 300);
  const calls: number[] = [];
  const job = async (i: number) => {
    const rw = i % 2 ? ra : rb;
    await sleep((i * 37) % 400); // arrivals spread over the first windows
    let slot = await rw.book(w, `job-${i}`);
    for (let tries = 0; slot.waitMs > 0; tries++) {
      if (tries > 30) throw new Error(`job ${i} never got to call`);
      // Late wake-ups: behind other jobs, or a slow timer.
      await sleep(slot.waitMs + ((i * 53 + tries * 17) % 90));
      slot = await rw.take(slot.token, w);
    }
    calls.push(slot.slotAt);
  };
  await Promise.all(Array.from({ length: 18 }, (_, i) => job(i)));
  expect(calls).toHaveLength(18);
  expect(maxInAnyWindow(calls, w.durationMs)).toBeLessThanOrEqual(3);
});

test('a call in flight counts from the latest it may arrive; once answered, from its answer', async () => {
  const rw = new RateWindows(a, prefix);
  const w = windowOf(1, 300);
  const first = await rw.book(w, 'job-0');
  expect(first.waitMs).toBe(0);
  // In flight: it may still reach the platform a while from now, so the next slot is a window after that.
  const whileInFlight = await rw.book(w, 'job-1');
  expect(whileInFlight.slotAt - first.slotAt).toBeGreaterThanOrEqual(w.durationMs + 100);
  await rw.release(whileInFlight.token);
  await rw.done([first.token]);
  const [sec, usec] = await a.time();
  const answeredBy = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  // Answered: it has arrived, so the next call may go one window after the answer (never sooner than a window after it was made).
  const next = await rw.book(w, 'job-2');
  expect(next.slotAt - first.slotAt).toBeGreaterThanOrEqual(w.durationMs);
  expect(next.slotAt).toBeLessThanOrEqual(answeredBy + w.durationMs);
});
