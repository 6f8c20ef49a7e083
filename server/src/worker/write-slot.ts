/**
 * DEV allows 1 write a second per key (Rack::Attack), counted when the request arrives. Bull's limiter only
 * spaces job starts, and a job may call seconds after it starts (the entry is loaded, rendered, the row
 * updated), so two calls could still land inside one second. The write is therefore booked in the shared
 * Redis window right before the HTTP call, so every process on the same Redis keeps the pace.
 */
import type { Runtime } from '../runtime';
import type { PlatformId } from '../config/schema';
import { writeWindowFor } from './rate-limits';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves when this process may send one write to `platform` now (the write is then recorded). Returns the
 * booking's token, for RateWindows.done() once the write is answered; undefined when no window applies.
 */
export async function waitForWriteSlot(rt: Runtime, platform: PlatformId, member: string): Promise<string | undefined> {
  const w = writeWindowFor(rt.config, platform);
  if (!w) return undefined;
  const started = Date.now();
  let booking = await rt.rateWindows.book(w, member);
  if (booking.waitMs <= 0) return booking.token;
  while (booking.waitMs > 0) {
    await sleep(booking.waitMs);
    booking = await rt.rateWindows.take(booking.token, w);
  }
  rt.metrics.rateLimited(platform, w.name, Date.now() - started);
  return booking.token;
}
