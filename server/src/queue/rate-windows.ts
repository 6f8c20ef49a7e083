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
  /** Identifies this booking, to move it to the real call time or give it back. */
  token: string;
}

// KEYS[1] = the window's sorted set; ARGV[1] = member. Moves the booking to Redis' current time if later.
const TOUCH_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', 'GT', now, ARGV[1])
return now
`;

export class RateWindows {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.redis.defineCommand('crosspostBookSlot', { numberOfKeys: 1, lua: BOOK_SLOT });
    this.redis.defineCommand('crosspostTouchSlot', { numberOfKeys: 1, lua: TOUCH_SLOT });
  }

  async book(w: RateWindow, member: string): Promise<Booking> {
    const key = `${this.prefix}:crosspost:rate:${w.name}:${accountHash(w.account)}`;
    const id = `${member}:${Math.random().toString(36).slice(2)}`;
    const [slot, now] = (await (this.redis as unknown as { crosspostBookSlot(...a: unknown[]): Promise<[number, number]> }).crosspostBookSlot(
      key,
      w.durationMs,
      w.max,
      id,
    )) as [number, number];
    return { slotAt: Number(slot), waitMs: Math.max(0, Number(slot) - Number(now)), token: `${key} ${id}` };
  }

  /** The call is happening now: record it at the real time, so later bookings keep their distance. */
  async touch(token: string): Promise<void> {
    const [key, id] = token.split(' ');
    await (this.redis as unknown as { crosspostTouchSlot(...a: unknown[]): Promise<number> }).crosspostTouchSlot(key, id);
  }

  /** The slot will not be used (the job ran too early or too late): free it for others. */
  async release(token: string): Promise<void> {
    const [key, id] = token.split(' ');
    await this.redis.zrem(key, id);
  }
}

export function accountHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}
