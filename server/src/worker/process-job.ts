/**
 * Runs one job: claim the row, make the platform match what the row wants (`desired`), record the
 * attempt, move the row through the state machine (DESIGN.md §3). Retries are scheduled here, not by
 * Bull, so the retry budget lives on the row, a 429 does not consume it, and a wiped Redis loses
 * nothing (the reconciler re-adds the job from the row).
 */
import type { Runtime } from '../runtime';
import type { Publication } from '../store/publications';
import { jobIdOf, type JobData } from '../queue/queues';
import { PlatformError, type Connector, type LookupKeys, type RemoteRef } from '../platforms/types';
import { loadPublishedEntry, articleFor } from '../planner/entry';
import { hashPayload } from '../planner/hash';
import { ArticleError } from '../content';
import { fullJitterDelay, rateLimitedDelay } from './backoff';
import { describeWindow, rateLimitFallbackMs, windowFor, type WriteOperation } from './rate-limits';
import { emitOutcome } from '../notify/events';

type Operation = 'create' | 'update' | 'unpublish' | 'lookup' | 'none';

const CLAIMABLE = ['pending', 'queued', 'retrying'] as const;



export async function processJob(rt: Runtime, data: JobData): Promise<void> {
  const row = await claim(rt, data);
  if (!row) return;
  const connector = rt.connectors.get(row.platform);
  if (!connector) {
    await finish(rt, row, data.seq, {
      status: 'failed',
      lastError: `${row.platform} is not configured any more (no credentials in the plugin config). Add them and retry.`,
      lastErrorKind: 'permanent',
    });
    return;
  }
  try {
    if (row.desired === 'published') await syncPublished(rt, row, connector, data.seq);
    else await syncUnpublished(rt, row, connector, data.seq);
  } catch (err) {
    await handleError(rt, row, connector, data.seq, err);
  }
}

/** Takes the row for this job, or returns null when the job is stale or someone else holds it. */
async function claim(rt: Runtime, data: JobData): Promise<Publication | null> {
  const now = new Date();
  const jobId = jobIdOf(data.publicationId, data.seq);
  const claimed = await rt.store.updateWhere(
    { id: data.publicationId, jobSeq: data.seq, status: { $in: [...CLAIMABLE] } },
    { status: 'processing', claimedAt: now, claimedBy: jobId },
  );
  if (claimed) return rt.store.get(data.publicationId);

  const row = await rt.store.get(data.publicationId);
  if (!row || row.jobSeq !== data.seq || row.status !== 'processing') return null;
  // Bull re-runs this very job only after its lock expired (the worker died): take it over. Another
  // job's claim is taken over only once Bull no longer sees that job running; while it runs, it will
  // queue the follow-up itself when it finishes (see finish()).
  if (row.claimedBy !== jobId) {
    const claimedAt = row.claimedAt ? new Date(row.claimedAt).getTime() : 0;
    if (now.getTime() - claimedAt < rt.config.queue.lockDurationMs) return null;
    if (row.claimedBy && (await rt.queues.isActive(row.platform, row.claimedBy))) return null;
  }
  // If the earlier holder had started the platform call, look for its result before doing anything again.
  const tookOver = await rt.store.updateWhere(
    { id: row.id, jobSeq: data.seq, status: 'processing', claimedAt: row.claimedAt },
    { claimedAt: now, claimedBy: jobId, needsLookup: row.needsLookup || row.inFlightSince !== null },
  );
  return tookOver ? rt.store.get(row.id) : null;
}

