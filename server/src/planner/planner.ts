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
import { articleFor, entryVersionOf, loadPublishedEntry, platformsFor } from './entry';
import type { Article } from '../content/types';
import { settingFor, type PlatformSetting } from '../store/entry-settings';
import { effectiveSetting } from './defaults';

export type PlanResult = 'queued' | 'delayed' | 'unchanged' | 'already-planned' | 'outdated' | 'unconfirmed' | 'failed' | 'not-published' | 'unpublished' | 'disabled' | 'nothing';

const IN_FLIGHT = ['pending', 'queued', 'processing', 'retrying'];

/** How a caller (the publish endpoint, a backfill) narrows or overrides an entry's plan; none for entry events. */
export interface PlanOptions {
  /** Only these platforms, even ones the entry's settings switch off (the caller chose them). */
  platforms?: PlatformId[];
  /** Wins over the entry's saved setting for this plan (mode, delay). */
  overrides?: PlatformSetting;
  /** Send again even when the payload is unchanged. */
  force?: boolean;
  /** A row that never reached the platform first looks there for a copy with our canonical URL and adopts it (backfill). */
  lookupFirst?: boolean;
}

export async function planPublish(rt: Runtime, t: Target, opts: PlanOptions = {}): Promise<Partial<Record<PlatformId, PlanResult>>> {
  if (!rt.config.contentTypes[t.uid]) return {};
  await rt.settings.ensureFresh();
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
  const version = entryVersionOf(entry);
  const results: Partial<Record<PlatformId, PlanResult>> = {};
  const defaults = rt.settings.current().defaults;
  const platforms = platformsFor(rt, t.uid).filter((p) => !opts.platforms || opts.platforms.includes(p));
  // Every platform's row in one read.
  const rows = new Map((await rt.store.findByKeys(platforms.map((p) => uniqueKeyOf(t, p)))).map((r) => [r.platform, r]));
  const batch: PlanBatch = { creates: [], jobs: [] };
  for (const platform of platforms) {
    const existing = rows.get(platform) ?? null;
    const base = await effectiveSetting(rt, t, platform, settingFor(settings, platform), defaults, existing);
    // A caller that names platforms chose them, even ones the entry's settings switch off.
    const setting = { ...base, ...(opts.platforms ? { enabled: true } : {}), ...opts.overrides };
    // The editor switched this platform off for this entry: nothing new goes there.
    results[platform] = setting.enabled === false ? 'disabled' : await planPlatformPublish(rt, t, platform, existing, article, setting, preflight, version, batch, opts);
  }
  await writePlan(rt, t, batch);
  return results;
}

/**
 * What a plan writes once every platform is decided: the new rows in one INSERT, then their jobs and those of
 * the updated rows. One commit instead of one per row (each create also read its row back).
 */
interface PlanBatch {
  creates: Array<{ platform: PlatformId; data: Partial<Publication>; delayMs: number }>;
  jobs: QueuedJob[];
}

async function writePlan(rt: Runtime, t: Target, batch: PlanBatch): Promise<void> {
  if (batch.creates.length) {
    const ids = await rt.store
      .createMany(batch.creates.map((c) => newRow(t, c.platform, c.data)))
      .catch(() => null);
    // A dialect that returns only the first id (MySQL): read them by key.
    const byKey = ids && ids.length !== batch.creates.length ? new Map((await rt.store.findByKeys(batch.creates.map((c) => uniqueKeyOf(t, c.platform)))).map((r) => [r.platform, r.id])) : null;
    for (const [i, c] of batch.creates.entries()) {
      const id = byKey ? byKey.get(c.platform) : ids?.[i];
      // The INSERT failed (another process created one of the rows first): one by one, each with its race handling.
      const row = id ? { id, platform: c.platform, jobSeq: c.data.jobSeq as number } : await upsert(rt, t, c.platform, null, c.data);
      if (row) batch.jobs.push({ row, delayMs: c.delayMs });
    }
  }
  await enqueueAll(rt, batch.jobs);
}

