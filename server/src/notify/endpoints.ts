/**
 * Webhook endpoints: rows managed through the admin routes, plus read-only ones declared in the plugin
 * config (mirrored into the table so deliveries can name them; their secret stays in the config).
 * Secrets are encrypted with Strapi's encryption service (admin.secrets.encryptionKey, ENCRYPTION_KEY),
 * shown once, and never returned again.
 */
import type { Runtime } from '../runtime';
import { WEBHOOK_ENDPOINT_UID } from '../content-types';
import { generateSecret } from './signing';

export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export interface WebhookEndpoint {
  id: number;
  name: string;
  url: string;
  events: string[] | null;
  enabled: boolean;
  source: 'admin' | 'config';
  configKey: string | null;
  secretEnc: string | null;
  previousSecretEnc: string | null;
  previousSecretUntil: string | Date | null;
  headers: Record<string, string> | null;
  disabledReason: string | null;
  failingSince: string | Date | null;
  consecutiveFailures: number;
  lastSuccessAt: string | Date | null;
  lastFailureAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

export class EncryptionUnavailableError extends Error {
  constructor() {
    super('Webhook secrets are stored encrypted with Strapi\'s encryption key, and none is set: add ENCRYPTION_KEY (config/admin: secrets.encryptionKey) and restart.');
  }
}

interface Encryption {
  encrypt(v: string): string | null;
  decrypt(v: string): string | null;
}

export function subscribes(ep: Pick<WebhookEndpoint, 'events'>, type: string): boolean {
  const events = ep.events ?? ['crosspost.*'];
  return events.includes('crosspost.*') || events.includes(type);
}

/** What the API shows: never a secret. */
export function endpointView(ep: WebhookEndpoint) {
  return {
    id: ep.id,
    name: ep.name,
    url: ep.url,
    events: ep.events ?? ['crosspost.*'],
    enabled: ep.enabled,
    readOnly: ep.source === 'config',
    headers: Object.keys(ep.headers ?? {}),
    disabledReason: ep.disabledReason,
    rotationOverlapUntil: ep.previousSecretUntil && new Date(ep.previousSecretUntil).getTime() > Date.now() ? ep.previousSecretUntil : null,
    failingSince: ep.failingSince,
    consecutiveFailures: ep.consecutiveFailures ?? 0,
    lastSuccessAt: ep.lastSuccessAt,
    lastFailureAt: ep.lastFailureAt,
    createdAt: ep.createdAt,
    updatedAt: ep.updatedAt,
  };
}

export function createEndpointStore(rt: Pick<Runtime, 'strapi' | 'config'>) {
  const q = () => rt.strapi.db.query(WEBHOOK_ENDPOINT_UID);
  const encryption = () => rt.strapi.service('admin::encryption') as unknown as Encryption;

  const encrypt = (secret: string): string => {
    const enc = encryption().encrypt(secret);
    if (!enc) throw new EncryptionUnavailableError();
    return enc;
  };

  return {
    async list(): Promise<WebhookEndpoint[]> {
      return (await q().findMany({ orderBy: { id: 'asc' } })) as WebhookEndpoint[];
    },

    async get(id: number): Promise<WebhookEndpoint | null> {
      return (await q().findOne({ where: { id } })) as WebhookEndpoint | null;
    },

    /** Enabled endpoints that take this event (read inside the outbox transaction). */
    async subscribedTo(type: string): Promise<WebhookEndpoint[]> {
      const rows = (await q().findMany({ where: { enabled: true } })) as WebhookEndpoint[];
      return rows.filter((ep) => subscribes(ep, type));
    },

    async create(data: { name: string; url: string; events: string[]; headers?: Record<string, string>; enabled?: boolean }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
      const secret = generateSecret();
      const endpoint = (await q().create({
        data: { ...data, headers: data.headers ?? {}, enabled: data.enabled ?? true, source: 'admin', secretEnc: encrypt(secret), consecutiveFailures: 0 },
      })) as WebhookEndpoint;
      return { endpoint, secret };
    },

    async update(id: number, data: Partial<WebhookEndpoint>): Promise<WebhookEndpoint> {
      return (await q().update({ where: { id }, data })) as WebhookEndpoint;
    },

    async remove(id: number): Promise<void> {
      await q().delete({ where: { id } });
    },

    /** A new secret; the old one keeps signing (alongside) for 24 h so receivers can switch. */
    async rotate(ep: WebhookEndpoint): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
      const secret = generateSecret();
      const endpoint = (await q().update({
        where: { id: ep.id },
        data: { secretEnc: encrypt(secret), previousSecretEnc: ep.secretEnc, previousSecretUntil: new Date(Date.now() + ROTATION_OVERLAP_MS) },
      })) as WebhookEndpoint;
      return { endpoint, secret };
    },

    /** The secrets a delivery is signed with right now: the current one, plus the previous during its overlap. */
    secretsFor(ep: WebhookEndpoint): string[] {
      if (ep.source === 'config') {
        const c = rt.config.webhooks.endpoints.find((e) => e.name === ep.configKey);
        return c ? [c.secret] : [];
      }
      const out: string[] = [];
      const current = ep.secretEnc ? encryption().decrypt(ep.secretEnc) : null;
      if (current) out.push(current);
      if (ep.previousSecretEnc && ep.previousSecretUntil && new Date(ep.previousSecretUntil).getTime() > Date.now()) {
        const prev = encryption().decrypt(ep.previousSecretEnc);
        if (prev) out.push(prev);
      }
      return out;
    },

    /** Mirrors the config's endpoints into the table (by name); rows of endpoints no longer configured go. */
    async syncFromConfig(): Promise<void> {
      const configured = rt.config.webhooks.endpoints;
      const rows = (await q().findMany({ where: { source: 'config' } })) as WebhookEndpoint[];
      for (const c of configured) {
        const row = rows.find((r) => r.configKey === c.name);
        const data = { name: c.name, url: c.url, events: c.events, headers: c.headers ?? {}, source: 'config', configKey: c.name };
        if (!row) await q().create({ data: { ...data, enabled: c.enabled, consecutiveFailures: 0 } });
        // A config endpoint the plugin disabled (410, 72 h of failures) stays disabled until re-enabled.
        else await q().update({ where: { id: row.id }, data: { ...data, ...(c.enabled ? {} : { enabled: false }) } });
      }
      for (const r of rows) if (!configured.some((c) => c.name === r.configKey)) await q().delete({ where: { id: r.id } });
    },
  };
}

export type EndpointStore = ReturnType<typeof createEndpointStore>;