async function syncPublished(rt: Runtime, row: Publication, connector: Connector, seq: number): Promise<void> {
  const target = { uid: row.targetUid, documentId: row.targetDocumentId, locale: row.targetLocale ?? '' };
  const entry = await loadPublishedEntry(rt, target);
  if (!entry) {
    // Unpublished or deleted after this job was planned; the newer plan (if any) decides.
    await syncUnpublished(rt, { ...row, desired: 'unpublished' }, connector, seq);
    return;
  }
  const article = articleFor(rt, target, entry);
  const rendered = connector.render(article, (row.options ?? {}) as never);
  if (rendered.blocking.length) {
    throw new PlatformError(connector.id, 'permanent', rendered.blocking.join(' '));
  }
  const hash = hashPayload(rendered.payload);
  // Warnings stay as the planner computed them (they include the pre-flight image checks).
  const common = { title: article.title, payloadHash: hash };

  let current: Pick<Publication, 'remoteId' | 'remoteUrl' | 'remoteState' | 'syncedHash'> = row;
  if (!row.remoteId && row.needsLookup && !connector.capabilities.lookup) {
    // An earlier create may have reached the platform and nothing can tell: never create blindly again.
    await finish(rt, row, seq, {
      ...common,
      status: 'unconfirmed',
      lastError: `An earlier attempt to post to ${connector.name} was interrupted; it may or may not have been created, and ${connector.name} offers no way to check. Look on ${connector.name}, then either enter the post's URL or choose "retry anyway".`,
      lastErrorKind: 'ambiguous',
    }, 'unconfirmed');
    return;
  }
  if (!row.remoteId && row.needsLookup && connector.capabilities.lookup) {
    const keys = row.lookupKeys ?? connector.lookupKeys(rendered.payload);
    const found = await call(rt, row, seq, 'lookup', () => connector.findExisting(keys));
    await rt.store.update(row.id, { needsLookup: false, ...(found ? refFields(found) : {}) });
    // An adopted create is synced only if it carries exactly this payload; we don't know, so update it.
    if (found) current = { ...refFields(found), syncedHash: null };
  }

  if (!current.remoteId) {
    if (await deferForRateLimit(rt, row, seq, connector, 'create', rendered.payload)) return;
    await markInFlight(rt, row, seq, connector.lookupKeys(rendered.payload));
    const ref = await call(rt, row, seq, 'create', () => connector.create(rendered.payload));
    await finish(rt, row, seq, { ...common, ...refFields(ref), status: 'published', syncedHash: hash }, 'published');
    return;
  }
  if (current.syncedHash === hash && current.remoteState !== 'unpublished') {
    await rt.store.recordAttempt({ publicationId: row.id, platform: row.platform, operation: 'none', outcome: 'skipped', message: 'Already up to date.', jobSeq: seq });
    await finish(rt, row, seq, { ...common, ...pickRef(current), status: 'published' });
    return;
  }
  if (!connector.capabilities.update) {
    await finish(rt, row, seq, {
      ...common,
      status: 'outdated',
      lastError: `${connector.name} has no API to update a post. Edit it by hand at ${current.remoteUrl ?? 'the platform'}, then confirm.`,
      lastErrorKind: 'permanent',
    }, 'outdated');
    return;
  }
  if (await deferForRateLimit(rt, row, seq, connector, 'update', rendered.payload)) return;
  await markInFlight(rt, row, seq);
  const ref = await call(rt, row, seq, 'update', () => connector.update(current.remoteId as string, rendered.payload));
  await finish(rt, row, seq, { ...common, ...refFields(ref), status: 'published', syncedHash: hash }, 'updated');
}

async function syncUnpublished(rt: Runtime, row: Publication, connector: Connector, seq: number): Promise<void> {
  if (!row.remoteId && !row.needsLookup) {
    await finish(rt, row, seq, { status: 'unpublished', desired: 'unpublished' });
    return;
  }
  let remoteId = row.remoteId;
  if (!remoteId && connector.capabilities.lookup && row.lookupKeys) {
    // The create may have happened without us hearing back; find it so it can be taken down.
    const keys = row.lookupKeys;
    const found = await call(rt, row, seq, 'lookup', () => connector.findExisting(keys));
    await rt.store.update(row.id, { needsLookup: false, ...(found ? refFields(found) : {}) });
    remoteId = found?.remoteId ?? null;
    if (!remoteId) {
      await finish(rt, row, seq, { status: 'unpublished', desired: 'unpublished' });
      return;
    }
  }
  if (!remoteId) {
    await finish(rt, row, seq, { status: 'unconfirmed', lastError: `It is unknown whether ${connector.name} received this article, and it cannot be checked. Look on ${connector.name} and remove it by hand if it is there.`, lastErrorKind: 'ambiguous' }, 'unconfirmed');
    return;
  }
  if (row.remoteState === 'unpublished') {
    await finish(rt, row, seq, { status: 'unpublished' });
    return;
  }
  if (!connector.capabilities.unpublish) {
    await finish(rt, row, seq, {
      status: 'failed',
      lastError: `${connector.name} has no API to unpublish or delete a post. Remove it by hand at ${row.remoteUrl ?? 'the platform'}, then confirm.`,
      lastErrorKind: 'permanent',
    }, 'failed');
    return;
  }
  if (await deferForRateLimit(rt, row, seq, connector, 'unpublish', undefined)) return;
  await markInFlight(rt, row, seq);
  const ref = await call(rt, row, seq, 'unpublish', () => connector.unpublish(remoteId as string));
  const warnings = ref.note ? [...(row.warnings ?? []).filter((w) => w !== ref.note), ref.note] : row.warnings;
  await finish(rt, row, seq, { ...refFields(ref), status: 'unpublished', syncedHash: null, warnings }, 'unpublished');
}

function refFields(ref: RemoteRef) {
  return { remoteId: ref.remoteId, remoteUrl: ref.remoteUrl ?? null, remoteState: ref.remoteState };
}

