/** The published entries a backfill goes through, a page at a time in id order (resumable from a cursor). */
import type { Runtime } from '../runtime';
import type { Target } from '../store/publications';
import { isLocalized } from '../access/entry-access';

export interface EntryRef {
  id: number;
  target: Target;
}

function whereFor(rt: Runtime, uid: string, since: Date | null): Record<string, unknown> {
  const ct = rt.strapi.contentType(uid as never) as unknown as { options?: { draftAndPublish?: boolean } };
  // With Draft & Publish the published versions are their own rows (publishedAt set); without, every row is live.
  if (ct?.options?.draftAndPublish === false) return since ? { createdAt: { $gte: since } } : {};
  return { publishedAt: since ? { $notNull: true, $gte: since } : { $notNull: true } };
}

export async function countPublished(rt: Runtime, uid: string, since: Date | null): Promise<number> {
  return (await rt.strapi.db.query(uid as never).count({ where: whereFor(rt, uid, since) })) as number;
}

export async function publishedPage(rt: Runtime, uid: string, since: Date | null, afterId: number, limit: number): Promise<EntryRef[]> {
  const localized = isLocalized(rt.strapi, uid);
  const rows = (await rt.strapi.db.query(uid as never).findMany({
    where: { ...whereFor(rt, uid, since), id: { $gt: afterId } },
    select: ['id', 'documentId', ...(localized ? ['locale'] : [])],
    orderBy: { id: 'asc' },
    limit,
  })) as Array<{ id: number; documentId: string; locale?: string | null }>;
  return rows.map((r) => ({ id: r.id, target: { uid, documentId: r.documentId, locale: localized ? r.locale ?? '' : '' } }));
}
