/**
 * Runs one job: claim the row, make the platform match what the row wants (`desired`), record the
 * attempt, move the row through the state machine (DESIGN.md §3). Retries are scheduled here, not by
 * Bull, so the retry budget lives on the row, a 429 does not consume it, and a wiped Redis loses
 * nothing (the reconciler re-adds the job from the row).
 */
import { knownCredentials, redactSecrets } from '../platforms/redact';
import type { Runtime } from '../runtime';
import type { AttemptRecord, Publication } from '../store/publications';
import { jobIdOf, type JobData } from '../queue/queues';
import { PlatformError, type Connector, type LookupKeys, type RemoteRef } from '../platforms/types';
import { articleFor, entryVersionOf, loadPublishedEntry, publishedVersionOf } from '../planner/entry';
import { hashPayload } from '../planner/hash';
import { ArticleError } from '../content';
import { fullJitterDelay, rateLimitedDelay } from './backoff';
import { describeWindow, rateLimitFallbackMs, windowFor, type WriteOperation } from './rate-limits';
import { commitOutcome } from '../notify/outbox';
import type { OutcomeEvent } from '../notify/events';
import { waitForWriteSlot } from './write-slot';

type Operation = 'create' | 'update' | 'unpublish' | 'lookup' | 'none';

const CLAIMABLE = ['pending', 'queued', 'retrying'] as const;

/**
 * Attempts a job has made and not written yet, per (publication, jobSeq): they are written with the job's
 * next row write, in the same transaction (writeOutcome).
 */
const unwritten = new Map<string, AttemptRecord[]>();
const attemptKey = (id: number, seq: number) => `${id}:${seq}`;

function noteAttempt(a: AttemptRecord & { jobSeq: number }): void {
  const k = attemptKey(a.publicationId, a.jobSeq);
  unwritten.set(k, [...(unwritten.get(k) ?? []), a]);
}

function takeAttempts(id: number, seq: number): AttemptRecord[] {
  const k = attemptKey(id, seq);
  const list = unwritten.get(k) ?? [];
  unwritten.delete(k);
  return list;
}

/**
 * Jobs that found their row waiting and have not claimed it yet (per publication and jobSeq). The claim is
 * written with the in-flight mark right before the platform call, one commit instead of two (on SQLite each
 * commit is an fsync); a job that writes anything else first claims the row then (requireClaim).
 * The steps before (loading the payload, booking a rate slot) only read, so they need no claim.
 */
const unclaimed = new Map<string, { jobId: string }>();

/** The row was taken by someone else (re-planned, canceled, another run of the job) before this job claimed it. */
class ClaimLost extends Error {}

/** Lets requests and timers waiting behind this job run before its next step (the worker may share the web process). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function processJob(rt: Runtime, data: JobData): Promise<void> {
  try {
    await runJob(rt, data);
  } finally {
    // Attempts that no row write took along (a database error on the way): write them on their own.
    const left = takeAttempts(data.publicationId, data.seq);
    if (left.length) await rt.store.insertAttempts(left).catch((err) => rt.log.warn(`crosspost: could not record attempts of publication ${data.publicationId}: ${(err as Error).message}`));
  }
}

async function runJob(rt: Runtime, data: JobData): Promise<void> {
  // An admin may have changed credentials or switched the platform off since this job was queued.
  await rt.settings.ensureFresh();
  const lazy = { jobId: jobIdOf(data.publicationId, data.seq) };
  const row = await claim(rt, data, lazy);
  if (!row) return;
  try {
    await runClaimed(rt, data, row);
  } catch (err) {
    // Nothing was sent: the row's newer job (or its holder) carries on.
    if (!(err instanceof ClaimLost)) throw err;
  } finally {
    const k = attemptKey(data.publicationId, data.seq);
    if (unclaimed.get(k) === lazy) unclaimed.delete(k);
  }
}

async function runClaimed(rt: Runtime, data: JobData, row: Publication): Promise<void> {
  await breathe();
  const connector = rt.connectors.get(row.platform);
  if (!connector) {
    // Switched off (or its credentials removed) after the job was queued: nothing is sent, and the row
    // says why as a failure the editor can retry once the platform is back.
    await finish(rt, row, data.seq, {
      status: 'failed',
      lastError: rt.settings.whyOff(row.platform) ?? `${row.platform} is not configured any more. Add its credentials and retry.`,
      lastErrorKind: 'permanent',
    }, 'failed');
    return;
  }
  try {
    if (row.desired === 'published') await syncPublished(rt, row, connector, data.seq);
    else await syncUnpublished(rt, row, connector, data.seq);
  } catch (err) {
    if (err instanceof ClaimLost) throw err;
    await handleError(rt, row, connector, data.seq, err);
  }
}

const isClaimable = (status: string) => (CLAIMABLE as readonly string[]).includes(status);

/**
 * The row for this job, or null when the job is stale or someone else holds it. A waiting row is claimed later
 * (see `unclaimed`), unless it holds a rate slot booked by an earlier run: that booking must not be shared.
 */
