/**
 * Publication rows: the outbox and the source of truth (DESIGN.md §2–3). Written with the query
 * engine, not the Document Service, so our own status churn fires no `entry.*` events or webhooks.
 * Every write that races with another process is conditional on (id, jobSeq, status). Attempts also move
 * the stats rollups (per day and per hour, stats/rollups.ts), in the same transaction; status writes stay one statement.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { PUBLICATION_UID, ATTEMPT_UID } from '../content-types';
import type { PlatformId } from '../config/schema';
import type { LookupKeys, RemoteState } from '../platforms/types';
import { countAttempts } from '../stats/rollups';
import { createPublicationRows } from './publication-rows';

export const STATUSES = ['pending', 'queued', 'processing', 'retrying', 'published', 'unpublished', 'outdated', 'unconfirmed', 'failed', 'canceled'] as const;
export type PublicationStatus = (typeof STATUSES)[number];

/** States in which a job is expected to exist (or be about to). */
export const ACTIVE_STATUSES: PublicationStatus[] = ['pending', 'queued', 'processing', 'retrying'];

export interface Publication {
  id: number;
  documentId: string;
  uniqueKey: string;
  targetUid: string;
  targetDocumentId: string;
  targetLocale: string;
  platform: PlatformId;
  status: PublicationStatus;
  desired: 'published' | 'unpublished';
  title: string | null;
  remoteId: string | null;
  remoteUrl: string | null;
  remoteState: 'none' | RemoteState;
  payloadHash: string | null;
  /**
   * The payload the planner rendered (its hash is payloadHash) and the entry version it came from
   * (entryVersionOf): a job reuses it instead of loading and rendering the entry again while that version is
   * still the published one.
   */
  renderedPayload: unknown | null;
  renderedFrom: string | null;
  syncedHash: string | null;
  jobSeq: number;
  attempts: number;
  needsLookup: boolean;
  lastError: string | null;
  lastErrorKind: string | null;
  warnings: string[] | null;
  options: Record<string, unknown> | null;
  lookupKeys: LookupKeys | null;
  inFlightSince: string | Date | null;
  claimedAt: string | Date | null;
  /** Bull job id that holds the row while it is `processing`. */
  claimedBy: string | null;
  nextAttemptAt: string | Date | null;
  /** A rate-limit slot booked for this row's next platform call. */
  rateSlotAt: string | Date | null;
  /** Which booking in the rate window holds that slot (to move or give it back). */
  rateSlotToken: string | null;
  lastSyncedAt: string | Date | null;
  /** Last time the planner looked at this row for a publish (the reconciler compares it with the entry). */
  plannedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

export interface Target {
  uid: string;
  documentId: string;
  locale: string;
}

export const uniqueKeyOf = (t: Target, platform: PlatformId) => `${t.uid}|${t.documentId}|${t.locale}|${platform}`;

export interface AttemptRecord {
  publicationId: number;
  platform: PlatformId;
  operation: 'create' | 'update' | 'unpublish' | 'lookup' | 'none';
  outcome: 'success' | 'adopted' | 'skipped' | 'retryable' | 'ambiguous' | 'permanent' | 'rate-limited';
  httpStatus?: number;
  durationMs?: number;
  message?: string;
  jobSeq?: number;
}

export interface StoreHooks {
  /** Told about every attempt recorded (metrics). */
  onAttempt?(a: AttemptRecord): void;
}

export function createPublicationStore(strapi: Core.Strapi, hooks: StoreHooks = {}) {
  const q = () => strapi.db.query(PUBLICATION_UID);
  // A job's own reads and writes of its row skip the query engine (publication-rows.ts); anything else uses it.
  const rows = createPublicationRows(strapi, PUBLICATION_UID);
  /** Runs `fn` in the current transaction, or a new one (Strapi nests by reusing the outer one). */
  const inTransaction = <T>(fn: (trx: Knex) => Promise<T>): Promise<T> => strapi.db.transaction(({ trx }) => fn(trx as unknown as Knex)) as Promise<T>;

  /** UPDATE the rows `where` matches; returns how many changed. */
  async function writeRows(where: Record<string, unknown>, data: Partial<Publication>): Promise<number> {
    const changed = await rows.update(where, data as Record<string, unknown>);
    if (changed !== undefined) return changed;
    return ((await q().updateMany({ where, data })) as { count: number }).count;
  }

  /** `rows`: the publications of these attempts the caller holds (spares the rollup a read of their creation time). */
  async function insertAttempts(list: AttemptRecord[], rows: Array<Pick<Publication, 'id' | 'createdAt'>> = []): Promise<void> {
    if (!list.length) return;
    await inTransaction(async (trx) => {
      // One time for the batch, written on the rows: the rollups file them under its hour and day.
      const at = new Date();
      // createMany: one INSERT, where create() also reads the row back.
      await strapi.db.query(ATTEMPT_UID).createMany({ data: list.map((a) => ({ ...a, message: a.message?.slice(0, 4000), createdAt: at, updatedAt: at })) });
      await countAttempts(trx, list, at, rows);
    });
    // Metrics count every attempt, whichever way it was written.
    for (const a of list) hooks.onAttempt?.(a);
  }

  return {
    async get(id: number): Promise<Publication | null> {
      const row = await rows.get(id);
      if (row !== undefined) return row as unknown as Publication | null;
      return (await q().findOne({ where: { id } })) as Publication | null;
    },

    async findByKey(key: string): Promise<Publication | null> {
      return (await q().findOne({ where: { uniqueKey: key } })) as Publication | null;
    },

    /** The rows of these unique keys (one query for every platform of an entry). */
    async findByKeys(keys: string[]): Promise<Publication[]> {
      return keys.length ? ((await q().findMany({ where: { uniqueKey: { $in: keys } } })) as Publication[]) : [];
    },

    async findForTarget(t: Target): Promise<Publication[]> {
      return (await q().findMany({
        where: { targetUid: t.uid, targetDocumentId: t.documentId, targetLocale: t.locale },
      })) as Publication[];
    },

    async create(data: Partial<Publication>): Promise<Publication> {
      return (await q().create({ data })) as Publication;
    },

    /**
     * New rows in one INSERT (create() adds an empty transaction and a read-back per row). Returns their ids in
     * order; the caller knows what it wrote.
     */
    async createMany(list: Array<Partial<Publication>>): Promise<number[]> {
      if (!list.length) return [];
      const res = (await q().createMany({ data: list })) as { ids: number[] };
      return res.ids;
    },

    /** Unconditional update by id. */
    async update(id: number, data: Partial<Publication>): Promise<Publication> {
      return (await q().update({ where: { id }, data })) as Publication;
    },

    /**
     * Update only if the row is still at `jobSeq` (and, optionally, in one of `statuses`).
     * Returns false when another writer got there first.
     */
    async updateIf(id: number, cond: { jobSeq?: number; statuses?: PublicationStatus[] }, data: Partial<Publication>): Promise<boolean> {
      const where: Record<string, unknown> = { id };
      if (cond.jobSeq !== undefined) where.jobSeq = cond.jobSeq;
      if (cond.statuses) where.status = { $in: cond.statuses };
      return (await writeRows(where, data)) > 0;
    },

    /** Conditional update on any where clause; false when no row matched. */
    async updateWhere(where: Record<string, unknown>, data: Partial<Publication>): Promise<boolean> {
      return (await writeRows(where, data)) > 0;
    },

    async findMany(params: { select?: string[]; where?: Record<string, unknown>; limit?: number; offset?: number; orderBy?: unknown }): Promise<Publication[]> {
      return (await q().findMany(params as never)) as Publication[];
    },

    async count(where: Record<string, unknown> = {}): Promise<number> {
      return (await q().count({ where })) as number;
    },

    /** Runs `fn` in one database transaction: every store call inside it uses that transaction. */
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      return strapi.db.transaction(() => fn());
    },

    /** One INSERT for the attempts of a job, and the rollups (a statement each, same transaction). */
    insertAttempts,

    async recordAttempt(a: AttemptRecord): Promise<void> {
      await insertAttempts([a]);
    },

    async attemptsFor(publicationId: number, limit = 50): Promise<unknown[]> {
      return strapi.db.query(ATTEMPT_UID).findMany({ where: { publicationId }, orderBy: { id: 'desc' }, limit });
    },
  };
}

export type PublicationStore = ReturnType<typeof createPublicationStore>;
