/**
 * Pure: what the plugin runs with once the admin's settings are laid over the file config
 * (environment + config/plugins). A credential from the environment or config/plugins always wins;
 * an admin-entered one fills a gap only, and only while `settings.editableCredentials` is on.
 */
import { z } from 'zod';
import { PLATFORM_IDS, type CrosspostConfig, type PlatformId } from '../config/schema';

export const MAX_DELAY_MS = 90 * 24 * 3600 * 1000;

/** The credential fields of each platform (contract with the admin UI), and the variable that sets each. */
export const CREDENTIAL_FIELDS = {
  devto: { apiKey: 'CROSSPOST_DEVTO_API_KEY' },
  hashnode: { token: 'CROSSPOST_HASHNODE_TOKEN', publicationId: 'CROSSPOST_HASHNODE_PUBLICATION_ID' },
  medium: { token: 'CROSSPOST_MEDIUM_TOKEN' },
} as const satisfies Record<PlatformId, Record<string, string>>;

export type CredentialField<P extends PlatformId = PlatformId> = keyof (typeof CREDENTIAL_FIELDS)[P] & string;

export const PLATFORM_NAMES: Record<PlatformId, string> = { devto: 'DEV', hashnode: 'Hashnode', medium: 'Medium' };

/** Not secret: the admin page writes these, every process reads them. */
export const storedSettingsSchema = z
  .object({
    defaults: z.object({ platforms: z.array(z.enum(PLATFORM_IDS)).optional() }).strict().default({}),
    platforms: z
      .record(
        z.enum(PLATFORM_IDS),
        z
          .object({
            enabled: z.boolean().optional(),
            mode: z.enum(['publish', 'draft']).optional(),
            delayMs: z.number().int().min(0).max(MAX_DELAY_MS, 'must be at most 90 days (in ms)').optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

export type StoredSettings = z.output<typeof storedSettingsSchema>;

/** Admin-entered credentials, decrypted (in memory only). */
export type AdminCredentials = Partial<Record<PlatformId, Partial<Record<string, string>>>>;

export type CredentialSource = 'env' | 'config' | 'admin';

export interface PlatformDefaults {
  mode: 'publish' | 'draft';
  delayMs: number;
}

export interface EntryDefaults {
  /** Platforms an entry goes to when its editor chose nothing. */
  platforms: PlatformId[];
  perPlatform: Record<PlatformId, PlatformDefaults>;
}

/** Where the file config's value of a credential comes from (null: not set there). */
export function fileSource(config: CrosspostConfig, env: Record<string, string | undefined>, platform: PlatformId, field: string): 'env' | 'config' | null {
  const value = (config.platforms[platform] as Record<string, unknown>)[field];
  if (typeof value !== 'string' || !value) return null;
  const envVar = (CREDENTIAL_FIELDS[platform] as Record<string, string>)[field];
  return env[envVar] === value ? 'env' : 'config';
}

export function entryDefaults(stored: StoredSettings): EntryDefaults {
  const perPlatform = {} as Record<PlatformId, PlatformDefaults>;
  for (const p of PLATFORM_IDS) perPlatform[p] = { mode: stored.platforms[p]?.mode ?? 'publish', delayMs: stored.platforms[p]?.delayMs ?? 0 };
  return { platforms: stored.defaults.platforms ?? [...PLATFORM_IDS], perPlatform };
}

/**
 * The config the connectors are built from: the file config, with admin-entered credentials where the
 * file config has none, and platforms an admin switched off marked disabled.
 */
export function effectiveConfig(config: CrosspostConfig, stored: StoredSettings, admin: AdminCredentials, editable: boolean): CrosspostConfig {
  const platforms = { ...config.platforms } as Record<PlatformId, Record<string, unknown>>;
  for (const p of PLATFORM_IDS) {
    const next: Record<string, unknown> = { ...config.platforms[p] };
    if (editable) {
      for (const field of Object.keys(CREDENTIAL_FIELDS[p])) {
        const mine = admin[p]?.[field];
        if (!next[field] && mine) next[field] = mine;
      }
    }
    if (stored.platforms[p]?.enabled === false) next.enabled = false;
    platforms[p] = next;
  }
  return { ...config, platforms: platforms as unknown as CrosspostConfig['platforms'] };
}

/** Why a platform has no connector, in words an editor can act on (null: it has one). */
export function whyOff(config: CrosspostConfig, stored: StoredSettings, effective: CrosspostConfig, platform: PlatformId): string | null {
  const name = PLATFORM_NAMES[platform];
  if (!config.platforms[platform].enabled) return `${name} is disabled in the plugin config (config/plugins → crosspost.config.platforms.${platform}.enabled).`;
  if (stored.platforms[platform]?.enabled === false) return `${name} is switched off in Settings → Cross-posting. Switch it on there, then retry.`;
  const missing = Object.entries(CREDENTIAL_FIELDS[platform]).filter(([field]) => !(effective.platforms[platform] as Record<string, unknown>)[field]);
  if (!missing.length) return null;
  return `${name} is not configured: no ${missing.map(([f]) => f).join(' and ')}. Set ${missing.map(([, v]) => v).join(' and ')}, or enter ${missing.length > 1 ? 'them' : 'it'} in Settings → Cross-posting, then retry.`;
}

/** Shown to the admin instead of a secret: the last four characters, only for values long enough to keep the rest hidden. */
export function last4(value: string): string | null {
  return value.length >= 12 ? value.slice(-4) : null;
}
