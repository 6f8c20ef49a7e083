/**
 * Decides, per enabled platform, what an entry's publish or unpublish means: render the payload,
 * hash it, upsert the publication row (the outbox), and queue a job unless nothing changed.
 */
import type { Runtime } from '../runtime';
import { uniqueKeyOf, type Publication, type Target } from '../store/publications';
import type { PlatformId } from '../config/schema';
import { ArticleError } from '../content';
import { hashPayload } from './hash';
import { imageWarnings } from './preflight';
import { articleFor, loadPublishedEntry, platformsFor } from './entry';
import type { Article } from '../content/types';
import { settingFor, type PlatformSetting } from '../store/entry-settings';

export type PlanResult = 'queued' | 'delayed' | 'unchanged' | 'already-planned' | 'outdated' | 'unconfirmed' | 'failed' | 'not-published' | 'unpublished' | 'disabled' | 'nothing';

const IN_FLIGHT = ['pending', 'queued', 'processing', 'retrying'];

export async function planPublish(rt: Runtime, t: Target): Promise<Partial<Record<PlatformId, PlanResult>>> {
  if (!rt.config.contentTypes[t.uid]) return {};
  const entry = await loadPublishedEntry(rt, t);
  if (!entry) return {};
  const settings = await rt.entrySettings.get(t);
  // The same article goes to every platform: build it (and check its images) once.
  let article: Article | ArticleError;
  try {
    article = articleFor(rt, t, entry);
  } catch (err) {
    if (!(err instanceof ArticleError)) throw err;
    article = err;
  }
  const preflight = article instanceof ArticleError ? [] : await preflightWarnings(rt, article);
  const results: Partial<Record<PlatformId, PlanResult>> = {};
  for (const platform of platformsFor(rt, t.uid)) {
    const setting = settingFor(settings, platform);
    // The editor switched this platform off for this entry: nothing new goes there.
    results[platform] = setting.enabled === false ? 'disabled' : await planPlatformPublish(rt, t, platform, article, setting, preflight);
  }
  return results;
}

/** Image reachability, once per entry for every platform (the same images go everywhere). */
async function preflightWarnings(rt: Runtime, article: Article): Promise<string[]> {
  if (!rt.config.preflight.checkImages) return [];
  return imageWarnings(article, { timeoutMs: rt.config.preflight.imageTimeoutMs, allowPrivateHosts: rt.config.preflight.allowPrivateHosts });
}

async function planPlatformPublish(
  rt: Runtime,
  t: Target,
  platform: PlatformId,
  built: Article | ArticleError,
  setting: PlatformSetting,
  preflight: string[],
): Promise<PlanResult> {
  const connector = rt.connectors.get(platform)!;
  const key = uniqueKeyOf(t, platform);
  const existing = await rt.store.findByKey(key);
  const options = { draft: setting.draft ?? false };

  let title: string;
  let hash: string;
  let warnings: string[];
  try {
    if (built instanceof ArticleError) throw built;
    const article = built;
    const rendered = connector.render(article, options);
    title = article.title;
    warnings = [...rendered.warnings, ...preflight];
    hash = hashPayload(rendered.payload);
    if (rendered.blocking.length) {
      await upsert(rt, t, platform, existing, {
        title, warnings, payloadHash: hash, desired: 'published', status: 'failed', plannedAt: new Date(),
        lastError: rendered.blocking.join(' '), lastErrorKind: 'permanent', jobSeq: (existing?.jobSeq ?? 0) + 1,
      });
      return 'failed';
    }
  } catch (err) {
    if (!(err instanceof ArticleError)) throw err;
    await upsert(rt, t, platform, existing, {
      title: existing?.title ?? null, desired: 'published', status: 'failed', lastError: err.message, plannedAt: new Date(),
      lastErrorKind: 'permanent', jobSeq: (existing?.jobSeq ?? 0) + 1,
    });
    return 'failed';
  }

  const plannedAt = new Date();
  const optionsChanged = JSON.stringify(existing?.options ?? {}) !== JSON.stringify(options);
  if (existing && existing.desired === 'published') {
    const same = (existing.status === 'published' && existing.syncedHash === hash) || (IN_FLIGHT.includes(existing.status) && existing.payloadHash === hash);
    if (same) {
      // Nothing to send; the stamp tells the reconciler this publish was seen.
      await rt.store.update(existing.id, { plannedAt, ...(optionsChanged ? { options } : {}) });
      return existing.status === 'published' ? 'unchanged' : 'already-planned';
    }
    if (existing.status === 'unconfirmed') {
      // Never retried automatically: the editor decides (confirm with a URL, or retry anyway).
      await rt.store.update(existing.id, { title, warnings, payloadHash: hash, plannedAt, options });
      return 'unconfirmed';
    }
    if (existing.remoteId && existing.remoteState === 'published' && !connector.capabilities.update) {
      await rt.store.update(existing.id, {
        title, warnings, payloadHash: hash, status: 'outdated', lastErrorKind: 'permanent', plannedAt, options,
        lastError: `${connector.name} has no API to update a post. Edit it by hand at ${existing.remoteUrl ?? 'the platform'}, then confirm.`,
      });
      return 'outdated';
    }
  }

  const seq = (existing?.jobSeq ?? 0) + 1;
  // A row a worker is calling the platform for keeps its status: the worker sees the newer jobSeq
  // when it finishes and queues the follow-up itself (so two creates never run side by side).
  const status = existing?.status === 'processing' ? 'processing' : 'pending';
  // A delayed first post keeps its original moment when the entry is republished meanwhile.
  const waitingUntil = existing?.nextAttemptAt ? new Date(existing.nextAttemptAt).getTime() : 0;
  const delayMs = existing?.remoteId ? 0 : waitingUntil > Date.now() ? waitingUntil - Date.now() : existing ? 0 : setting.delayMs ?? 0;
  const row = await upsert(rt, t, platform, existing, {
    title, warnings, payloadHash: hash, desired: 'published', status, jobSeq: seq, options, plannedAt,
    attempts: 0, lastError: null, lastErrorKind: null, nextAttemptAt: delayMs > 0 ? new Date(Date.now() + delayMs) : null,
  });
  await enqueue(rt, row, seq, delayMs);
  return delayMs > 0 ? 'delayed' : 'queued';
}

