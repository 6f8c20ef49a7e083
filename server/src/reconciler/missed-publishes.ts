/**
 * Publishes whose planning never happened: the event lives only in memory, so a process killed
 * between Strapi's commit and our row write (or a database error while planning) would lose it.
 * This sweep finds entries of watched types published recently (never before the plugin started
 * watching the type, so installing the plugin does not post old content) whose publication rows are
 * missing or older than the publish, and plans them. Planning is idempotent (hash check), so an entry
 * whose plan job is still waiting in crosspost:plan (a backlog, no worker running) being planned here
 * as well costs a few queries and no platform call.
 */
import type { Runtime } from '../runtime';
import { uniqueKeyOf, type Publication } from '../store/publications';
import { planPublish } from '../planner/planner';
import { platformsFor } from '../planner/entry';

const BATCH = 500;
/** Rows planned a little before the entry's timestamp are the same publish (clocks, commit order). */
const SKEW_MS = 2000;

export async function watchingSince(rt: Runtime): Promise<Record<string, number>> {
  const store = rt.strapi.store({ type: 'plugin', name: 'crosspost' });
  const saved = ((await store.get({ key: 'watchingSince' })) as Record<string, number> | null) ?? {};
  let changed = false;
  for (const uid of Object.keys(rt.config.contentTypes)) {
    if (!saved[uid]) {
      saved[uid] = Date.now();
      changed = true;
    }
  }
  if (changed) await store.set({ key: 'watchingSince', value: saved });
  return saved;
}

export async function planMissedPublishes(rt: Runtime, since: Record<string, number>): Promise<number> {
  let planned = 0;
  const now = Date.now();
  for (const uid of Object.keys(rt.config.contentTypes)) {
    const platforms = platformsFor(rt, uid);
    if (!platforms.length) continue;
    const model = rt.strapi.contentType(uid as never) as unknown as { options?: { draftAndPublish?: boolean }; attributes: Record<string, unknown> };
    // Without Draft & Publish every save is live, so the last save is what counts.
    const stamp = model.options?.draftAndPublish ? 'publishedAt' : 'updatedAt';
    const from = new Date(Math.max(since[uid] ?? now, now - rt.config.reconciler.lookbackMs));
    const localized = 'locale' in model.attributes || Boolean((model as { pluginOptions?: { i18n?: { localized?: boolean } } }).pluginOptions?.i18n?.localized);
    const entries = (await rt.strapi.db.query(uid as never).findMany({
      select: ['documentId', stamp, ...(localized ? ['locale'] : [])],
      where: { [stamp]: { $gt: from } },
      orderBy: { [stamp]: 'asc' },
      limit: BATCH,
    } as never)) as Array<Record<string, unknown> & { documentId: string; locale?: string }>;
    if (!entries.length) continue;

    const rows = await rt.store.findMany({ where: { targetUid: uid, targetDocumentId: { $in: [...new Set(entries.map((e) => e.documentId))] } } });
    const byKey = new Map<string, Publication>(rows.map((r) => [r.uniqueKey, r]));
    const seen = new Set<string>();
    for (const e of entries) {
      const t = { uid, documentId: e.documentId, locale: e.locale ?? '' };
      const key = `${t.documentId}|${t.locale}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const at = new Date(e[stamp] as string).getTime();
      const stale = platforms.some((p) => {
        const row = byKey.get(uniqueKeyOf(t, p));
        return !row || !row.plannedAt || new Date(row.plannedAt).getTime() < at - SKEW_MS;
      });
      if (!stale) continue;
      const results = await planPublish(rt, t);
      if (Object.values(results).some((r) => r === 'queued' || r === 'delayed')) planned += 1;
    }
  }
  return planned;
}
