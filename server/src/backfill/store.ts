/** Backfill rows (plugin::crosspost.backfill) and the view routes answer with, its progress read from the publication rows. */
import type { Runtime } from '../runtime';
import { BACKFILL_UID } from '../content-types';
import type { PlatformId } from '../config/schema';
import type { PublicationStatus } from '../store/publications';

export interface BackfillRow {
  id: number;
  contentType: string;
  platforms: PlatformId[];
  since: string | Date | null;
  status: 'running' | 'done' | 'canceled' | 'failed';
  found: number;
  planned: number;
  skipped: number;
  cursor: number;
  planningDone: boolean;
  publicationIds: number[] | null;
  estimatedSeconds: number;
  lastError: string | null;
  startedAt: string | Date | null;
  finishedAt: string | Date | null;
}

const q = (rt: Runtime) => rt.strapi.db.query(BACKFILL_UID);

export const backfillStore = {
  get: async (rt: Runtime, id: number) => (await q(rt).findOne({ where: { id } })) as BackfillRow | null,
  create: async (rt: Runtime, data: Partial<BackfillRow>) => (await q(rt).create({ data })) as BackfillRow,
  update: async (rt: Runtime, id: number, data: Partial<BackfillRow>) => (await q(rt).update({ where: { id }, data })) as BackfillRow,
  /** Only while still running: a cancel wins over a runner's late write. */
  updateRunning: async (rt: Runtime, id: number, data: Partial<BackfillRow>) =>
    ((await q(rt).updateMany({ where: { id, status: 'running' }, data })) as { count: number }).count > 0,
  list: async (rt: Runtime, limit = 20) => (await q(rt).findMany({ orderBy: { id: 'desc' }, limit })) as BackfillRow[],
  running: async (rt: Runtime) => (await q(rt).findMany({ where: { status: 'running' }, orderBy: { id: 'asc' } })) as BackfillRow[],
};

const TERMINAL: PublicationStatus[] = ['published', 'unpublished', 'failed', 'outdated', 'unconfirmed', 'canceled'];
const CHUNK = 500;

/** Status counts of the rows a backfill planned (in chunks: databases bound the size of IN lists). */
export async function plannedStatusCounts(rt: Runtime, ids: number[]): Promise<Partial<Record<PublicationStatus, number>>> {
  const counts: Partial<Record<PublicationStatus, number>> = {};
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = (await rt.store.findMany({ where: { id: { $in: ids.slice(i, i + CHUNK) } } })) as Array<{ status: PublicationStatus }>;
    for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  }
  return counts;
}

export function isSettled(counts: Partial<Record<PublicationStatus, number>>, planned: number): boolean {
  const settled = TERMINAL.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return settled >= planned;
}

export async function backfillView(rt: Runtime, b: BackfillRow) {
  const ids = b.publicationIds ?? [];
  const counts = await plannedStatusCounts(rt, ids);
  const published = counts.published ?? 0;
  const failed = (counts.failed ?? 0) + (counts.unconfirmed ?? 0);
  const settled = TERMINAL.reduce((n, s) => n + (counts[s] ?? 0), 0);
  // Units are (entry, platform) pairs: skipped ones count as done from the start.
  const total = b.found * (b.platforms?.length ?? 0);
  const progress = b.status === 'done' ? 1 : total ? Math.min(1, (b.skipped + settled) / total) : b.planningDone ? 1 : 0;
  return {
    id: b.id,
    contentType: b.contentType,
    platforms: b.platforms ?? [],
    since: b.since ?? null,
    status: b.status,
    found: b.found,
    planned: b.planned,
    published,
    failed,
    skipped: b.skipped,
    waiting: planningWaiting(counts),
    total,
    progress: Math.round(progress * 1000) / 1000,
    estimatedSeconds: b.estimatedSeconds,
    lastError: b.lastError ?? null,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt ?? null,
  };
}

function planningWaiting(counts: Partial<Record<PublicationStatus, number>>): number {
  return (counts.pending ?? 0) + (counts.queued ?? 0) + (counts.processing ?? 0) + (counts.retrying ?? 0);
}

export type BackfillView = Awaited<ReturnType<typeof backfillView>>;