/** Unpublish or delete of an entry: every platform row of it that reached (or may reach) a platform is taken down. */
export async function planUnpublish(rt: Runtime, t: Target): Promise<Partial<Record<PlatformId, PlanResult>>> {
  const results: Partial<Record<PlatformId, PlanResult>> = {};
  for (const row of await rt.store.findForTarget(t)) {
    if (row.desired === 'unpublished' && (row.status === 'unpublished' || IN_FLIGHT.includes(row.status))) {
      results[row.platform] = 'already-planned';
      continue;
    }
    const seq = row.jobSeq + 1;
    const mayBeRemote = row.remoteId || row.needsLookup || row.status === 'processing' || row.inFlightSince;
    if (!mayBeRemote) {
      // Never reached the platform: nothing to take down. Bumping jobSeq voids any queued job.
      await rt.store.update(row.id, { desired: 'unpublished', status: 'unpublished', jobSeq: seq, nextAttemptAt: null });
      results[row.platform] = 'unpublished';
      continue;
    }
    const status = row.status === 'processing' ? 'processing' : 'pending';
    const updated = await rt.store.update(row.id, { desired: 'unpublished', status, jobSeq: seq, attempts: 0, lastError: null, nextAttemptAt: null });
    await enqueue(rt, updated, seq);
    results[row.platform] = 'queued';
  }
  return results;
}

async function upsert(rt: Runtime, t: Target, platform: PlatformId, existing: Publication | null, data: Partial<Publication>): Promise<Publication> {
  if (existing) return rt.store.update(existing.id, data);
  try {
    return await rt.store.create({
      uniqueKey: uniqueKeyOf(t, platform), targetUid: t.uid, targetDocumentId: t.documentId, targetLocale: t.locale,
      platform, remoteState: 'none', ...data,
    });
  } catch (err) {
    // Another process created the row first (unique key): update it instead.
    const raced = await rt.store.findByKey(uniqueKeyOf(t, platform));
    if (!raced) throw err;
    return rt.store.update(raced.id, { ...data, jobSeq: raced.jobSeq + 1 });
  }
}

/** Adds the job; if Redis refuses, the row stays `pending` and the reconciler adds it later. */
export async function enqueue(rt: Runtime, row: Publication, seq: number, delayMs = 0): Promise<void> {
  try {
    await rt.queues.add(row.platform, row.id, row.jobSeq ?? seq, delayMs);
    await rt.store.updateWhere({ id: row.id, jobSeq: row.jobSeq ?? seq, status: 'pending' }, { status: 'queued' });
  } catch (err) {
    rt.log.warn(`crosspost: publication ${row.id} (${row.platform}) is saved but not queued yet: ${(err as Error).message}. The reconciler will queue it.`);
  }
}
