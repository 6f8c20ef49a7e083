/**
 * Small tables the stats read instead of scanning every attempt. The publication store adds to them in
 * the same transaction as the attempts it writes; rebuildRollups() recomputes them from the rows (first
 * start after an upgrade, or attempts written behind the store's back).
 * - crosspost_stats_days, for the 30-day chart: per UTC day × platform, the calls that published and the
 *   permanent failures.
 * - crosspost_stats_hours, for a window's figures: per UTC hour × platform, attempts by outcome (series
 *   'call' for those that called the platform, 'decision' for the others; bucket = the outcome, with the
 *   greatest error message as an example) and latency histograms (series 'request' and 'live', bucket
 *   as in histogram.ts). A window reads its whole hours here and only its partial hours from the attempts.
 * Status counts need no rollup: a GROUP BY over the (status, platform, …) index is a few milliseconds at
 * 100,000 rows, and a counter moved by every status write would cost the pipeline a lock and two
 * statements per write. Plain knex: SQLite, PostgreSQL, MySQL.
 */
import type { Knex } from 'knex';
import type { Core } from '@strapi/strapi';
import type { AttemptRecord } from '../store/publications';
import { computedOnce, dayOf, dialectOf, dialectOfKnex, epochMs, hourOf, insertedValue, intFloor, type Dialect } from './sql-dialect';
import { bucketOf, bucketSql } from './histogram';

export const STATS_DAYS = 'crosspost_stats_days';
export const STATS_HOURS = 'crosspost_stats_hours';
const ATT = 'crosspost_attempts';
const PUB = 'crosspost_publications';

/** Operations that called the platform (a lookup is a read; "none" made no call). */
export const CALLS = ['create', 'update', 'unpublish', 'lookup'] as const;
/** Every outcome; an outcome's bucket in the 'call' and 'decision' series is its index here. */
export const OUTCOMES = ['success', 'adopted', 'skipped', 'retryable', 'ambiguous', 'permanent', 'rate-limited'] as const;
/** Outcomes that count as errors (top errors), and whose message the rollup keeps as an example. */
export const ERROR_OUTCOMES = ['retryable', 'ambiguous', 'permanent', 'rate-limited'] as const;
/** Characters of an error message kept as an example. */
export const EXAMPLE_CHARS = 300;

const HOUR_MS = 3600e3;
export const hourNumber = (t: Date | number) => Math.floor(Number(t) / HOUR_MS);

/** Adds `n` (may be negative) to one counter row, creating it at `n` if missing. */
async function bump(trx: Knex, table: string, key: Record<string, string>, add: Record<string, number>): Promise<void> {
  const merge = Object.fromEntries(Object.entries(add).map(([col, n]) => [col, trx.raw('??.?? + ?', [table, col, n])]));
  await trx(table).insert({ ...key, ...add }).onConflict(Object.keys(key)).merge(merge);
}

const utcDay = (t: Date) => t.toISOString().slice(0, 10);
const isError = (outcome: string) => (ERROR_OUTCOMES as readonly string[]).includes(outcome);
const isCall = (operation: string) => (CALLS as readonly string[]).includes(operation);

interface HourRow {
  hour: number;
  platform: string;
  series: 'call' | 'decision' | 'request' | 'live';
  bucket: number;
  attempts: number;
  example: string | null;
}

/**
 * The rollups of attempts written at `at` (their created_at): one upsert into the day rollup per platform
 * that published or failed, and ONE multi-row upsert into the hour rollup. Publish-to-live needs the
 * row's creation time: from `known` (the rows the caller holds), else read by primary key (one SELECT,
 * only for a batch with a successful create of a row the caller did not pass).
 */
export async function countAttempts(trx: Knex, list: AttemptRecord[], at: Date, known: Array<{ id: number; createdAt: string | Date }> = []): Promise<void> {
  const byPlatform = new Map<string, { published: number; failed: number }>();
  for (const a of list) {
    const published = a.outcome === 'success' && (a.operation === 'create' || a.operation === 'update') ? 1 : 0;
    const failed = a.outcome === 'permanent' ? 1 : 0;
    if (!published && !failed) continue;
    const c = byPlatform.get(a.platform) ?? { published: 0, failed: 0 };
    c.published += published;
    c.failed += failed;
    byPlatform.set(a.platform, c);
  }
  for (const [platform, c] of [...byPlatform].sort(([a], [b]) => a.localeCompare(b))) await bump(trx, STATS_DAYS, { day: utcDay(at), platform }, c);
  await countHour(trx, list, at, known);
}

