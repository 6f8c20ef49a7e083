/**
 * The event envelope shared by the eventHub and the plugin's webhooks: an id (the `webhook-id`, kept on
 * every retry and replay), a version (bumped only for a breaking change) and the publication's
 * sequence (its jobSeq, which only grows: receivers drop an event older than one they have seen).
 */
import crypto from 'node:crypto';
import type { Publication } from '../store/publications';
import { EVENT_VERSION, publicationView } from './events';

/** Standard Webhooks asks for bodies under 20 kB; the free-text fields are capped well below that. */
export const MAX_BODY_BYTES = 20 * 1024;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `msg_` + a ULID: sortable by creation time, unique without coordination. */
export function newMessageId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = crypto.randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[rnd[i] % 32];
  return `msg_${time}${random}`;
}

const cap = (s: string | null | undefined, n: number) => (s == null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * What a receiver learns about a publication: the eventHub's view without its unbounded parts (options,
 * warnings), the free-text fields capped so the body stays under MAX_BODY_BYTES. No article body, no credentials.
 */
export function thinPublication(p: Publication, sequence: number) {
  const { options: _options, warnings: _warnings, ...view } = publicationView(p);
  return {
    ...view,
    title: cap(view.title, 500),
    remoteUrl: cap(view.remoteUrl, 2000),
    lastError: cap(view.lastError, 1000),
    sequence,
    updatedAt: new Date().toISOString(),
  };
}

/** The exact body text sent (and re-sent byte for byte on retry and replay). */
export function webhookBody(type: string, id: string, data: Record<string, unknown>, timestamp = new Date()): string {
  const body = JSON.stringify({ id, type, version: EVENT_VERSION, timestamp: timestamp.toISOString(), data });
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`crosspost: webhook body of ${type} is over ${MAX_BODY_BYTES} bytes`);
  return body;
}
