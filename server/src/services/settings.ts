/**
 * Settings → Cross-posting: read and change the admin settings, and test a platform's credentials.
 * Credentials are write-only: what leaves the server is `{configured, source, last4}`, never a value.
 */
import type { Core } from '@strapi/strapi';
import { PLATFORM_IDS, type PlatformId } from '../config/schema';
import { getRuntime } from '../runtime';
import { conflict, forbidden } from '../http/errors';
import { buildConnectors } from '../platforms';
import { PlatformError } from '../platforms/types';
import { CREDENTIAL_FIELDS, PLATFORM_NAMES, fileSource, last4, type CredentialSource, type StoredSettings } from '../settings/effective';
import { createCredentialCipher, NO_ENCRYPTION_KEY_MESSAGE } from '../settings/cipher';
import type { StoredCredentials } from '../store/settings';

export interface CredentialView {
  configured: boolean;
  source: CredentialSource | null;
  envVar: string;
  /** Set by the environment or config/plugins, or admin editing is off: the page shows it read-only. */
  locked: boolean;
  last4: string | null;
  /** Something the admin must act on (a stored value that cannot be decrypted any more). */
  problem: string | null;
}

export interface SettingsUpdate {
  defaults?: { platforms?: PlatformId[] };
  platforms?: Partial<Record<PlatformId, {
    enabled?: boolean;
    credentials?: Record<string, string | null | undefined>;
    defaults?: { mode?: 'publish' | 'draft'; delayMs?: number };
  }>>;
}

export interface TestConnectionInput {
  platform: PlatformId;
  credentials?: Record<string, string | undefined>;
}

const EDITING_OFF =
  'Credentials cannot be changed in the admin on this deployment (crosspost.config.settings.editableCredentials is false, or CROSSPOST_ADMIN_CREDENTIALS=false). Set them in the environment instead.';

