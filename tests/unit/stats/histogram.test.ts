/** The stats' latency histogram: the stated accuracy holds for every value, and SQL buckets as JavaScript does. */
import knexFactory from 'knex';
import { bucketOf, bucketSql, bucketValue, percentiles, PERCENTILE_RELATIVE_ERROR } from '../../../server/src/stats/histogram';

/** Every integer to 2^20 ms, then a spread of larger values up to the clamp (about 2.2 years). */
const values = [...Array.from({ length: 2 ** 20 + 1 }, (_, i) => i), ...Array.from({ length: 20000 }, (_, i) => Math.floor(2 ** (20 + (16 * i) / 20000)))];

test('a bucket stands for its values within 1/32, exactly below 32 ms; buckets follow the values in order', () => {
  expect(PERCENTILE_RELATIVE_ERROR).toBe(1 / 32);
  let prev = -1;
  let worst = 0;
  const wrong: number[] = [];
  for (const v of values) {
    const b = bucketOf(v);
    if (b < prev) wrong.push(v);
    prev = b;
    const err = Math.abs(Math.round(bucketValue(b)) - v);
    if (v < 32 && err !== 0) wrong.push(v);
    if (v >= 32) worst = Math.max(worst, err / v);
  }
  expect(wrong).toEqual([]);
  expect(worst).toBeLessThanOrEqual(1 / 32);
  expect(worst).toBeGreaterThan(1 / 40);
  expect(bucketOf(-5)).toBe(0);
});

test('percentiles() picks the nearest-rank value\'s bucket', () => {
  const sample = [5, 7, 7, 31, 1000, 1000, 1001, 5000, 90000, 90000];
  const hist = new Map<number, number>();
  for (const v of sample) hist.set(bucketOf(v), (hist.get(bucketOf(v)) ?? 0) + 1);
  // Ranks ceil(0.5·10) = 5 and ceil(0.95·10) = 10: 1000 and 90000.
  const got = percentiles(hist)!;
  expect(Math.abs(got.p50 - 1000)).toBeLessThanOrEqual(1000 / 32);
  expect(Math.abs(got.p95 - 90000)).toBeLessThanOrEqual(90000 / 32);
  expect(percentiles(new Map())).toBeNull();
});

test('bucketSql puts every value in the bucket bucketOf does (SQLite)', async () => {
  const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  try {
    await db.schema.createTable('t', (t) => t.bigInteger('v'));
    const sample = [-3, ...values.filter((_, i) => i % 37 === 0 || i < 300), 2 ** 36 - 1, 2 ** 36, 2 ** 40];
    await db.batchInsert('t', sample.map((v) => ({ v })), 400);
    const rows = (await db.raw(`SELECT v, ${bucketSql('sqlite', 'v')} AS b FROM t`)) as Array<{ v: number; b: number }>;
    expect(rows).toHaveLength(sample.length);
    expect(rows.filter((r) => r.b !== bucketOf(r.v))).toEqual([]);
  } finally {
    await db.destroy();
  }
});
