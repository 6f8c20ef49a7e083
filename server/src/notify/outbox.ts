/**
 * The outbox. A publication's final status and the webhook deliveries of the event it causes are
 * written in ONE database transaction, so a crash can lose neither without the other: once the status
 * is committed, its deliveries exist (pending) and the reconciler sends any whose job never made it to
 * Redis. After the commit: the eventHub event (Strapi's webhooks, other plugins), the metric, and the
 * jobs of the deliveries. Publishing never waits on a receiver: only a Redis add happens here.
 */
import type { Runtime } from '../runtime';
import type { AttemptRecord, Publication } from '../store/publications';
import { emitOutcome, OUTCOME_EVENTS, type OutcomeEvent } from './events';
import { newMessageId, thinPublication, webhookBody } from './message';
import type { WebhookDelivery } from './deliveries';

/**
 * Writes `outcome` on the row if it still matches `where` (by default: still at `seq`), together with the
 * job's unwritten attempts and, with `event`, the event's deliveries. Returns false (nothing written) when
 * another writer moved the row on.
 */
export async function commitOutcome(
  rt: Runtime,
  row: Publication,
  seq: number,
  outcome: Partial<Publication>,
  event?: OutcomeEvent,
  opts: { where?: Record<string, unknown>; attempts?: AttemptRecord[] } = {},
): Promise<boolean> {
  const where = opts.where ?? { id: row.id, jobSeq: seq };
  const attempts = opts.attempts ?? [];
  if (!event && !attempts.length) return rt.store.updateWhere(where, outcome);
  const id = newMessageId();
  const publication = { ...row, ...outcome } as Publication;
  let deliveries: WebhookDelivery[] = [];
  // The attempts go in even when the row moved on: they happened.
  const ok = await rt.store.transaction(async () => {
    await rt.store.insertAttempts(attempts, [row]);
    if (!(await rt.store.updateWhere(where, outcome))) return false;
    if (event) deliveries = await writeDeliveries(rt, OUTCOME_EVENTS[event], id, publication, seq);
    return true;
  });
  if (!event) return ok;
  if (!ok) return false;
  // Counted before the event goes out: eventHub subscribers (Strapi's own webhooks) may take their time.
  rt.metrics.outcome(publication, event);
  await emitOutcome(rt, event, publication, { id, sequence: seq });
  for (const d of deliveries) {
    if (d.status !== 'pending') continue;
    await rt.webhooks.queue.add(d.id, d.jobSeq).catch((err) =>
      rt.log.warn(`crosspost: could not queue webhook delivery ${d.id} (${(err as Error).message}); the reconciler will.`),
    );
  }
  return true;
}

/** One delivery row per endpoint that takes this event; a disabled endpoint's is stored as canceled (replayable). */
export async function writeDeliveries(rt: Runtime, type: string, messageId: string, p: Publication, sequence: number, endpointIds?: number[]): Promise<WebhookDelivery[]> {
  const endpoints = (await rt.webhooks.endpoints.list()).filter((ep) => {
    if (endpointIds) return endpointIds.includes(ep.id);
    const events = ep.events ?? ['crosspost.*'];
    return events.includes('crosspost.*') || events.includes(type);
  });
  if (!endpoints.length) return [];
  const payload = webhookBody(type, messageId, { publication: thinPublication(p, sequence) });
  const now = new Date();
  const out: WebhookDelivery[] = [];
  for (const ep of endpoints) {
    out.push(
      await rt.webhooks.deliveries.create({
        messageId,
        endpointId: ep.id,
        eventType: type,
        publicationId: p.id ?? null,
        sequence,
        payload,
        status: ep.enabled ? 'pending' : 'canceled',
        lastError: ep.enabled ? null : 'The endpoint was disabled when the event happened; replay to send it.',
        attempts: 0,
        jobSeq: 0,
        scheduleStartedAt: now,
        nextAttemptAt: now,
        attemptLog: [],
      }),
    );
  }
  return out;
}
