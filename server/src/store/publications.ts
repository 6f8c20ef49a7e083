/**
 * Publication rows: the outbox and the source of truth (DESIGN.md §2–3). Written with the query
 * engine, not the Document Service, so our own status churn fires no `entry.*` events or webhooks.
 * Every write that races with another process is conditional on (id, jobSeq, status).
 */
import type { Core } from '@strapi/strapi';
import { PUBLICATION_UID, ATTEMPT_UID } from '../content-types';
import type { PlatformId } from '../config/schema';
import type { LookupKeys, RemoteState } from '../platforms/types';

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

export function createPublicationStore(strapi: Core.Strapi) {
  const q = () => strapi.db.query(PUBLICATION_UID);

  return {
    async get(id: number): Promise<Publication | null> {
      return (await q().findOne({ where: { id } })) as Publication | null;
    },

    async findByKey(key: string): Promise<Publication | null> {
      return (await q().findOne({ where: { uniqueKey: key } })) as Publication | null;
    },

    async findForTarget(t: Target): Promise<Publication[]> {
      return (await q().findMany({
        where: { targetUid: t.uid, targetDocumentId: t.documentId, targetLocale: t.locale },
      })) as Publication[];
    },

    async create(data: Partial<Publication>): Promise<Publication> {
      return (await q().create({ data })) as Publication;
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
      const res = (await q().updateMany({ where, data })) as { count: number };
      return res.count > 0;
    },

    /** Conditional update on any where clause; false when no row matched. */
    async updateWhere(where: Record<string, unknown>, data: Partial<Publication>): Promise<boolean> {
      const res = (await q().updateMany({ where, data })) as { count: number };
      return res.count > 0;
    },

    async findMany(params: { where?: Record<string, unknown>; limit?: number; offset?: number; orderBy?: unknown }): Promise<Publication[]> {
      return (await q().findMany(params as never)) as Publication[];
    },

    async count(where: Record<string, unknown> = {}): Promise<number> {
      return (await q().count({ where })) as number;
    },

    async recordAttempt(a: AttemptRecord): Promise<void> {
      // createMany: one INSERT, where create() also reads the row back and opens an empty transaction.
      await strapi.db.query(ATTEMPT_UID).createMany({ data: [{ ...a, message: a.message?.slice(0, 4000) }] });
    },

    async attemptsFor(publicationId: number, limit = 50): Promise<unknown[]> {
      return strapi.db.query(ATTEMPT_UID).findMany({ where: { publicationId }, orderBy: { id: 'desc' }, limit });
    },
  };
}

export type PublicationStore = ReturnType<typeof createPublicationStore>;
