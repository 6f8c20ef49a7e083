/**
 * Numbers for the dashboard, computed by the database in up to five statements, run at once (on PostgreSQL
 * and MySQL each takes its own pooled connection; SQLite has one): counts by a GROUP BY over the
 * (status, platform, updated_at) index, the per-day series from the day rollup, and the window's figures
 * merged from the hour rollup (its whole hours) and the attempts of its partial hours at either edge
 * (a range of the (created_at, …) index each), bucketed in SQL exactly as the rollup is (stats/rollups.ts).
 * Percentiles are nearest rank read from the merged histograms: within 3.2 % of the exact value
 * (histogram.ts), exact below 32 ms.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../runtime';
import { PLATFORM_IDS, type PlatformId } from '../config/schema';
import { dialectOf, type Dialect } from './sql-dialect';
import { ERROR_OUTCOMES, EXAMPLE_CHARS, OUTCOMES, STATS_DAYS, STATS_HOURS, hourNumber, hourRowsSql } from './rollups';
import { percentiles } from './histogram';

export const STATS_WINDOWS = { '1h': 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3, '30d': 30 * 24 * 3600e3 } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

const PUB = 'crosspost_publications';
const SUCCESS = ['success', 'adopted'];
const ERRORS = ['retryable', 'ambiguous', 'permanent'];
/** Days in the per-day series, today (UTC) included. */
const SERIES_DAYS = 30;
const HOUR_MS = 3600e3;

type Pct = { p50: number; p95: number } | null;
interface HourRow {
  platform: string;
  series: string;
  bucket: number | string;
  attempts: number | string;
  example: string | null;
}

/**
 * The window's rows of the hour rollup's shape (platform, series, bucket, attempts, example), summed over
 * [since, now]: whole hours from the rollup, the partial hours at the edges from the attempts. An attempt's
 * hour is that of its created_at, so the two parts never count an attempt twice or miss one.
 */
function windowRows(knex: Knex, d: Dialect, since: Date, now: number): Array<Promise<HourRow[]>> {
  const first = Math.ceil(since.getTime() / HOUR_MS);
  const last = hourNumber(now);
  const fromAttempts = (where: string, bindings: unknown[]) => {
    const q = hourRowsSql(d, where, bindings, false);
    return knex.raw(q.sql, q.bindings as Knex.RawBinding[]).then(rowsOf);
  };
  // No whole hour inside: every attempt of the window from the attempts.
  if (first >= last) return [fromAttempts('a.created_at >= ? AND a.created_at <= ?', [since, new Date(now)])];
  const whole = knex(STATS_HOURS)
    .select('platform', 'series', 'bucket')
    .sum({ attempts: 'attempts' })
    .max({ example: 'example' })
    .where('hour', '>=', first)
    .andWhere('hour', '<', last)
    .groupBy('platform', 'series', 'bucket') as unknown as Promise<HourRow[]>;
  // Each edge a range of its own: one index range each (an OR of the two made PostgreSQL read the table).
  return [
    whole,
    fromAttempts('a.created_at >= ? AND a.created_at < ?', [since, new Date(first * HOUR_MS)]),
    fromAttempts('a.created_at >= ? AND a.created_at <= ?', [new Date(last * HOUR_MS), new Date(now)]),
  ];
}

/** knex.raw's rows: an array on SQLite, `.rows` on PostgreSQL, `[rows, fields]` on MySQL. */
function rowsOf(res: unknown): HourRow[] {
  if (Array.isArray(res)) return (Array.isArray(res[0]) ? res[0] : res) as HourRow[];
  return (res as { rows: HourRow[] }).rows;
}

/** The first day of the per-day series, 'YYYY-MM-DD'. */
export function seriesStart(now: number): string {
  return new Date(now - (SERIES_DAYS - 1) * 24 * 3600e3).toISOString().slice(0, 10);
}