async function claim(rt: Runtime, data: JobData, lazy: { jobId: string }): Promise<Publication | null> {
  const now = new Date();
  const jobId = lazy.jobId;
  const row = await rt.store.get(data.publicationId);
  if (!row || row.jobSeq !== data.seq) return null;
  if (isClaimable(row.status)) {
    const k = attemptKey(row.id, data.seq);
    if (!row.rateSlotToken && !unclaimed.has(k)) {
      unclaimed.set(k, lazy);
      return row;
    }
    const claimed = await rt.store.updateWhere(
      { id: row.id, jobSeq: data.seq, status: { $in: [...CLAIMABLE] } },
      { status: 'processing', claimedAt: now, claimedBy: jobId },
    );
    return claimed ? { ...row, status: 'processing', claimedAt: now, claimedBy: jobId } : null;
  }
  if (row.status !== 'processing') return null;
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

/**
 * Claims the row if this job has not yet (see `unclaimed`); throws ClaimLost, after giving back the rate
 * slots booked meanwhile, when it is no longer this job's to claim.
 */
async function requireClaim(rt: Runtime, row: Publication, seq: number, slots: string[] = [], mark: Final = {}): Promise<boolean> {
  const k = attemptKey(row.id, seq);
  const lazy = unclaimed.get(k);
  if (!lazy) return false;
  const claimed = await rt.store.updateWhere(
    { id: row.id, jobSeq: seq, status: { $in: [...CLAIMABLE] } },
    { ...mark, status: 'processing', claimedAt: new Date(), claimedBy: lazy.jobId },
  );
  if (claimed) {
    unclaimed.delete(k);
    return true;
  }
  for (const token of slots) await rt.rateWindows.release(token).catch(() => undefined);
  throw new ClaimLost();
}

/** The payload to post: the one the planner stored while its entry version is still the published one, else rendered now. */
async function payloadFor(rt: Runtime, row: Publication, connector: Connector): Promise<{ payload: unknown; common: Partial<Publication> } | null> {
  const target = { uid: row.targetUid, documentId: row.targetDocumentId, locale: row.targetLocale ?? '' };
  const version = await publishedVersionOf(rt, target);
  if (!version) return null;
  if (row.renderedPayload != null && row.renderedFrom === version && row.payloadHash) {
    return { payload: row.renderedPayload, common: { title: row.title, payloadHash: row.payloadHash } };
  }
  const entry = await loadPublishedEntry(rt, target);
  if (!entry) return null;
  const article = articleFor(rt, target, entry);
  const rendered = connector.render(article, (row.options ?? {}) as never);
  if (rendered.blocking.length) {
    throw new PlatformError(connector.id, 'permanent', rendered.blocking.join(' '));
  }
  await breathe();
  // Stored like the planner does, so that the next job of this version reuses it.
  return {
    payload: rendered.payload,
    common: { title: article.title, payloadHash: hashPayload(rendered.payload), renderedPayload: rendered.payload, renderedFrom: entryVersionOf(entry) },
  };
}

async function syncPublished(rt: Runtime, row: Publication, connector: Connector, seq: number): Promise<void> {
  const prepared = await payloadFor(rt, row, connector);
  if (!prepared) {
    // Unpublished or deleted after this job was planned; the newer plan (if any) decides.
    await syncUnpublished(rt, { ...row, desired: 'unpublished' }, connector, seq);
    return;
  }
  const { payload } = prepared;
  const hash = prepared.common.payloadHash as string;
  // Warnings stay as the planner computed them (they include the pre-flight image checks).
  const common = prepared.common;

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
    await requireClaim(rt, row, seq);
    const keys = row.lookupKeys ?? connector.lookupKeys(payload);
    await waitForReads(connector, keys);
    const found = await call(rt, row, seq, 'lookup', () => connector.findExisting(keys));
    await writeOutcome(rt, row, seq, { id: row.id }, { needsLookup: false, ...(found ? refFields(found) : {}) });
    // An adopted create is synced only if it carries exactly this payload; we don't know, so update it.
    if (found) current = { ...refFields(found), syncedHash: null };
  }

  if (!current.remoteId) {
    const slots: string[] = [];
    if (await deferForRateLimit(rt, row, seq, connector, 'create', payload, slots)) return;
    await markInFlight(rt, row, seq, slots, connector.lookupKeys(payload));
    await takeWriteSlot(rt, row, slots);
    const ref = await call(rt, row, seq, 'create', () => connector.create(payload), slots);
    await finish(rt, row, seq, { ...common, ...refFields(ref), status: 'published', syncedHash: hash }, 'published');
    return;
  }
  if (current.syncedHash === hash && current.remoteState !== 'unpublished') {
    noteAttempt({ publicationId: row.id, platform: row.platform, operation: 'none', outcome: 'skipped', message: 'Already up to date.', jobSeq: seq });
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
  const slots: string[] = [];
  if (await deferForRateLimit(rt, row, seq, connector, 'update', payload, slots)) return;
  await markInFlight(rt, row, seq, slots);
  await takeWriteSlot(rt, row, slots);
  // Our own unpublish took it down (Hashnode: delisted): list it again; anything else stays as the editor left it.
  const context = { relist: current.remoteState === 'unpublished' };
  const ref = await call(rt, row, seq, 'update', () => connector.update(current.remoteId as string, payload, context), slots);
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
    await requireClaim(rt, row, seq);
    const keys = row.lookupKeys;
    await waitForReads(connector, keys);
    const found = await call(rt, row, seq, 'lookup', () => connector.findExisting(keys));
    await writeOutcome(rt, row, seq, { id: row.id }, { needsLookup: false, ...(found ? refFields(found) : {}) });
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
  const slots: string[] = [];
  if (await deferForRateLimit(rt, row, seq, connector, 'unpublish', undefined, slots)) return;
  await markInFlight(rt, row, seq, slots);
  await takeWriteSlot(rt, row, slots);
  const ref = await call(rt, row, seq, 'unpublish', () => connector.unpublish(remoteId as string), slots);
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
 * moment (no retry budget used); the booking keeps that slot for it meanwhile. A call that may go now is
 * recorded, and its token added to `slots` (see call()).
 */
async function deferForRateLimit(rt: Runtime, row: Publication, seq: number, connector: Connector, op: WriteOperation, payload: unknown, slots: string[]): Promise<boolean> {
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
  if (waitMs === 0) {
    slots.push(token);
    return false;
  }
  await requireClaim(rt, row, seq, [token]);
  const next = seq + 1;
  const at = new Date(Date.now() + waitMs);
  const ok = await writeOutcome(
    rt,
    row,
    seq,
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
  if (ok) {
    rt.metrics.rateLimited(row.platform, w.name, waitMs);
    await rt.queues.add(row.platform, row.id, next, waitMs);
  } else {
    await rt.rateWindows.release(token);
    await finish(rt, row, seq, {});
  }
  return true;
}

/** Waits for the platform's per-call write window (DEV); the call it records joins `slots`. */
async function takeWriteSlot(rt: Runtime, row: Publication, slots: string[]): Promise<void> {
  const token = await waitForWriteSlot(rt, row.platform, `pub-${row.id}`);
  if (token) slots.push(token);
}

/**
 * Just before the platform call: if we die after this, the next run looks before creating again. A job that has
 * not claimed its row yet claims it in the same statement (one commit).
 */
async function markInFlight(rt: Runtime, row: Publication, seq: number, slots: string[], lookupKeys?: LookupKeys): Promise<void> {
  const keys = lookupKeys ? { ...lookupKeys, sentAt: lookupKeys.sentAt ?? new Date().toISOString() } : undefined;
  const mark: Final = { inFlightSince: new Date(), ...(keys ? { lookupKeys: keys } : {}) };
  if (await requireClaim(rt, row, seq, slots, mark)) return;
  await rt.store.updateWhere({ id: row.id, jobSeq: seq }, mark);
}

/**
 * A platform whose reads lag behind its writes (Hashnode: ~25 s) may not show a create sent just now: a
 * lookup before then could miss it (a duplicate, or a post left live after an unpublish). Wait that out.
 */
async function waitForReads(connector: Connector, keys: LookupKeys): Promise<void> {
  const delay = connector.capabilities.lookupDelayMs ?? 0;
  const sentAt = keys.sentAt ? Date.parse(keys.sentAt) : NaN;
  // Without a time we cannot know how recent the create was: wait the whole delay.
  const wait = Number.isNaN(sentAt) ? delay : sentAt + delay - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, delay)));
}

