/**
 * Retry many rows at once (by ids or by the list filter). Only failed and canceled rows are retried in
 * bulk: a waiting row already has its job, and an unconfirmed create needs the editor's own "retry
 * anyway" (it may post a duplicate). Each requeue is conditional on the row's jobSeq and status, so two
 * bulk calls racing on the same rows queue each row once: the loser sees the row moved and skips it.
 */
import type { Runtime } from '../runtime';
import { enqueue } from '../planner/planner';
import type { Publication, PublicationStatus } from '../store/publications';
import { publicationWhere, type PublicationFilter } from '../store/publication-filter';

export const BULK_RETRYABLE: PublicationStatus[] = ['failed', 'canceled'];
/** Rows taken by one filter call; the answer says when more matched. */
export const BULK_FILTER_LIMIT = 1000;

export interface BulkRetryResult {
  requeued: number[];
  skipped: Array<{ id: number; reason: string }>;
  /** By filter: how many rows matched (may exceed the limit). */
  matched?: number;
  limit?: number;
  truncated?: boolean;
}

/** Checked per row before it is touched (entry access); a string is the reason to skip it. */
export type RowGuard = (row: Publication) => Promise<string | null>;

async function retryRow(rt: Runtime, row: Publication, guard: RowGuard): Promise<string | null> {
  if (!BULK_RETRYABLE.includes(row.status)) {
    return row.status === 'unconfirmed'
      ? 'unconfirmed: it may already be on the platform; retry it on its own ("retry anyway") or confirm its URL'
      : `${row.status}: only failed or canceled publications are retried in bulk`;
  }
  if (!rt.connectors.has(row.platform)) return rt.settings.whyOff(row.platform) ?? `${row.platform} is not configured (no credentials)`;
  const denied = await guard(row);
  if (denied) return denied;
  const seq = row.jobSeq + 1;
  const ok = await rt.store.updateWhere(
    { id: row.id, jobSeq: row.jobSeq, status: { $in: BULK_RETRYABLE } },
    { status: 'pending', jobSeq: seq, nextAttemptAt: null, attempts: 0, lastError: null, lastErrorKind: null },
  );
  if (!ok) return 'already requeued or changed meanwhile';
  await enqueue(rt, { ...row, status: 'pending', jobSeq: seq }, seq);
  return null;
}

async function retryRows(rt: Runtime, rows: Publication[], guard: RowGuard, result: BulkRetryResult): Promise<BulkRetryResult> {
  for (const row of rows) {
    const reason = await retryRow(rt, row, guard);
    if (reason) result.skipped.push({ id: row.id, reason });
    else result.requeued.push(row.id);
  }
  return result;
}

export async function bulkRetryIds(rt: Runtime, ids: number[], guard: RowGuard): Promise<BulkRetryResult> {
  const unique = [...new Set(ids)];
  const rows = await rt.store.findMany({ where: { id: { $in: unique } } });
  const found = new Set(rows.map((r) => r.id));
  const result: BulkRetryResult = { requeued: [], skipped: unique.filter((id) => !found.has(id)).map((id) => ({ id, reason: 'not found' })) };
  const byId = new Map(rows.map((r) => [r.id, r]));
  return retryRows(rt, unique.filter((id) => byId.has(id)).map((id) => byId.get(id)!), guard, result);
}

export async function bulkRetryFilter(rt: Runtime, filter: PublicationFilter, guard: RowGuard): Promise<BulkRetryResult> {
  const statuses = (filter.status?.length ? filter.status : ['failed' as const]).filter((s) => BULK_RETRYABLE.includes(s));
  if (!statuses.length) return { requeued: [], skipped: [], matched: 0, limit: BULK_FILTER_LIMIT, truncated: false };
  const where = publicationWhere({ ...filter, status: statuses });
  const [rows, matched] = await Promise.all([
    rt.store.findMany({ where, orderBy: [{ id: 'asc' }], limit: BULK_FILTER_LIMIT }),
    rt.store.count(where),
  ]);
  return retryRows(rt, rows, guard, { requeued: [], skipped: [], matched, limit: BULK_FILTER_LIMIT, truncated: matched > rows.length });
}
