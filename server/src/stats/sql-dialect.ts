/**
 * The few SQL expressions that differ between the databases Strapi supports. SQLite stores datetimes
 * as epoch milliseconds (Strapi binds Date objects, better-sqlite3 writes their valueOf()); text dates
 * are read too, in case a row was written by another tool.
 */
import type { Core } from '@strapi/strapi';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export function dialectOf(strapi: Core.Strapi): Dialect {
  return dialectOfClient(String((strapi.db as unknown as { dialect?: { client?: string } }).dialect?.client ?? strapi.config.get('database.connection.client')));
}

/** The dialect of a knex instance or transaction. */
export function dialectOfKnex(knex: { client: { config?: { client?: unknown } } }): Dialect {
  const client = knex.client.config?.client;
  return dialectOfClient(typeof client === 'string' ? client : String((knex.client as { dialect?: string }).dialect ?? ''));
}

function dialectOfClient(client: string): Dialect {
  if (client.startsWith('postgres') || client === 'pg') return 'postgres';
  if (client.startsWith('mysql')) return 'mysql';
  return 'sqlite';
}

/** A datetime column as epoch milliseconds (a number). `col` is a trusted identifier, never input. */
export function epochMs(d: Dialect, col: string): string {
  if (d === 'postgres') return `(EXTRACT(EPOCH FROM ${col}) * 1000)`;
  if (d === 'mysql') return `(UNIX_TIMESTAMP(${col}) * 1000)`;
  return `(CASE WHEN typeof(${col}) IN ('integer', 'real') THEN ${col} ELSE (julianday(${col}) - 2440587.5) * 86400000.0 END)`;
}

/** A datetime column as its UTC day, 'YYYY-MM-DD'. */
export function dayOf(d: Dialect, col: string): string {
  if (d === 'postgres') return `to_char(${col}, 'YYYY-MM-DD')`;
  if (d === 'mysql') return `DATE_FORMAT(${col}, '%Y-%m-%d')`;
  return `strftime('%Y-%m-%d', ${epochMs(d, col)} / 1000.0, 'unixepoch')`;
}

/** A numeric expression rounded down to an integer (SQLite: truncated, which is the same for the values ≥ 0 that matter). */
export function intFloor(d: Dialect, expr: string): string {
  if (d === 'postgres') return `CAST(FLOOR(${expr}) AS BIGINT)`;
  if (d === 'mysql') return `CAST(FLOOR(${expr}) AS SIGNED)`;
  return `CAST(${expr} AS INTEGER)`;
}

/** Integer division of an integer expression by a positive integer constant. */
export function intDiv(d: Dialect, expr: string, by: number): string {
  if (by === 1) return expr;
  return d === 'mysql' ? `(${expr} DIV ${by})` : `(${expr} / ${by})`;
}

/** A datetime column as its UTC hour, counted from the epoch (an integer). */
export function hourOf(d: Dialect, col: string): string {
  if (d === 'sqlite') return intFloor(d, `${epochMs(d, col)} / 3600000`);
  return intFloor(d, `${epochMs(d, col)} / 3600000.0`);
}

/** In an upsert's update part, the value the INSERT tried to write into `col`. */
export function insertedValue(d: Dialect, col: string): string {
  return d === 'mysql' ? `VALUES(${col})` : `excluded.${col}`;
}

/**
 * Ends a derived table's SELECT so the database computes its rows once instead of merging it into the
 * outer query (which would copy an expression, and a subquery in it, into every place the outer query
 * uses its column). An OFFSET (with the LIMIT SQLite and MySQL require) keeps every database from merging.
 */
export function computedOnce(d: Dialect): string {
  if (d === 'postgres') return 'OFFSET 0';
  if (d === 'mysql') return 'LIMIT 18446744073709551615 OFFSET 0';
  return 'LIMIT -1 OFFSET 0';
}
