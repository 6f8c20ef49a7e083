/**
 * When the next delivery attempt happens. `schedule[n]` is the wait before attempt n (attempt 0 is the
 * first send), each multiplied by a random factor in [1 - jitter, 1 + jitter] so that a receiver back
 * from an outage is not hit by every retry at once. A Retry-After from the receiver wins when longer.
 */
export function nextDelayMs(
  schedule: number[],
  attemptsMade: number,
  opts: { jitter: number; retryAfterMs?: number | null; maxRetryAfterMs: number },
  random: () => number = Math.random,
): number | null {
  if (attemptsMade >= schedule.length) return null;
  const base = schedule[attemptsMade];
  const jittered = Math.round(base * (1 - opts.jitter + 2 * opts.jitter * random()));
  const asked = opts.retryAfterMs != null ? Math.min(opts.retryAfterMs, opts.maxRetryAfterMs) : 0;
  return Math.max(jittered, asked);
}
