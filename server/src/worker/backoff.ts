/** Exponential backoff with full jitter (AWS): random(0, min(cap, base · 2^attempt)). */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(random() * ceiling);
}

/** Wait used for a 429 that did not say how long: long enough not to hammer, jittered so workers spread out. */
export function rateLimitedDelay(retryAfterMs: number | undefined, fallbackMs: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs + Math.round(random() * 250);
  return fallbackMs + Math.round(random() * fallbackMs * 0.2);
}