async function countHour(trx: Knex, list: AttemptRecord[], at: Date, known: Array<{ id: number; createdAt: string | Date }>): Promise<void> {
  if (!list.length) return;
  const hour = hourNumber(at);
  const created = new Map(known.map((p) => [p.id, toDate(p.createdAt).getTime()]));
  const live = list.filter((a) => a.operation === 'create' && a.outcome === 'success');
  const missing = [...new Set(live.map((a) => a.publicationId).filter((id) => !created.has(id)))];
  if (missing.length) {
    for (const r of (await trx(PUB).select('id', 'created_at').whereIn('id', missing)) as Array<{ id: number; created_at: unknown }>) {
      created.set(Number(r.id), toDate(r.created_at).getTime());
    }
  }
  const rows = new Map<string, HourRow>();
  const add = (platform: string, series: HourRow['series'], bucket: number, example: string | null = null) => {
    const k = `${platform}|${series}|${bucket}`;
    const r = rows.get(k) ?? { hour, platform, series, bucket, attempts: 0, example: null };
    r.attempts += 1;
    if (example !== null && (r.example === null || example > r.example)) r.example = example;
    rows.set(k, r);
  };
  for (const a of list) {
    const example = isError(a.outcome) && a.message ? a.message.slice(0, EXAMPLE_CHARS) : null;
    add(a.platform, isCall(a.operation) ? 'call' : 'decision', OUTCOMES.indexOf(a.outcome), example);
    if (isCall(a.operation) && a.durationMs !== undefined && a.durationMs !== null) add(a.platform, 'request', bucketOf(a.durationMs));
    const planned = created.get(a.publicationId);
    // The plugin never deletes publication rows; a row written behind its back may be gone.
    if (a.operation === 'create' && a.outcome === 'success' && planned !== undefined) add(a.platform, 'live', bucketOf(at.getTime() - planned));
  }
  const d = dialectOfKnex(trx);
  const ins = (col: string) => insertedValue(d, col);
  const cur = (col: string) => `${STATS_HOURS}.${col}`;
  // Rows in key order: two transactions upserting the same rows lock them in the same order (no deadlock).
  const sorted = [...rows.values()].sort((x, y) => x.platform.localeCompare(y.platform) || x.series.localeCompare(y.series) || x.bucket - y.bucket);
  await trx(STATS_HOURS)
    .insert(sorted)
    .onConflict(['hour', 'platform', 'series', 'bucket'])
    .merge({
      attempts: trx.raw(`${cur('attempts')} + ${ins('attempts')}`),
      example: trx.raw(`CASE WHEN ${ins('example')} IS NOT NULL AND (${cur('example')} IS NULL OR ${ins('example')} > ${cur('example')}) THEN ${ins('example')} ELSE ${cur('example')} END`),
    });
}