/** The dashboard's numbers for the window ending `now` (a test may set it; the route uses the current time). */
export async function computeStats(rt: Runtime, window: StatsWindow, now = Date.now()) {
  const knex = rt.strapi.db.connection as unknown as Knex;
  const d: Dialect = dialectOf(rt.strapi);
  const since = new Date(now - STATS_WINDOWS[window]);

  const platforms = PLATFORM_IDS.map((id) => ({ id, configured: rt.connectors.has(id) }));

  // Grouped in the index's order (status, platform): an index-only scan, no sort.
  const countQuery = knex(PUB).select('status', 'platform').count({ total: '*' }).groupBy('status', 'platform') as unknown as Promise<Array<{ platform: string; status: string; total: number | string }>>;
  // Published / failed per UTC day: creates and updates that went through (an adopted copy is updated next), and permanent failures.
  const dailyQuery = knex(STATS_DAYS)
    .select('day', 'platform', 'published', 'failed')
    .where('day', '>=', seriesStart(now))
    .andWhere((w) => w.where('published', '>', 0).orWhere('failed', '>', 0))
    .orderBy([{ column: 'day' }, { column: 'platform' }]) as unknown as Promise<Array<{ day: string; platform: string; published: number | string; failed: number | string }>>;
  const [countRows, dailyRows, ...parts] = await Promise.all([countQuery, dailyQuery, ...windowRows(knex, d, since, now)]);

  const counts: Record<string, Record<string, number>> = Object.fromEntries(PLATFORM_IDS.map((p) => [p, {}]));
  for (const r of countRows) (counts[r.platform] ??= {})[r.status] = Number(r.total);
  const daily = dailyRows.map((r) => ({ day: r.day, platform: r.platform, published: Number(r.published), failed: Number(r.failed) }));

  const successRate: Record<string, number | null> = Object.fromEntries(PLATFORM_IDS.map((p) => [p, null]));
  const ok: Record<string, number> = {};
  const called: Record<string, number> = {};
  const hist = { request: new Map<string, Map<number, number>>(), live: new Map<string, Map<number, number>>() };
  const errors = new Map<string, { kind: string; platform: PlatformId; count: number; example: string | null }>();
  for (const r of parts.flat()) {
    const n = Number(r.attempts);
    const bucket = Number(r.bucket);
    if (r.series === 'request' || r.series === 'live') {
      const byPlatform = hist[r.series];
      const h = byPlatform.get(r.platform) ?? new Map<number, number>();
      h.set(bucket, (h.get(bucket) ?? 0) + n);
      byPlatform.set(r.platform, h);
      continue;
    }
    const outcome = OUTCOMES[bucket];
    if (r.series === 'call' && (SUCCESS.includes(outcome) || ERRORS.includes(outcome))) {
      called[r.platform] = (called[r.platform] ?? 0) + n;
      if (SUCCESS.includes(outcome)) ok[r.platform] = (ok[r.platform] ?? 0) + n;
    }
    if ((ERROR_OUTCOMES as readonly string[]).includes(outcome)) {
      const k = `${outcome}|${r.platform}`;
      const e = errors.get(k) ?? { kind: outcome, platform: r.platform as PlatformId, count: 0, example: null };
      e.count += n;
      const example = r.example === null || r.example === undefined ? null : String(r.example).slice(0, EXAMPLE_CHARS);
      if (example !== null && (e.example === null || example > e.example)) e.example = example;
      errors.set(k, e);
    }
  }
  for (const [platform, n] of Object.entries(called)) successRate[platform] = n ? (ok[platform] ?? 0) / n : null;
  const pctOf = (series: 'request' | 'live'): Record<string, Pct> =>
    Object.fromEntries(PLATFORM_IDS.map((p) => [p, hist[series].has(p) ? percentiles(hist[series].get(p)!) : null]));
  const requestLatency = pctOf('request');
  // From the row's first plan to its first successful create (includes a delay the editor chose).
  const publishToLive = pctOf('live');
  const topErrors = [...errors.values()]
    .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0))
    .slice(0, 10);

  return { platforms, counts, daily, window: { name: window, since: since.toISOString(), successRate, publishToLive, requestLatency, topErrors } };
}
