/**
 * The publication table's hot-path statements (a job reads its row and writes it conditionally, a few times a job)
 * in plain knex, with the column mapping done here: Strapi's query engine costs more per call than these
 * one-row statements themselves (building the query, processing the where clause, converting the row).
 *
 * Values are converted the way the engine's fields convert them (@strapi/database fields/*), so a row written
 * here reads back the same through the engine and the other way round, on SQLite and PostgreSQL alike: json
 * written as JSON text (jsonb on PostgreSQL takes it), read back parsed; datetimes written as Date (knex binds
 * epoch ms on SQLite, a timestamp on PostgreSQL), read back as ISO strings; booleans read back as true/false
 * (SQLite has 0/1). Anything this does not know (another column type, an operator other than $in) returns
 * undefined and the caller uses the engine.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

type Kind = 'json' | 'boolean' | 'datetime' | 'number' | 'string' | 'raw';

const KINDS: Record<string, Kind> = {
  increments: 'raw',
  string: 'string',
  text: 'string',
  enumeration: 'string',
  uid: 'string',
  integer: 'number',
  json: 'json',
  boolean: 'boolean',
  datetime: 'datetime',
  timestamp: 'datetime',
};

interface Column {
  attr: string;
  column: string;
  kind: Kind;
}

/** Not handled here: the caller goes through the query engine. */
const UNHANDLED = Symbol('unhandled');

function fromDb(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'json': {
      if (typeof v !== 'string') return v;
      try {
        const parsed = JSON.parse(v);
        // The engine parses twice what early Strapi 5 versions stringified twice.
        return typeof parsed === 'string' ? JSON.parse(parsed) : parsed;
      } catch {
        return v;
      }
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return String(v) === '1' ? true : String(v) === '0' ? false : null;
    case 'datetime': {
      const d = v instanceof Date ? v : new Date(v as string | number);
      return Number.isNaN(d.getTime()) ? null : d.toISOString();
    }
    case 'number':
      return Number(v);
    case 'string':
      return String(v);
    default:
      return v;
  }
}

function toDb(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'json':
      return typeof v === 'object' ? JSON.stringify(v) : v;
    case 'boolean':
      return typeof v === 'boolean' ? v : UNHANDLED;
    case 'datetime': {
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? UNHANDLED : v;
      // ISO strings (a row read back) only; the engine also takes other formats.
      if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) {
        const d = new Date(v);
        return Number.isNaN(d.getTime()) ? UNHANDLED : d;
      }
      return UNHANDLED;
    }
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : UNHANDLED;
    case 'string':
      return typeof v === 'string' ? v : UNHANDLED;
    default:
      return typeof v === 'number' || typeof v === 'string' ? v : UNHANDLED;
  }
}

export function createPublicationRows(strapi: Core.Strapi, uid: string) {
  let columns: Map<string, Column> | null | undefined;
  let table = '';

  /** The scalar columns, read from Strapi's metadata once; null if any has a type not handled here. */
  function columnsOf(): Map<string, Column> | null {
    if (columns !== undefined) return columns;
    const meta = (strapi.db as unknown as { metadata: { get(uid: string): { tableName: string; attributes: Record<string, { type: string; columnName?: string }> } } }).metadata.get(uid);
    table = meta.tableName;
    const map = new Map<string, Column>();
    for (const [attr, a] of Object.entries(meta.attributes)) {
      if (a.type === 'relation') continue;
      const kind = KINDS[a.type];
      if (!kind || !a.columnName) {
        columns = null;
        return columns;
      }
      map.set(attr, { attr, column: a.columnName, kind });
    }
    columns = map;
    return columns;
  }

  const db = strapi.db as unknown as { getConnection(table: string): Knex.QueryBuilder; inTransaction(): boolean; transaction(): Promise<{ get(): Knex.Transaction }> };

  /** The current transaction, if any (the engine's statements join it the same way). */
  async function currentTransaction(): Promise<Knex.Transaction | undefined> {
    return db.inTransaction() ? (await db.transaction()).get() : undefined;
  }

  /** A query on the table, in `trx` when given. (Not returned from an async function: a builder is a thenable.) */
  function query(trx: Knex.Transaction | undefined): Knex.QueryBuilder {
    const qb = db.getConnection(table);
    return trx ? qb.transacting(trx) : qb;
  }

  /** Applies `where` (equality, null, $in) to `qb`; false when it uses anything else. */
  function applyWhere(qb: Knex.QueryBuilder, cols: Map<string, Column>, where: Record<string, unknown>): boolean {
    for (const [attr, cond] of Object.entries(where)) {
      const c = cols.get(attr);
      if (!c) return false;
      if (cond === null) {
        qb.whereNull(c.column);
      } else if (typeof cond === 'object' && !(cond instanceof Date)) {
        const keys = Object.keys(cond as object);
        const list = (cond as { $in?: unknown }).$in;
        if (keys.length !== 1 || !Array.isArray(list) || !list.length) return false;
        const values = list.map((v) => toDb(c.kind, v));
        if (values.some((v) => v === UNHANDLED || v === null)) return false;
        qb.whereIn(c.column, values as Knex.Value[]);
      } else {
        const v = toDb(c.kind, cond);
        if (v === UNHANDLED) return false;
        qb.where(c.column, v as Knex.Value);
      }
    }
    return true;
  }

  return {
    /** The row with this id (null when there is none), or undefined when the engine must read it. */
    async get(id: number): Promise<Record<string, unknown> | null | undefined> {
      const cols = columnsOf();
      if (!cols) return undefined;
      const row = (await query(await currentTransaction()).where(cols.get('id')?.column ?? 'id', id).first()) as Record<string, unknown> | undefined;
      if (!row) return null;
      const out: Record<string, unknown> = {};
      for (const c of cols.values()) if (c.column in row) out[c.attr] = fromDb(c.kind, row[c.column]);
      return out;
    },

    /** UPDATE the rows `where` matches with `data`; how many changed, or undefined when the engine must do it. */
    async update(where: Record<string, unknown>, data: Record<string, unknown>): Promise<number | undefined> {
      const cols = columnsOf();
      if (!cols || !Object.keys(where).length) return undefined;
      const set: Record<string, unknown> = {};
      for (const [attr, value] of Object.entries(data)) {
        if (value === undefined) continue;
        const c = cols.get(attr);
        if (!c || c.kind === 'raw') return undefined;
        const v = toDb(c.kind, value);
        if (v === UNHANDLED) return undefined;
        set[c.column] = v;
      }
      if (!Object.keys(set).length) return undefined;
      const qb = query(await currentTransaction());
      if (!applyWhere(qb, cols, where)) return undefined;
      return Number(await qb.update(set));
    },
  };
}
