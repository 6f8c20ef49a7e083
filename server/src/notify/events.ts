/**
 * Outcome events. Emitted on Strapi's eventHub (other plugins can listen) and registered as webhook
 * events, so Strapi's own webhooks (Settings › Webhooks API) can deliver them. Payloads carry no
 * content and no secrets.
 */
import type { Core } from '@strapi/strapi';
import type { Runtime } from '../runtime';
import type { Publication } from '../store/publications';

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

export async function emitOutcome(rt: Runtime, event: OutcomeEvent, p: Publication): Promise<void> {
  try {
    await rt.strapi.eventHub.emit(OUTCOME_EVENTS[event], { publication: publicationView(p) });
  } catch (err) {
    // A failing listener must not undo a publish that already happened.
    rt.log.warn(`crosspost: a listener of ${OUTCOME_EVENTS[event]} failed: ${(err as Error).message}`);
  }
}