const settings = ({ strapi }: { strapi: Core.Strapi }) => {
  const rt = () => getRuntime(strapi);
  const cipher = createCredentialCipher(strapi);
  const env = () => process.env as Record<string, string | undefined>;

  function credentialView(platform: PlatformId, field: string): CredentialView {
    const { config, settings: live } = rt();
    const snap = live.current();
    const editable = config.settings.editableCredentials;
    const envVar = (CREDENTIAL_FIELDS[platform] as Record<string, string>)[field];
    const file = fileSource(config, env(), platform, field);
    if (file) {
      const value = String((config.platforms[platform] as Record<string, unknown>)[field]);
      return { configured: true, source: file, envVar, locked: true, last4: last4(value), problem: null };
    }
    const stored = snap.row.credentials[platform]?.[field];
    if (editable && stored) {
      const readable = Boolean(snap.admin[platform]?.[field]);
      return {
        configured: readable, source: 'admin', envVar, locked: false, last4: stored.last4,
        problem: readable ? null : 'The stored value cannot be decrypted any more (was ENCRYPTION_KEY changed?). Enter it again.',
      };
    }
    return { configured: false, source: null, envVar, locked: !editable, last4: null, problem: null };
  }

  function view() {
    const { config, settings: live, connectors } = rt();
    const snap = live.current();
    const platforms: Record<string, unknown> = {};
    for (const p of PLATFORM_IDS) {
      platforms[p] = {
        name: PLATFORM_NAMES[p],
        enabled: config.platforms[p].enabled && snap.row.data.platforms[p]?.enabled !== false,
        configured: connectors.has(p),
        /** Why it does not post, in words (null when it does). */
        offReason: snap.off[p] ?? null,
        credentials: Object.fromEntries(Object.keys(CREDENTIAL_FIELDS[p]).map((f) => [f, credentialView(p, f)])),
        defaults: snap.defaults.perPlatform[p],
      };
    }
    return {
      credentialsEditable: config.settings.editableCredentials,
      encryptionAvailable: cipher.available(),
      defaults: { platforms: snap.defaults.platforms },
      platforms,
    };
  }

  /** Checks every credential change before anything is written; returns the encrypted values to store. */
  function prepareCredentials(input: SettingsUpdate): Array<{ platform: PlatformId; field: string; value: { encrypted: string; last4: string | null } | null }> {
    const changes: Array<{ platform: PlatformId; field: string; value: { encrypted: string; last4: string | null } | null }> = [];
    for (const p of PLATFORM_IDS) {
      for (const [field, value] of Object.entries(input.platforms?.[p]?.credentials ?? {})) {
        if (value === undefined) continue;
        if (!rt().config.settings.editableCredentials) throw forbidden(EDITING_OFF);
        const file = fileSource(rt().config, env(), p, field);
        const envVar = (CREDENTIAL_FIELDS[p] as Record<string, string>)[field];
        if (file) {
          throw conflict(`${PLATFORM_NAMES[p]} ${field} is set by ${file === 'env' ? envVar : 'config/plugins (crosspost.config.platforms.' + p + '.' + field + ')'}, which wins over the admin; change it there.`);
        }
        if (value === null) {
          changes.push({ platform: p, field, value: null });
          continue;
        }
        if (!cipher.available()) throw conflict(NO_ENCRYPTION_KEY_MESSAGE);
        const encrypted = cipher.encrypt(value);
        if (!encrypted) throw conflict(NO_ENCRYPTION_KEY_MESSAGE);
        changes.push({ platform: p, field, value: { encrypted, last4: last4(value) } });
      }
    }
    return changes;
  }

  return {
    async get() {
      await rt().settings.ensureFresh();
      return view();
    },

    async update(input: SettingsUpdate) {
      const credentialChanges = prepareCredentials(input);
      const saved = await rt().settingsStore.write((current) => {
        const data: StoredSettings = {
          defaults: { ...current.data.defaults, ...(input.defaults?.platforms ? { platforms: [...new Set(input.defaults.platforms)] } : {}) },
          platforms: { ...current.data.platforms },
        };
        for (const p of PLATFORM_IDS) {
          const change = input.platforms?.[p];
          if (!change) continue;
          const next = { ...data.platforms[p] };
          if (change.enabled !== undefined) next.enabled = change.enabled;
          if (change.defaults?.mode !== undefined) next.mode = change.defaults.mode;
          if (change.defaults?.delayMs !== undefined) next.delayMs = change.defaults.delayMs;
          data.platforms[p] = next;
        }
        const credentials: StoredCredentials = JSON.parse(JSON.stringify(current.credentials ?? {}));
        for (const c of credentialChanges) {
          const fields = (credentials[c.platform] ??= {});
          if (c.value) fields[c.field] = { ...c.value, updatedAt: new Date().toISOString() };
          else delete fields[c.field];
        }
        return { data, credentials };
      });
      // This process at once; the others on their next check (before their next job).
      await rt().settings.reload();
      await rt().settings.announce(saved.version);
      for (const c of credentialChanges) {
        rt().log.info(`crosspost: ${c.platform} ${c.field} ${c.value ? 'entered' : 'removed'} in the admin (settings version ${saved.version}).`);
      }
      return view();
    },

    /** Calls the platform's identity endpoint with the saved credentials, or with ones typed in and not saved yet. */
    async testConnection(input: TestConnectionInput) {
      const { platform } = input;
      const name = PLATFORM_NAMES[platform];
      const typed = Object.entries(input.credentials ?? {}).filter(([, v]) => typeof v === 'string' && v.length > 0);
      if (typed.length && !rt().config.settings.editableCredentials) throw forbidden(EDITING_OFF);
      await rt().settings.ensureFresh();
      const effective = rt().settings.current().config;
      const platformConfig: Record<string, unknown> = { ...(effective.platforms[platform] as Record<string, unknown>), enabled: true, ...Object.fromEntries(typed) };
      const missing = Object.entries(CREDENTIAL_FIELDS[platform]).filter(([f]) => !platformConfig[f]);
      if (missing.length) {
        return {
          ok: false,
          account: null,
          message: `${name} has no ${missing.map(([f]) => f).join(' and ')} yet: enter ${missing.length > 1 ? 'them' : 'it'} here, or set ${missing.map(([, v]) => v).join(' and ')}.`,
        };
      }
      const { connectors } = buildConnectors({ ...effective, platforms: { ...effective.platforms, [platform]: platformConfig } } as typeof effective);
      const connector = connectors.get(platform);
      if (!connector) return { ok: false, account: null, message: `${name} could not be set up with these credentials.` };
      try {
        const me = await connector.identity();
        return { ok: true, account: me.account, message: `Connected to ${name} as ${me.account}${me.details ? `, ${me.details}` : ''}.` };
      } catch (err) {
        if (err instanceof PlatformError) return { ok: false, account: null, message: err.message };
        throw err;
      }
    },
  };
};

export default settings;
export type SettingsService = ReturnType<typeof settings>;

