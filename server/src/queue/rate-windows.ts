/**
 * Sliding-window rate limits shared by every process on the same Redis (DEV: ~10 published creates and
 * ~30 updates per 30 s; Medium: 10 posts per rolling 24 h; Hashnode: 500 mutations/min).
 *
 * A call books a slot: the earliest time at which one more call keeps every window under `max`. The
 * booking is stored at once, so jobs that wait are spread over distinct slots instead of all waking
 * together and racing. When its slot comes, the job calls only if the calls actually made leave room;
 * if not, its booking keeps its place and moves to the next moment there is. Time comes from Redis
 * (TIME) so several hosts agree.
 */
import type Redis from 'ioredis';
import { createHmac } from 'node:crypto';

// Two sorted sets per window: the calls made (KEYS[1], score = the latest moment the call may reach the
// platform: when made + the arrival margin ARGV[4] while in flight, when answered once done) and the bookings
// still to be used (KEYS[2], score = slot). A new call is assumed to arrive at once (its earliest), an earlier
// one at its score (its latest): the windows are the platform's own, the margin is only where it is needed. Only calls count against the limit: a booking whose slot has passed unused (its
// job is stuck behind others in the queue, or gone) holds nothing, so a job that is running uses the room
// rather than leaving it idle. A job whose booking has come checks the calls again (take), which is what
// keeps every window under `max`.
const COMMON = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local margin = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)

-- Calls in the window and bookings not yet due (as the calls they become: slot + margin), in time order; and
-- the last booked slot.
local lastBooked = 0
local function entries()
  local s = {}
  local calls = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES')
  for i = 2, #calls, 2 do s[#s + 1] = tonumber(calls[i]) end
  local booked = redis.call('ZRANGEBYSCORE', KEYS[2], now, '+inf', 'WITHSCORES')
  for i = 2, #booked, 2 do
    local b = tonumber(booked[i])
    s[#s + 1] = b + margin
    if b > lastBooked then lastBooked = b end
  end
  table.sort(s)
  return s
end

local function keep(slot)
  redis.call('ZADD', KEYS[2], slot, ARGV[3])
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[2], tonumber(last[2]) + margin + window + 1000)
end

-- A call in flight counts from when it may arrive at the latest (now + ARGV[4]); done() moves it back to the
-- moment its answer came, when it has surely arrived.
local function call()
  local at = now + margin
  redis.call('ZREM', KEYS[2], ARGV[3])
  redis.call('ZADD', KEYS[1], at, ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], at + window + 1000)
end
`;

// KEYS = calls, bookings; ARGV = windowMs, max, member, arrival margin (ms). Room now: the call is recorded (slot = now). Else
// the booking goes after every booking not yet due, at the earliest slot that keeps each window under max.
// Returns the slot and Redis' current time.
const BOOK_SLOT = `${COMMON}
if redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf') < max then
  call()
  return { now, now }
