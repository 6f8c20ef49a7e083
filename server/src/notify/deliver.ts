/**
 * Runs one delivery attempt (a `crosspost:webhooks` job): sign, send, log the attempt on the row, then
 * either finish (2xx), disable the endpoint (410, or failing with no success for webhooks.disableAfterMs),
 * give up (schedule exhausted) or schedule the next attempt. Every write is conditional on the row's
 * jobSeq, so a stale or duplicated job does nothing.
 */
import type { Runtime } from '../runtime';
import { MAX_LOGGED_ATTEMPTS, type AttemptLogEntry, type WebhookDelivery } from './deliveries';
import type { WebhookEndpoint } from './endpoints';
import { nextDelayMs } from './schedule';
import { send, type SendResult } from './send';
import { signatureHeader } from './signing';
import { emitEndpointDisabled } from './events';
import type { WebhookJobData } from '../queue/webhook-queue';

const USER_AGENT = 'strapi-plugin-crosspost (+https://www.standardwebhooks.com)';

/** Builds the signed request for `d` (timestamp = now: each attempt is signed afresh) and sends it. */
export async function sendDelivery(rt: Runtime, ep: WebhookEndpoint, d: Pick<WebhookDelivery, 'messageId' | 'payload'>): Promise<SendResult> {
  const secrets = rt.webhooks.endpoints.secretsFor(ep);
  if (!secrets.length) return { status: null, durationMs: 0, error: 'The endpoint secret cannot be read (was ENCRYPTION_KEY changed?); rotate the secret.', retryAfterMs: null };
  const ts = Math.floor(Date.now() / 1000);
  return send({
    url: ep.url,
    body: d.payload,
    timeoutMs: rt.config.webhooks.timeoutMs,
    allowPrivate: rt.config.webhooks.allowPrivateNetworks,
    headers: {
      ...(ep.headers ?? {}),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': d.messageId,
      'webhook-timestamp': String(ts),
      'webhook-signature': signatureHeader(secrets, d.messageId, ts, d.payload),
    },
  });
}

export async function runDeliveryJob(rt: Runtime, job: WebhookJobData): Promise<void> {
  const { deliveries, endpoints } = rt.webhooks;
  const d = await deliveries.get(job.deliveryId);
  if (!d || d.jobSeq !== job.seq || d.status !== 'pending') return;
  const ep = await endpoints.get(d.endpointId);
  if (!ep || !ep.enabled) {
    await deliveries.updateWhere(
      { id: d.id, jobSeq: d.jobSeq, status: 'pending' },
      { status: 'canceled', nextAttemptAt: null, lastError: ep ? `The endpoint is disabled${ep.disabledReason ? `: ${ep.disabledReason}` : ''}. Replay once it is enabled again.` : 'The endpoint was deleted.' },
    );
    return;
  }

  const result = await sendDelivery(rt, ep, d);
  const now = new Date();
  const entry: AttemptLogEntry = { at: now.toISOString(), status: result.status, durationMs: result.durationMs, error: result.error };
  const log = [...(d.attemptLog ?? []), entry].slice(-MAX_LOGGED_ATTEMPTS);
  const attempts = d.attempts + 1;
  const common = { attempts, attemptLog: log, lastStatus: result.status, lastError: result.error, lastDurationMs: result.durationMs };
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  rt.metrics.webhookAttemptDuration(result.durationMs);

  if (ok) {
    await deliveries.updateWhere({ id: d.id, jobSeq: d.jobSeq }, { ...common, status: 'succeeded', deliveredAt: now, nextAttemptAt: null });
    await endpoints.update(ep.id, { lastSuccessAt: now, failingSince: null, consecutiveFailures: 0 });
    rt.metrics.webhookDelivery('success');
    return;
  }

  const failingSince = ep.failingSince ? new Date(ep.failingSince) : now;
  await endpoints.update(ep.id, { lastFailureAt: now, failingSince, consecutiveFailures: (ep.consecutiveFailures ?? 0) + 1 });

  if (result.status === 410) {
    await deliveries.updateWhere({ id: d.id, jobSeq: d.jobSeq }, { ...common, status: 'failed', nextAttemptAt: null });
    await disableEndpoint(rt, ep, 'The receiver answered 410 Gone: it asked not to be called again.');
    rt.metrics.webhookDelivery('disabled');
    return;
  }
  if (now.getTime() - failingSince.getTime() >= rt.config.webhooks.disableAfterMs) {
    await deliveries.updateWhere({ id: d.id, jobSeq: d.jobSeq }, { ...common, status: 'failed', nextAttemptAt: null });
    const hours = Math.round(rt.config.webhooks.disableAfterMs / 3600000);
    await disableEndpoint(rt, ep, `Every delivery failed for ${hours >= 1 ? `${hours} h` : `${rt.config.webhooks.disableAfterMs} ms`} (since ${failingSince.toISOString()}); last error: ${result.error ?? 'unknown'}`);
    rt.metrics.webhookDelivery('disabled');
    return;
  }
  const { retrySchedule, jitter, maxRetryAfterMs } = rt.config.webhooks;
  const delay = nextDelayMs(retrySchedule, attempts, { jitter, retryAfterMs: result.retryAfterMs, maxRetryAfterMs });
  if (delay === null) {
    await deliveries.updateWhere({ id: d.id, jobSeq: d.jobSeq }, { ...common, status: 'failed', nextAttemptAt: null });
    rt.metrics.webhookDelivery('exhausted');
    return;
  }
  const next = d.jobSeq + 1;
  if (await deliveries.updateWhere({ id: d.id, jobSeq: d.jobSeq }, { ...common, jobSeq: next, nextAttemptAt: new Date(now.getTime() + delay) })) {
    rt.metrics.webhookDelivery('retry');
    await rt.webhooks.queue.add(d.id, next, delay).catch((err) =>
      rt.log.warn(`crosspost: could not schedule webhook delivery ${d.id} (${(err as Error).message}); the reconciler will.`),
    );
  }
}

