/**
 * Sliding-window rate limits shared by every process on the same Redis (DEV: ~10 published creates and
 * ~30 updates per 30 s; Medium: 10 posts per rolling 24 h; Hashnode: 500 mutations/min).
 *
 * A call books a slot: the earliest time at which one more call keeps every window under `max`. The
 * booking is stored at once, so jobs that wait are spread over distinct slots instead of all waking
 * together and racing. Time comes from Redis (TIME) so several hosts agree.
 */
import type Redis from 'ioredis';
import { createHash } from 'node:crypto';

// KEYS[1] = sorted set of booked slot times (ms). ARGV = windowMs, max, member.
// Returns the booked slot time and Redis' current time.
const BOOK_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
local slot = now
if n >= max then
  local pivot = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  slot = math.max(now, tonumber(pivot[2]) + window)
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  slot = math.max(slot, tonumber(last[2]))
end
redis.call('ZADD', KEYS[1], slot, ARGV[3])
redis.call('PEXPIREAT', KEYS[1], slot + window + 1000)
return { slot, now }
`;

const ARRIVAL_MARGIN_MS = 50;

// KEYS[1] = the window's sorted set; ARGV = windowMs, max, member. A job whose booked slot has come:
// it may call now if the calls made in the window ending now (not later bookings) leave room; its
// booking then moves to the real call time. Returns 1 (go) or 0 (book again).
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), now)
local own = redis.call('ZSCORE', KEYS[1], ARGV[3])
if own and tonumber(own) > now - window and tonumber(own) <= now then count = count - 1 end
if count < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], now + window + 1000)
  return 1
end
return 0
`;

export interface RateWindow {
  /** Stable name, e.g. "devto:creates". */
  name: string;
  max: number;
  durationMs: number;
  /** Limits are per account: a hash of the credential keeps accounts apart without storing it. */
  account: string;
}

export interface Booking {
  /** When the call may happen (epoch ms, Redis clock). */
  slotAt: number;
  /** ms to wait from now. */
  waitMs: number;
  /** Identifies this booking, to give it back. */
  token: string;
}


export class RateWindows {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.redis.defineCommand('crosspostBookSlot', { numberOfKeys: 1, lua: BOOK_SLOT });
    this.redis.defineCommand('crosspostTakeSlot', { numberOfKeys: 1, lua: TAKE_SLOT });
  }

  async book(w: RateWindow, member: string): Promise<Booking> {
    const key = `${this.prefix}:crosspost:rate:${w.name}:${accountHash(w.account)}`;
    const id = `${member}:${Math.random().toString(36).slice(2)}`;
    const [slot, now] = (await (this.redis as unknown as { crosspostBookSlot(...a: unknown[]): Promise<[number, number]> }).crosspostBookSlot(
      key,
      // The platform counts a call when it arrives, a few ms after we book it: keep a small margin.
      w.durationMs + ARRIVAL_MARGIN_MS,
      w.max,
      id,
    )) as [number, number];
    return { slotAt: Number(slot), waitMs: Math.max(0, Number(slot) - Number(now)), token: `${key} ${id}` };
  }

  /**
   * The job's booked slot has come. True: call now (the booking now records the real call time).
   * False: calls made meanwhile (later than they had booked) fill the window; book again.
   */
  async take(token: string, w: RateWindow): Promise<boolean> {
    const [key, id] = token.split(' ');
    const ok = await (this.redis as unknown as { crosspostTakeSlot(...a: unknown[]): Promise<number> }).crosspostTakeSlot(
      key,
      w.durationMs + ARRIVAL_MARGIN_MS,
      w.max,
      id,
    );
    return Number(ok) === 1;
  }

  /** The booking will not be used (the job books again, or gave up): free it. */
  async release(token: string): Promise<void> {
    const [key, id] = token.split(' ');
    await this.redis.zrem(key, id);
  }
}

export function accountHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}