end
local s = entries()
local slot = math.max(now, s[#s - max + 1] + window, lastBooked)
keep(slot)
return { slot, now }
`;

// The platform counts a call when it arrives, and a call leaves a while after it is recorded (the in-flight
// mark, the HTTP request): a few ms in a quiet process, up to ~200 ms in one that is also serving a burst of
// publishes (measured in bench 3). A later call that left quickly must not land inside the window of an
// earlier one that left slowly, so a call in flight counts as made this much later. Once its answer is back
// (done()), it counts from that moment: it arrived before, so the next call, at least a window later, arrives
// more than a window after it, whatever the delays; no margin is lost on every window.
const ARRIVAL_MARGIN_MS = 150;

// KEYS = calls; ARGV = member. The call's answer came: it counts from now. Sooner than the margin assumed, or
// later: a call held up longer than the margin (a starved process) arrived by now, not by the margin.
const DONE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if at then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  -- Counted later than it was: the key must live that much longer.
  local later = now - tonumber(at)
  local ttl = redis.call('PTTL', KEYS[1])
  if later > 0 and ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl + later) end
end
return now
`;

// KEYS = calls, bookings; ARGV = windowMs, max, member, arrival margin. The job's booked slot has come: it may call now if
// the calls made in the window ending now leave room (the call is then recorded). Else its booking is kept
// and moves to the first moment one more call fits, counting the calls made and the bookings not yet due up
// to that moment: when earlier calls merely ran late, that is right after them, its place in line (ahead of
// later bookings); when a job that came while it was stuck used its room, the next room free. Not behind
// every booking: room freed meanwhile would go unused. Bookings it crowds out move the same way in turn.
// Returns the slot (= now: go) and Redis' current time.
const TAKE_SLOT = `${COMMON}
local count = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
-- Its own entry among the calls does not count against it: a run that took and then died before the call,
-- or a booking made before calls and bookings were kept apart.
local own = redis.call('ZSCORE', KEYS[1], ARGV[3])
if own and tonumber(own) > now - window then count = count - 1 end
if count < max then
  call()
  return { now, now }
end
redis.call('ZREM', KEYS[2], ARGV[3])
local s = entries()
local slot = now
local hi, lo = 0, 0
while true do
  -- Entries up to slot + margin: a call at slot may reach the platform no later than that.
  while hi < #s and s[hi + 1] <= slot + margin do hi = hi + 1 end
  while lo < #s and s[lo + 1] <= slot - window do lo = lo + 1 end
  if hi - lo < max then break end
  -- Full: the next chance is when the oldest entry in the window leaves it.
  slot = s[lo + 1] + window
end
keep(slot)
return { slot, now }
`;

/**
 * A slot this close is waited for in the job: deferring it through the queue would cost one more job start,
 * and a start counts against the platform's write limiter.
 */
const SHORT_WAIT_MS = 25;

export interface RateWindow {
  /** Stable name, e.g. "devto:creates". */
  name: string;
  max: number;
  durationMs: number;
  /** Limits are per account: a hash of the credential keeps accounts apart without storing it. */
  account: string;
  /** How late a call may arrive after it is recorded, beyond the default ARRIVAL_MARGIN_MS. */
  extraArrivalMarginMs?: number;
}

export interface Booking {
  /** When the call may happen (epoch ms, Redis clock). */
  slotAt: number;
  /** ms to wait from now. */
  waitMs: number;
  /** Identifies this booking, to take it when its slot comes or give it back. */
  token: string;
}

export class RateWindows {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The app's secret: account keys are an HMAC of the credential with it, so Redis never holds a guessable digest. */
    private readonly keySecret = '',
  ) {
    this.redis.defineCommand('crosspostBookSlot', { numberOfKeys: 2, lua: BOOK_SLOT });
    this.redis.defineCommand('crosspostTakeSlot', { numberOfKeys: 2, lua: TAKE_SLOT });
    this.redis.defineCommand('crosspostCallDone', { numberOfKeys: 1, lua: DONE });
  }

  /** Books the earliest slot for one call; waitMs 0: call now (the call is recorded). */
  async book(w: RateWindow, member: string): Promise<Booking> {
    const token = `${this.keyOf(w)} ${member}:${Math.random().toString(36).slice(2)}`;
    return this.settle(token, w, await this.run('crosspostBookSlot', token, w));
  }

  /**
   * The job's booked slot has come. waitMs 0: call now (the booking now records the call). Otherwise calls
   * made meanwhile fill the window: the booking, kept, has moved to the next moment there is room.
   */
  async take(token: string, w: RateWindow): Promise<Booking> {
    const [key, id] = token.split(' ');
    if (key !== this.keyOf(w)) {
      // Booked for another window (the entry was re-planned meanwhile, or the credential changed).
      await this.release(token);
      return this.book(w, id.slice(0, id.lastIndexOf(':')));
    }
    return this.settle(token, w, await this.run('crosspostTakeSlot', token, w));
  }

  /**
   * The calls of these bookings have had their answer (or an error status): each counts from now, when it has
   * surely arrived, instead of from the moment the margin assumed. Best effort: if Redis does not answer, they
   * keep that time.
   */
  async done(tokens: string[]): Promise<void> {
    await Promise.all(
      tokens.map((token) => {
        const [key, id] = token.split(' ');
        return (this.redis as unknown as { crosspostCallDone: (k: string, m: string) => Promise<unknown> }).crosspostCallDone(key, id).catch(() => undefined);
      }),
    );
  }

  /** The booking will not be used (the job gave up or was re-planned): free it. */
  async release(token: string): Promise<void> {
    const [key, id] = token.split(' ');
    await this.redis.zrem(`${key}:booked`, id);
  }

  private keyOf(w: RateWindow): string {
    return `${this.prefix}:crosspost:rate:${w.name}:${accountHash(w.account, this.keySecret)}`;
  }

  private async settle(token: string, w: RateWindow, [slot, now]: [number, number]): Promise<Booking> {
    let waitMs = Math.max(0, slot - now);
    for (let i = 0; i < 3 && waitMs > 0 && waitMs <= SHORT_WAIT_MS; i++) {
      await new Promise((r) => setTimeout(r, waitMs));
      [slot, now] = await this.run('crosspostTakeSlot', token, w);
      waitMs = Math.max(0, slot - now);
    }
    return { slotAt: slot, waitMs, token };
  }

  private async run(command: 'crosspostBookSlot' | 'crosspostTakeSlot', token: string, w: RateWindow): Promise<[number, number]> {
    const [key, id] = token.split(' ');
    const [slot, now] = (await (this.redis as unknown as Record<typeof command, (...a: unknown[]) => Promise<[number, number]>>)[command](
      key,
      `${key}:booked`,
      w.durationMs,
      w.max,
      id,
      ARRIVAL_MARGIN_MS + (w.extraArrivalMarginMs ?? 0),
    )) as [number, number];
    return [Number(slot), Number(now)];
  }
}

/**
 * Names a platform account in Redis keys without the credential: an HMAC keyed by the app's secret (an
 * unsalted digest of a known token would confirm a guess; a short one could collide between accounts).
 */
export function accountHash(credential: string, appSecret: string): string {
  return createHmac('sha256', `crosspost-rate:${appSecret}`).update(credential).digest('hex').slice(0, 32);
}
