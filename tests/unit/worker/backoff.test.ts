import { fullJitterDelay, rateLimitedDelay } from '../../../server/src/worker/backoff';

describe('full-jitter backoff', () => {
  test('stays within [0, min(cap, base·2^n)]', () => {
    for (let n = 0; n < 12; n++) {
      expect(fullJitterDelay(n, 100, 5000, () => 0)).toBe(0);
      expect(fullJitterDelay(n, 100, 5000, () => 0.999999)).toBe(Math.round(0.999999 * Math.min(5000, 100 * 2 ** n)));
    }
  });
  test('is spread out, not a fixed value', () => {
    const values = new Set(Array.from({ length: 50 }, () => fullJitterDelay(5, 100, 100000)));
    expect(values.size).toBeGreaterThan(40);
  });
});

describe('rate-limited delay', () => {
  test('Retry-After wins, with a little jitter on top', () => {
    expect(rateLimitedDelay(30000, 60000, () => 0)).toBe(30000);
    expect(rateLimitedDelay(30000, 60000, () => 0.999)).toBeLessThanOrEqual(30250);
  });
  test('without Retry-After the platform fallback applies', () => {
    expect(rateLimitedDelay(undefined, 60000, () => 0)).toBe(60000);
    expect(rateLimitedDelay(undefined, 60000, () => 1)).toBe(72000);
  });
});
