/**
 * The one `plugin::crosspost.setting` row: what an admin set on the settings page. A content type
 * rather than Strapi's core store because the row carries an integer `version` that every process
 * compares cheaply, and writes are compare-and-set on it (two admins saving at once both land).
 * Credentials are stored encrypted with Strapi's own encryption service (admin::encryption,
 * AES-256-GCM keyed by `admin.secrets.encryptionKey`); only their last four characters are kept in clear.
 */
import type { Core } from '@strapi/strapi';
import { SETTING_UID } from '../content-types';
import { storedSettingsSchema, type StoredSettings } from '../settings/effective';
import type { PlatformId } from '../config/schema';

const KEY = 'settings';

export interface StoredCredential {
  /** admin::encryption output (v1:iv:ciphertext:tag). */
  encrypted: string;
  last4: string | null;
  updatedAt: string;
}

export type StoredCredentials = Partial<Record<PlatformId, Partial<Record<string, StoredCredential>>>>;

export interface SettingsRow {
  version: number;
  data: StoredSettings;
  credentials: StoredCredentials;
}

interface RawRow {
  id: number;
  version: number | null;
  data: unknown;
  credentials: unknown;
}

function parse(raw: RawRow | null): SettingsRow {
  const data = storedSettingsSchema.safeParse(raw?.data ?? {});
  return {
    version: raw?.version ?? 0,
    // A row written by a later version with unknown keys still yields what this version understands.
    data: data.success ? data.data : storedSettingsSchema.parse({}),
    credentials: (raw?.credentials && typeof raw.credentials === 'object' ? raw.credentials : {}) as StoredCredentials,
  };
}

export function createSettingsStore(strapi: Core.Strapi) {
  const q = () => strapi.db.query(SETTING_UID);
  const findRaw = async () => (await q().findOne({ where: { key: KEY } })) as RawRow | null;

  return {
    async read(): Promise<SettingsRow> {
      return parse(await findRaw());
    },

    /** The cheap check: one indexed column of one row. */
    async version(): Promise<number> {
      const row = (await q().findOne({ where: { key: KEY }, select: ['version'] })) as { version: number | null } | null;
      return row?.version ?? 0;
    },

    /** Applies `change` to the current row and saves it with version + 1; retried when another save landed in between. */
    async write(change: (current: SettingsRow) => Omit<SettingsRow, 'version'>): Promise<SettingsRow> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const raw = await findRaw();
        const current = parse(raw);
        const next = change(current);
        const version = current.version + 1;
        const data = { data: next.data, credentials: next.credentials, version };
        if (!raw) {
          try {
            await q().create({ data: { key: KEY, ...data } });
            return { ...next, version };
          } catch {
            continue; // another process created it first
          }
        }
        // Compare-and-set on the version: a save that raced with another one goes round again.
        const { count } = await q().updateMany({ where: { id: raw.id, version: current.version }, data });
        if (!count) continue;
        return { ...next, version };
      }
      throw new Error('crosspost: the settings kept changing while saving; try again.');
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