/** The title column is 255 characters wide; a longer title is shortened on the row only (the post keeps it whole). */
function rowTitle(title: string): string {
  const chars = Array.from(title);
  return chars.length > 255 ? `${chars.slice(0, 254).join('')}…` : title;
}

/** Image reachability, once per entry for every platform (the same images go everywhere). */
export async function preflightWarnings(rt: Runtime, article: Article): Promise<string[]> {
  if (!rt.config.preflight.checkImages) return [];
  return imageWarnings(article, {
    timeoutMs: rt.config.preflight.imageTimeoutMs,
    allowPrivateHosts: rt.config.preflight.allowPrivateHosts,
    publicUrl: rt.publicUrl,
    uploadExists: async (path) => Boolean(await rt.strapi.db.query('plugin::upload.file' as never).findOne({ where: { url: path }, select: ['id'] })),
  });
}

async function planPlatformPublish(
  rt: Runtime,
  t: Target,
  platform: PlatformId,
  existing: Publication | null,
  built: Article | ArticleError,
  setting: PlatformSetting,
  preflight: string[],
  version: string,
  batch: PlanBatch,
  opts: PlanOptions = {},
): Promise<PlanResult> {
  const connector = rt.connectors.get(platform)!;
  const options = { draft: setting.draft ?? false };

  let title: string;
  let hash: string;
  let warnings: string[];
  let payload: unknown;
  // Nothing rendered to reuse: a job renders afresh.
  const noPayload = { renderedPayload: null, renderedFrom: null };
  try {
    if (built instanceof ArticleError) throw built;
    const article = built;
    const rendered = connector.render(article, options);
    title = rowTitle(article.title);
    warnings = [...rendered.warnings, ...preflight];
    hash = hashPayload(rendered.payload);
    payload = rendered.payload;
    if (rendered.blocking.length) {
      await upsert(rt, t, platform, existing, {
        ...noPayload, title, warnings, payloadHash: hash, desired: 'published', status: 'failed', plannedAt: new Date(),
        lastError: rendered.blocking.join(' '), lastErrorKind: 'permanent', jobSeq: (existing?.jobSeq ?? 0) + 1,
      });
      return 'failed';
    }
  } catch (err) {
    if (!(err instanceof ArticleError)) throw err;
    await upsert(rt, t, platform, existing, {
      ...noPayload, title: existing?.title ?? null, desired: 'published', status: 'failed', lastError: err.message, plannedAt: new Date(),
      lastErrorKind: 'permanent', jobSeq: (existing?.jobSeq ?? 0) + 1,
    });
    return 'failed';
  }

  const plannedAt = new Date();
  // Stored with its hash in the same write: the platform job posts it as long as this version is the published one.
  const rendered = { renderedPayload: payload, renderedFrom: version };
  const optionsChanged = JSON.stringify(existing?.options ?? {}) !== JSON.stringify(options);
  if (existing && existing.desired === 'published') {
    const same = (existing.status === 'published' && existing.syncedHash === hash) || (IN_FLIGHT.includes(existing.status) && existing.payloadHash === hash);
    if (same && !opts.force) {
      // Nothing to send; the stamp tells the reconciler this publish was seen.
      // The same payload from a newer publish: the stored one is still right for it.
      const sameStored = existing.payloadHash === hash && existing.renderedPayload ? { renderedFrom: version } : {};
      await rt.store.update(existing.id, { plannedAt, ...sameStored, ...(optionsChanged ? { options } : {}) });
      return existing.status === 'published' ? 'unchanged' : 'already-planned';
    }
    if (existing.status === 'unconfirmed') {
      // Never retried automatically: the editor decides (confirm with a URL, or retry anyway).
      await rt.store.update(existing.id, { title, warnings, payloadHash: hash, ...rendered, plannedAt, options });
      return 'unconfirmed';
    }
    if (existing.remoteId && existing.remoteState === 'published' && !connector.capabilities.update) {
      await rt.store.update(existing.id, {
        title, warnings, payloadHash: hash, ...rendered, status: 'outdated', lastErrorKind: 'permanent', plannedAt, options,
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
  // force: the worker compares with syncedHash, so forget it to make the next run send the payload.
  const forced = opts.force && existing?.remoteId ? { syncedHash: null } : {};
  const lookupFirst = opts.lookupFirst && !existing?.remoteId && connector.capabilities.lookup ? { needsLookup: true } : {};
  const data: Partial<Publication> = {
    ...forced, ...lookupFirst,
    title, warnings, payloadHash: hash, ...rendered, desired: 'published', status, jobSeq: seq, options, plannedAt,
    attempts: 0, lastError: null, lastErrorKind: null, nextAttemptAt: delayMs > 0 ? new Date(Date.now() + delayMs) : null,
  };
  // Written and queued with the entry's other platforms (writePlan).
  if (existing) batch.jobs.push({ row: await rt.store.update(existing.id, data), delayMs });
  else batch.creates.push({ platform, data, delayMs });
  return delayMs > 0 ? 'delayed' : 'queued';
}

/** Unpublish or delete of an entry: every platform row of it that reached (or may reach) a platform is taken down. */
export async function planUnpublish(rt: Runtime, t: Target, opts: Pick<PlanOptions, 'platforms'> = {}): Promise<Partial<Record<PlatformId, PlanResult>>> {
  await rt.settings.ensureFresh();
  const results: Partial<Record<PlatformId, PlanResult>> = {};
  for (const row of await rt.store.findForTarget(t)) {
    if (opts.platforms && !opts.platforms.includes(row.platform)) continue;
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

function newRow(t: Target, platform: PlatformId, data: Partial<Publication>): Partial<Publication> {
  return { uniqueKey: uniqueKeyOf(t, platform), targetUid: t.uid, targetDocumentId: t.documentId, targetLocale: t.locale, platform, remoteState: 'none', ...data };
}

/**
 * Writes the row. Null when another planner (the plan job and the reconciler's missed-publish sweep can plan
 * the same publish at once) created it first with the same payload: its job is queued or already running,
 * and overwriting the row would take it away from that job.
 */
async function upsert(rt: Runtime, t: Target, platform: PlatformId, existing: Publication | null, data: Partial<Publication>): Promise<Publication | null> {
  if (existing) return rt.store.update(existing.id, data);
  try {
    return await rt.store.create(newRow(t, platform, data));
  } catch (err) {
    const raced = await rt.store.findByKey(uniqueKeyOf(t, platform));
    if (!raced) throw err;
    if (raced.payloadHash === data.payloadHash) return null;
    // Another process created the row first for other content (unique key): update it instead.
    return rt.store.update(raced.id, { ...data, jobSeq: raced.jobSeq + 1 });
  }
}

interface QueuedJob {
  row: Pick<Publication, 'id' | 'platform' | 'jobSeq'>;
  delayMs: number;
}

/** Adds the job; if Redis refuses, the row stays `pending` and the reconciler adds it later. */
export async function enqueue(rt: Runtime, row: Publication, seq: number, delayMs = 0): Promise<void> {
  await enqueueAll(rt, [{ row: { ...row, jobSeq: row.jobSeq ?? seq }, delayMs }]);
}

/** Adds the jobs (side by side), then marks the rows whose job Redis took `queued` in one write. */
async function enqueueAll(rt: Runtime, jobs: QueuedJob[]): Promise<void> {
  const notQueued = (row: QueuedJob['row'], err: unknown) =>
    rt.log.warn(`crosspost: publication ${row.id} (${row.platform}) is saved but not queued yet: ${(err as Error).message}. The reconciler will queue it.`);
  const added = await Promise.all(
    jobs.map(({ row, delayMs }) =>
      rt.queues.add(row.platform, row.id, row.jobSeq, delayMs).then(
        () => row,
        (err) => (notQueued(row, err), null),
      ),
    ),
  );
  const rows = added.filter((r): r is QueuedJob['row'] => r !== null);
  if (!rows.length) return;
  const which = rows.length === 1 ? { id: rows[0].id, jobSeq: rows[0].jobSeq } : { $or: rows.map((r) => ({ id: r.id, jobSeq: r.jobSeq })) };
  await rt.store.updateWhere({ ...which, status: 'pending' }, { status: 'queued' }).catch((err) => rows.forEach((r) => notQueued(r, err)));
}