function pickRef(r: Pick<Publication, 'remoteId' | 'remoteUrl' | 'remoteState'>) {
  return { remoteId: r.remoteId, remoteUrl: r.remoteUrl, remoteState: r.remoteState };
}

/**
 * Books a slot in the platform's documented rate window. A slot in the future defers the job to that
 * moment (no retry budget used); the booking keeps that slot for it meanwhile.
 */
async function deferForRateLimit(rt: Runtime, row: Publication, seq: number, connector: Connector, op: WriteOperation, payload: unknown): Promise<boolean> {
  const w = windowFor(rt.config, row.platform, op, payload);
  if (!w) {
    // Re-planned meanwhile into a call no window counts (e.g. a draft): give the slot back.
    if (row.rateSlotToken) await rt.rateWindows.release(row.rateSlotToken);
    return false;
  }
  // A woken job checks the calls actually made in the window ending now: earlier jobs may have called
  // later than they had booked (a backlog, Strapi down). If they leave no room, its booking is kept and
  // moves to the next moment there is room, rather than behind every later booking.
  const { slotAt, waitMs, token } = row.rateSlotToken ? await rt.rateWindows.take(row.rateSlotToken, w) : await rt.rateWindows.book(w, `pub-${row.id}`);
  if (waitMs === 0) return false;
  const next = seq + 1;
  const at = new Date(Date.now() + waitMs);
  const ok = await rt.store.updateWhere(
    { id: row.id, jobSeq: seq },
    {
      status: 'queued',
      jobSeq: next,
      rateSlotAt: new Date(slotAt),
      rateSlotToken: token,
      nextAttemptAt: at,
      claimedAt: null,
      claimedBy: null,
      lastError: `Waiting for ${connector.name}'s rate limit (${describeWindow(w)}); the next slot is at ${at.toISOString()}.`,
      lastErrorKind: 'rate-limited',
    },
  );
  if (ok) await rt.queues.add(row.platform, row.id, next, waitMs);
  else {
    await rt.rateWindows.release(token);
    await finish(rt, row, seq, {});
  }
  return true;
}

/** Just before the platform call: if we die after this, the next run looks before creating again. */
async function markInFlight(rt: Runtime, row: Publication, seq: number, lookupKeys?: LookupKeys): Promise<void> {
  await rt.store.updateWhere({ id: row.id, jobSeq: seq }, { inFlightSince: new Date(), ...(lookupKeys ? { lookupKeys } : {}) });
}

/** Runs one platform call and records it as an attempt (also when it throws). */
async function call<T>(rt: Runtime, row: Publication, seq: number, operation: Operation, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await fn();
    const adopted = operation === 'lookup' && result;
    await rt.store.recordAttempt({
      publicationId: row.id,
      platform: row.platform,
      operation,
      outcome: adopted ? 'adopted' : 'success',
      durationMs: Date.now() - started,
      message:
        operation === 'lookup'
          ? result
            ? 'Found the earlier create on the platform and adopted it.'
            : 'No earlier create found.'
          : (result as { note?: string } | undefined)?.note,
      jobSeq: seq,
    });
    return result;
  } catch (err) {
    const e = err instanceof PlatformError ? err : undefined;
    await rt.store.recordAttempt({
      publicationId: row.id,
      platform: row.platform,
      operation,
      outcome: e ? (e.rateLimited ? 'rate-limited' : e.kind) : 'permanent',
      httpStatus: e?.status,
      durationMs: Date.now() - started,
      message: (err as Error).message,
      jobSeq: seq,
    });
    throw err;
  }
}

type Final = Partial<Publication>;

/**
 * Writes the outcome if the row is still ours (same jobSeq). If the entry was re-planned while we
 * were calling the platform, keep what we learned about the remote copy and queue the newer plan.
 */
