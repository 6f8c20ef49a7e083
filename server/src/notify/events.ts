/**
 * Outcome events. Emitted on Strapi's eventHub (other plugins can listen) and registered as webhook
 * events, so Strapi's own webhooks (Settings › Webhooks API) can deliver them. Payloads carry no
 * content and no secrets.
 */
import type { Core } from '@strapi/strapi';
import type { Runtime } from '../runtime';
import type { Publication } from '../store/publications';

/** Raised only for a breaking change of the payloads (eventHub and webhooks). */
export const EVENT_VERSION = 1;

export const OUTCOME_EVENTS = {
  published: 'crosspost.published',
  updated: 'crosspost.updated',
  unpublished: 'crosspost.unpublished',
  failed: 'crosspost.failed',
  unconfirmed: 'crosspost.unconfirmed',
  outdated: 'crosspost.outdated',
} as const;

export type OutcomeEvent = keyof typeof OUTCOME_EVENTS;

export function registerWebhookEvents(strapi: Core.Strapi): void {
  const store = strapi.get('webhookStore') as { addAllowedEvent?: (key: string, value: string) => void } | undefined;
  for (const [key, name] of Object.entries(OUTCOME_EVENTS)) {
    store?.addAllowedEvent?.(`CROSSPOST_${key.toUpperCase()}`, name);
  }
}

export function publicationView(p: Publication) {
  return {
    id: p.id,
    documentId: p.documentId,
    platform: p.platform,
    status: p.status,
    desired: p.desired,
    contentType: p.targetUid,
    entryDocumentId: p.targetDocumentId,
    locale: p.targetLocale || null,
    title: p.title,
    remoteId: p.remoteId,
    remoteUrl: p.remoteUrl,
    remoteState: p.remoteState,
    attempts: p.attempts,
    lastError: p.lastError,
    lastErrorKind: p.lastErrorKind,
    warnings: p.warnings ?? [],
    options: p.options ?? {},
    nextAttemptAt: p.nextAttemptAt,
    lastSyncedAt: p.lastSyncedAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/**
 * The eventHub payload: `{ id, version, publication }` (Strapi's webhook runner posts
 * `{ event, createdAt, id, version, publication }`). `id` is the event's id (the plugin webhooks'
 * `webhook-id`), `publication.sequence` orders events of one publication.
 */
export async function emitOutcome(rt: Runtime, event: OutcomeEvent, p: Publication, meta: { id: string; sequence: number }): Promise<void> {
  try {
    await rt.strapi.eventHub.emit(OUTCOME_EVENTS[event], { id: meta.id, version: EVENT_VERSION, publication: { ...publicationView(p), sequence: meta.sequence } });
  } catch (err) {
    // A failing listener must not undo a publish that already happened.
    rt.log.warn(`crosspost: a listener of ${OUTCOME_EVENTS[event]} failed: ${(err as Error).message}`);
  }
}

/** Told to the eventHub (and so the admin), never to the webhooks: the endpoint itself is what broke. */
export const ENDPOINT_DISABLED_EVENT = 'crosspost.webhook.disabled';

export async function emitEndpointDisabled(rt: Runtime, ep: { id: number; name: string }, reason: string): Promise<void> {
  try {
    await rt.strapi.eventHub.emit(ENDPOINT_DISABLED_EVENT, { version: EVENT_VERSION, endpoint: { id: ep.id, name: ep.name }, reason });
  } catch (err) {
    rt.log.warn(`crosspost: a listener of ${ENDPOINT_DISABLED_EVENT} failed: ${(err as Error).message}`);
  }
}
