/**
 * The fixed log-linear histogram the stats keep latencies in (request duration, publish-to-live, in ms):
 * one bucket per millisecond below 32 ms, then 16 equal buckets per power of two, so a bucket is at most
 * 1/16 of its lower bound wide. A percentile read from it (the middle of the bucket holding the
 * nearest-rank value) is within 1/32 (3.2 %) of the exact value, and exact below 32 ms. Values from
 * 2^36 ms (about 2.2 years) up share the last bucket.
 *
 * Bucketing uses integers only (comparisons with powers of two, integer division), so JavaScript
 * (the writer) and every database (the rebuild, a window's partial hours) put a value in the same bucket.
 */
import { intDiv, type Dialect } from './sql-dialect';

/** Sub-buckets per power of two (and the first value bucketed by powers of two). */
const SUB = 16;
/** The highest power of two with its own buckets: values ≥ 2^(MAX_EXP+1) are clamped. */
const MAX_EXP = 35;
const CLAMP = 2 ** (MAX_EXP + 1) - 1;
/** 1/32: the largest error of a percentile above 32 ms, relative to the exact value. */
export const PERCENTILE_RELATIVE_ERROR = 1 / (2 * SUB);

/** The bucket of a value in ms (negative values in bucket 0). */
export function bucketOf(ms: number): number {
  const v = Math.min(Math.floor(ms), CLAMP);
  if (v < SUB) return Math.max(0, v);
  let e = 4;
  while (v >= 2 ** (e + 1)) e++;
  return SUB * (e - 4) + Math.floor(v / 2 ** (e - 4));
}

/** The value a bucket stands for: itself below 32 ms, else the middle of the integers it holds. */
export function bucketValue(bucket: number): number {
  if (bucket < 2 * SUB) return bucket;
  const e = Math.floor(bucket / SUB) + 3;
  const width = 2 ** (e - 4);
  const low = (bucket - SUB * (e - 4)) * width;
  return low + (width - 1) / 2;
}

/** Nearest-rank p50 and p95 (the ceil(p·n)-th smallest value's bucket) of a histogram; null when empty. */
export function percentiles(hist: Map<number, number>): { p50: number; p95: number } | null {
  const buckets = [...hist].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const n = buckets.reduce((s, [, c]) => s + c, 0);
  if (!n) return null;
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil(p * n));
    let seen = 0;
    for (const [b, c] of buckets) {
      seen += c;
      if (seen >= rank) return Math.round(bucketValue(b));
    }
    return Math.round(bucketValue(buckets[buckets.length - 1][0]));
  };
  return { p50: at(0.5), p95: at(0.95) };
}

/**
 * bucketOf() in SQL, for an expression `v` that is an integer number of ms (see intFloor). A binary tree
 * of CASEs over the power of two: a handful of comparisons per row.
 */
export function bucketSql(d: Dialect, v: string): string {
  const leaf = (e: number) => `(${SUB * (e - 4)} + ${intDiv(d, v, 2 ** (e - 4))})`;
  const tree = (lo: number, hi: number): string => {
    if (lo === hi) return leaf(lo);
    const mid = Math.ceil((lo + hi) / 2);
    return `CASE WHEN ${v} < ${2 ** mid} THEN ${tree(lo, mid - 1)} ELSE ${tree(mid, hi)} END`;
  };
  return `CASE WHEN ${v} < 0 THEN 0 WHEN ${v} < ${SUB} THEN ${v} WHEN ${v} > ${CLAMP} THEN ${bucketOf(CLAMP)} ELSE ${tree(4, MAX_EXP)} END`;
}