function toDate(v: unknown): Date {
  return new Date(typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : (v as string | Date));
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const outcomeIndex = (col: string) => `CASE ${col} ${OUTCOMES.map((o, i) => `WHEN '${o}' THEN ${i}`).join(' ')} ELSE -1 END`;

/**
 * SELECT of hour-rollup rows computed from the attempts `where` keeps (a condition on `a.created_at`,
 * `a` being crosspost_attempts), grouped by platform, series and bucket: what the writer adds, in SQL.
 * `rebuild`: every attempt, grouped by hour too; otherwise a window's partial hour (a few attempts).
 * `where` is trusted SQL with `?` placeholders for `bindings`.
 */
export function hourRowsSql(d: Dialect, where: string, bindings: unknown[], rebuild: boolean): { sql: string; bindings: unknown[] } {
  const hour = rebuild ? `${hourOf(d, 'a.created_at')} AS hour, ` : '';
  const series = `CASE WHEN a.operation IN (${list(CALLS)}) THEN 'call' ELSE 'decision' END`;
  // The row's creation time. For a window's few attempts by primary key (a join let PostgreSQL pick a
  // hash join that reads every publication row), computed once per attempt (computedOnce), not once per
  // use in the bucket's CASEs; for the rebuild, that reads every attempt, a join.
  const planned = rebuild ? epochMs(d, 'p.created_at') : `(SELECT ${epochMs(d, 'p.created_at')} FROM ${PUB} p WHERE p.id = a.publication_id)`;
  const liveFrom = rebuild ? `${ATT} a JOIN ${PUB} p ON p.id = a.publication_id` : `${ATT} a`;
  const parts = [
    // Outcomes without and with an example apart: only error rows read the message (the others stay in the index).
    `SELECT ${hour}a.platform AS platform, ${series} AS series, ${outcomeIndex('a.outcome')} AS bucket, NULL AS example
       FROM ${ATT} a WHERE (${where}) AND a.outcome NOT IN (${list(ERROR_OUTCOMES)})`,
    `SELECT ${hour}a.platform AS platform, ${series} AS series, ${outcomeIndex('a.outcome')} AS bucket, SUBSTR(a.message, 1, ${EXAMPLE_CHARS}) AS example
       FROM ${ATT} a WHERE (${where}) AND a.outcome IN (${list(ERROR_OUTCOMES)})`,
    // Both latencies, then one bucketing (a long expression: written once, computed once per value).
    `SELECT ${rebuild ? 'l.hour AS hour, ' : ''}l.platform AS platform, l.series AS series, ${bucketSql(d, 'l.v')} AS bucket, NULL AS example
       FROM (SELECT ${hour}a.platform AS platform, 'request' AS series, a.duration_ms AS v
               FROM ${ATT} a WHERE (${where}) AND a.operation IN (${list(CALLS)}) AND a.duration_ms IS NOT NULL
             UNION ALL
             SELECT ${hour}a.platform AS platform, 'live' AS series, ${intFloor(d, `${epochMs(d, 'a.created_at')} - ${planned}`)} AS v
               FROM ${liveFrom} WHERE (${where}) AND a.operation = 'create' AND a.outcome = 'success'
             ${computedOnce(d)}) l
       WHERE l.v IS NOT NULL`,
  ];
  const keys = `${rebuild ? 'hour, ' : ''}platform, series, bucket`;
  const sql = `SELECT ${keys}, COUNT(*) AS attempts, MAX(example) AS example FROM (${parts.join(' UNION ALL ')}) u GROUP BY ${keys}`;
  // `where` holds every placeholder: its bindings once per time it appears.
  const placeholders = (text: string) => text.split('?').length - 1;
  const uses = bindings.length ? placeholders(sql) / placeholders(where) : 0;
  return { sql, bindings: Array.from({ length: uses }, () => bindings).flat() };
}

export interface Rebuild {
  days?: boolean;
  hours?: boolean;
}

/**
 * Recomputes the rollups from the attempts, in one transaction. On PostgreSQL the attempts table is
 * locked against writes meanwhile, so an attempt cannot slip between the count and the commit.
 */
export async function rebuildRollups(strapi: Core.Strapi, which: Rebuild = { days: true, hours: true }): Promise<void> {
  const d = dialectOf(strapi);
  await strapi.db.transaction(async ({ trx }) => {
    const k = trx as unknown as Knex;
    if (d === 'postgres') await k.raw('LOCK TABLE crosspost_attempts IN SHARE MODE');
    if (which.days) {
      await k(STATS_DAYS).del();
      const day = dayOf(d, 'created_at');
      await k.raw(
        `INSERT INTO ${STATS_DAYS} (day, platform, published, failed)
         SELECT ${day}, platform,
           SUM(CASE WHEN outcome = 'success' AND operation IN ('create', 'update') THEN 1 ELSE 0 END),
           SUM(CASE WHEN outcome = 'permanent' THEN 1 ELSE 0 END)
         FROM ${ATT} WHERE outcome IN ('success', 'permanent') GROUP BY ${day}, platform`,
      );
    }
    if (which.hours) {
      await k(STATS_HOURS).del();
      const all = hourRowsSql(d, '1 = 1', [], true);
      await k.raw(`INSERT INTO ${STATS_HOURS} (hour, platform, series, bucket, attempts, example) ${all.sql}`, all.bindings as Knex.RawBinding[]);
    }
  });
}

/**
 * At start-up: fills a rollup that is empty while there are attempts it counts (the first start with it).
 * Only then: an empty rollup with nothing to count would make every start rebuild it (and lock the table).
 */
export async function ensureRollups(strapi: Core.Strapi, log: { info(msg: string): void; warn(msg: string): void }): Promise<void> {
  const knex = strapi.db.connection as unknown as Knex;
  const empty = async (table: string) => !(await knex(table).select('id').limit(1)).length;
  // The day rollup counts successes and permanent failures only; the hour rollup counts every attempt.
  const which: Rebuild = {
    days: (await empty(STATS_DAYS)) && (await knex(ATT).select('id').whereIn('outcome', ['success', 'permanent']).limit(1)).length > 0,
    hours: (await empty(STATS_HOURS)) && !(await empty(ATT)),
  };
  if (!which.days && !which.hours) return;
  try {
    await rebuildRollups(strapi, which);
    log.info(`crosspost: filled the stats ${[which.days && 'day', which.hours && 'hour'].filter(Boolean).join(' and ')} rollup from the existing attempts`);
  } catch (err) {
    // Another node starting at the same time did it first (unique keys), or the database refused: the stats say so later.
    log.warn(`crosspost: could not fill the stats rollups: ${(err as Error).message}`);
  }
}