async function finish(rt: Runtime, row: Publication, seq: number, data: Final, event?: Parameters<typeof emitOutcome>[1]): Promise<void> {
  const base: Final = { inFlightSince: null, claimedAt: null, claimedBy: null, nextAttemptAt: null, rateSlotAt: null, rateSlotToken: null };
  const success = data.status === 'published' || data.status === 'unpublished';
  const outcome: Final = {
    ...base,
    ...(success ? { attempts: 0, lastError: null, lastErrorKind: null, needsLookup: false, lastSyncedAt: new Date() } : {}),
    ...data,
  };
  if (await rt.store.updateWhere({ id: row.id, jobSeq: seq }, outcome)) {
    if (event) await emitOutcome(rt, event, { ...row, ...outcome } as Publication);
    return;
  }
  const remote: Final = {};
  for (const k of ['remoteId', 'remoteUrl', 'remoteState', 'syncedHash'] as const) if (k in data) (remote as Record<string, unknown>)[k] = data[k];
  // A create that may have reached the platform (ambiguous, unconfirmed) must not be forgotten either: the
  // newer plan then looks it up (or stops at unconfirmed) instead of creating a second copy.
  const mayExist = data.needsLookup === true || data.status === 'unconfirmed';
  for (let i = 0; i < 5; i++) {
    const fresh = await rt.store.get(row.id);
    if (!fresh) return;
    const next = fresh.jobSeq + 1;
    const needsLookup = remote.remoteId ? false : fresh.needsLookup || mayExist;
    if (await rt.store.updateWhere({ id: row.id, jobSeq: fresh.jobSeq }, { ...base, ...remote, status: 'queued', jobSeq: next, needsLookup })) {
      await rt.queues.add(row.platform, row.id, next).catch((err) => rt.log.warn(`crosspost: could not queue publication ${row.id} (${(err as Error).message}); the reconciler will.`));
      return;
    }
  }
}

async function handleError(rt: Runtime, row: Publication, connector: Connector, seq: number, err: unknown): Promise<void> {
  if (err instanceof ArticleError) {
    await finish(rt, row, seq, { status: 'failed', lastError: err.message, lastErrorKind: 'permanent' }, 'failed');
    return;
  }
  if (!(err instanceof PlatformError)) {
    // A bug or a database hiccup: never leave the row in `processing`; retry it like a transient error.
    rt.log.error(`crosspost: unexpected error on publication ${row.id}: ${(err as Error)?.stack ?? err}`);
    err = new PlatformError(connector.id, 'retryable', `Internal error while publishing to ${connector.name}: ${(err as Error)?.message ?? err}`);
  }
  const e = err as PlatformError;
  const { retry } = rt.config;
  if (e.remoteGone) {
    // Deleted on the platform: forget the remote copy so that "retry" posts it afresh.
    await finish(rt, row, seq, {
      status: 'failed',
      lastError: `${e.message} Retry to post it again.`,
      lastErrorKind: 'permanent',
      remoteId: null,
      remoteUrl: null,
      remoteState: 'none',
      syncedHash: null,
    }, 'failed');
    return;
  }
  if (e.kind === 'permanent') {
    await finish(rt, row, seq, { status: 'failed', lastError: e.message, lastErrorKind: 'permanent' }, 'failed');
    return;
  }
  if (e.kind === 'ambiguous' && !connector.capabilities.lookup) {
    await finish(rt, row, seq, {
      status: 'unconfirmed',
      lastError: `${e.message} ${connector.name} offers no way to check, so it will not be retried automatically: look on ${connector.name}, then either enter the post's URL or choose "retry anyway".`,
      lastErrorKind: 'ambiguous',
    }, 'unconfirmed');
    return;
  }
  const attempts = e.rateLimited ? row.attempts : row.attempts + 1;
  if (attempts >= retry.maxAttempts) {
    await finish(rt, row, seq, {
      status: 'failed',
      attempts,
      lastError: `Gave up after ${attempts} attempts. Last error: ${e.message}`,
      lastErrorKind: e.kind,
      needsLookup: row.needsLookup || e.kind === 'ambiguous',
    }, 'failed');
    return;
  }
  const delay = e.rateLimited
    ? rateLimitedDelay(e.retryAfterMs, rateLimitFallbackMs(row.platform))
    : Math.max(
        e.retryAfterMs ?? 0,
        // A lookup comes next: give the platform's read side time to see the create.
        e.kind === 'ambiguous' ? (connector.capabilities.lookupDelayMs ?? 0) : 0,
        fullJitterDelay(attempts, retry.baseDelayMs, retry.maxDelayMs),
      );
  const next = seq + 1;
  const ok = await rt.store.updateWhere(
    { id: row.id, jobSeq: seq },
    {
      status: 'retrying',
      attempts,
      jobSeq: next,
      lastError: e.message,
      lastErrorKind: e.rateLimited ? 'rate-limited' : e.kind,
      needsLookup: row.needsLookup || e.kind === 'ambiguous',
      nextAttemptAt: new Date(Date.now() + delay),
      inFlightSince: null,
      claimedAt: null,
      claimedBy: null,
      rateSlotAt: null,
      rateSlotToken: null,
    },
  );
  if (ok) {
    await rt.queues.add(row.platform, row.id, next, delay).catch((addErr) =>
      rt.log.warn(`crosspost: could not schedule retry of publication ${row.id} (${(addErr as Error).message}); the reconciler will.`),
    );
  } else {
    // Re-planned meanwhile: the newer job carries on.
    await finish(rt, row, seq, { needsLookup: row.needsLookup || e.kind === 'ambiguous' });
  }
}