/**
 * Runs one platform call and records it as an attempt (also when it throws). `slots`: the rate-window calls it
 * was booked as; once it is answered they count from then (RateWindows.done), not from the latest it could arrive.
 */
async function call<T>(rt: Runtime, row: Publication, seq: number, operation: Operation, fn: () => Promise<T>, slots: string[] = []): Promise<T> {
  const started = Date.now();
  try {
    // Answered (a response, even an error status): it has arrived. A timeout or network error may still arrive later.
    const answered = () => (slots.length ? rt.rateWindows.done(slots) : undefined);
    const result = await fn().then(
      async (r) => (await answered(), r),
      async (err) => {
        if (err instanceof PlatformError && err.kind !== 'ambiguous') await answered();
        throw err;
      },
    );
    const adopted = operation === 'lookup' && result;
    noteAttempt({
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
    await breathe();
    return result;
  } catch (err) {
    const e = err instanceof PlatformError ? err : undefined;
    noteAttempt({
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
 * The one place a job writes its outcome: the attempts it made since its last write and the conditional row
 * update, in one transaction (one commit: one fsync on SQLite). False when the row moved on (another jobSeq);
 * the attempts are kept either way. `event` is the outcome finish() reports once this commits.
 */
async function writeOutcome(rt: Runtime, row: Publication, seq: number, where: Record<string, unknown>, data: Final, event?: OutcomeEvent): Promise<boolean> {
  await requireClaim(rt, row, seq);
  const attempts = takeAttempts(row.id, seq);
  try {
    return await commitOutcome(rt, row, seq, data, event, { where, attempts });
  } catch (err) {
    // Not written: keep them for the next write of this job (or processJob's last resort).
    for (const a of attempts) noteAttempt({ ...a, jobSeq: seq });
    throw err;
  }
}

/**
 * Writes the outcome if the row is still ours (same jobSeq). If the entry was re-planned while we
 * were calling the platform, keep what we learned about the remote copy and queue the newer plan.
 */
async function finish(rt: Runtime, row: Publication, seq: number, data: Final, event?: OutcomeEvent): Promise<void> {
  const base: Final = { inFlightSince: null, claimedAt: null, claimedBy: null, nextAttemptAt: null, rateSlotAt: null, rateSlotToken: null };
  const success = data.status === 'published' || data.status === 'unpublished';
  const outcome: Final = {
    ...base,
    ...(success ? { attempts: 0, lastError: null, lastErrorKind: null, needsLookup: false, lastSyncedAt: new Date() } : {}),
    ...data,
  };
  // Last line of defence: a configured credential never reaches the row, whatever the message quoted.
  if (typeof outcome.lastError === 'string') outcome.lastError = redactSecrets(outcome.lastError, knownCredentials(rt.config.platforms as never));
  // The status, its attempts and its webhook deliveries commit together (notify/outbox.ts).
  if (await writeOutcome(rt, row, seq, { id: row.id, jobSeq: seq }, outcome, event)) return;
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
    // The details (database messages, stack) go to the log only: lastError is shown to API readers.
    err = new PlatformError(connector.id, 'retryable', `Internal error while publishing to ${connector.name} (details in the server log); will retry.`);
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
  const ok = await writeOutcome(
    rt,
    row,
    seq,
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
    if (e.rateLimited) rt.metrics.rateLimited(row.platform, 'http_429', delay);
    await rt.queues.add(row.platform, row.id, next, delay).catch((addErr) =>
      rt.log.warn(`crosspost: could not schedule retry of publication ${row.id} (${(addErr as Error).message}); the reconciler will.`),
    );
  } else {
    // Re-planned meanwhile: the newer job carries on.
    await finish(rt, row, seq, { needsLookup: row.needsLookup || e.kind === 'ambiguous' });
  }
}
