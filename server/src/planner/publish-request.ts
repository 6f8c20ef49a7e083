/**
 * POST /publish: one entry, now, on the chosen platforms (default: the entry's settings, else every
 * platform the type goes to), with the mode and delay the caller gives. The planner does the work;
 * this only checks the request against the app and narrows the plan.
 */
import type { Runtime } from '../runtime';
import type { PlatformId } from '../config/schema';
import type { Target } from '../store/publications';
import { badRequest, conflict, notFound } from '../http/errors';
import { planPublish, planUnpublish, type PlanResult } from './planner';
import { loadPublishedEntry, platformsFor } from './entry';
import { publicationView } from '../notify/events';

export interface PublishRequest {
  platforms?: PlatformId[];
  action: 'publish' | 'unpublish';
  mode?: 'publish' | 'draft';
  delayMs?: number;
  force?: boolean;
}

/** Results that mean the row was created or changed (and so is in the answer). */
const CHANGED: PlanResult[] = ['queued', 'delayed', 'outdated', 'failed', 'unpublished'];

/** A 400 for a type the plugin does not watch (checked before the entry is looked at). */
export function assertWatched(rt: Runtime, uid: string): void {
  if (!rt.config.contentTypes[uid]) {
    throw badRequest(`contentType: "${uid}" is not a content type the plugin watches (config/plugins → crosspost.config.contentTypes).`);
  }
}

export async function publishEntry(rt: Runtime, t: Target, req: PublishRequest) {
  assertWatched(rt, t.uid);
  const available = platformsFor(rt, t.uid);
  const unknown = (req.platforms ?? []).filter((p) => !available.includes(p));
  if (unknown.length) {
    throw badRequest(`platforms: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not available for ${t.uid} (not configured, or not in the type's platforms); available: ${available.join(', ') || 'none'}.`);
  }
  const exists = await rt.strapi.db.query(t.uid as never).findOne({ where: { documentId: t.documentId, ...(t.locale ? { locale: t.locale } : {}) }, select: ['id'] });
  if (!exists) throw notFound(`No entry ${t.documentId}${t.locale ? ` (${t.locale})` : ''} of ${t.uid}.`);

  let results: Partial<Record<PlatformId, PlanResult>>;
  if (req.action === 'unpublish') {
    results = await planUnpublish(rt, t, { platforms: req.platforms });
  } else {
    if (!(await loadPublishedEntry(rt, t))) throw conflict('The entry is not published in Strapi; publish it first (only published entries are cross-posted).');
    const overrides = {
      ...(req.mode ? { draft: req.mode === 'draft' } : {}),
      ...(req.delayMs !== undefined ? { delayMs: req.delayMs } : {}),
    };
    results = await planPublish(rt, t, { platforms: req.platforms, overrides, force: req.force });
  }
  const changed = new Set(Object.entries(results).filter(([, r]) => CHANGED.includes(r as PlanResult)).map(([p]) => p));
  const rows = await rt.store.findForTarget(t);
  return { results, publications: rows.filter((r) => changed.has(r.platform)).map(publicationView) };
}