/** Disables an endpoint, says so (warning + crosspost.webhook.disabled on the eventHub) and cancels what waits for it. */
export async function disableEndpoint(rt: Runtime, ep: WebhookEndpoint, reason: string): Promise<void> {
  await rt.webhooks.endpoints.update(ep.id, { enabled: false, disabledReason: reason });
  await rt.webhooks.deliveries.updateWhere(
    { endpointId: ep.id, status: 'pending' },
    { status: 'canceled', nextAttemptAt: null, lastError: `The endpoint was disabled: ${reason} Replay once it is enabled again.` },
  );
  rt.log.warn(`crosspost: webhook endpoint "${ep.name}" (id ${ep.id}) was disabled: ${reason} Re-enable it in the settings once the receiver is fixed.`);
  await emitEndpointDisabled(rt, ep, reason);
}

/** Sets deliveries back to pending with the same id and body; they are re-signed when sent. */
export async function replayDeliveries(rt: Runtime, rows: WebhookDelivery[]): Promise<number> {
  let n = 0;
  for (const d of rows) {
    const next = d.jobSeq + 1;
    const now = new Date();
    const ok = await rt.webhooks.deliveries.updateWhere(
      { id: d.id, jobSeq: d.jobSeq },
      { status: 'pending', jobSeq: next, attempts: 0, scheduleStartedAt: now, nextAttemptAt: now, deliveredAt: null },
    );
    if (!ok) continue;
    n += 1;
    await rt.webhooks.queue.add(d.id, next).catch((err) => rt.log.warn(`crosspost: could not queue replay of delivery ${d.id} (${(err as Error).message}); the reconciler will.`));
  }
  return n;
}

/** Pending deliveries with no job (Redis lost it, or the process died after the commit) get one again. */
export async function requeueLostDeliveries(rt: Runtime): Promise<number> {
  let n = 0;
  let lastId = 0;
  const now = Date.now();
  for (;;) {
    const rows = await rt.webhooks.deliveries.findMany({ where: { status: 'pending', id: { $gt: lastId } }, orderBy: { id: 'asc' }, limit: 500 });
    for (const d of rows) {
      try {
        if (await rt.webhooks.queue.hasLiveJob(d.id, d.jobSeq)) continue;
        // The job may have run and been removed while the row still says pending (a crash before the update):
        // a fresh seq makes a fresh jobId, and the job then sends again (at least once, same webhook-id).
        const next = d.jobSeq + 1;
        if (!(await rt.webhooks.deliveries.updateWhere({ id: d.id, jobSeq: d.jobSeq, status: 'pending' }, { jobSeq: next }))) continue;
        const delay = d.nextAttemptAt ? Math.max(0, new Date(d.nextAttemptAt).getTime() - now) : 0;
        await rt.webhooks.queue.add(d.id, next, delay);
        n += 1;
      } catch (err) {
        rt.log.warn(`crosspost: reconciler skipped webhook delivery ${d.id}: ${(err as Error).message}`);
      }
    }
    if (rows.length < 500) break;
    lastId = rows[rows.length - 1].id;
  }
  return n;
}

export async function purgeOldDeliveries(rt: Runtime): Promise<number> {
  return rt.webhooks.deliveries.purgeBefore(new Date(Date.now() - rt.config.webhooks.retentionMs));
}
