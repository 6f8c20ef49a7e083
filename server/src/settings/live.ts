/**
 * The settings every process runs with, kept current without a restart. The process that saves new
 * settings reloads at once and writes the new version to Redis; every other process compares that
 * Redis key with its own version before each plan and each job (one GET), and on a timer while idle.
 * The database row stays the truth: a missing Redis key, or a check every BACKSTOP_MS, reads the
 * version column itself, so a lost Redis write or a flushed Redis delays a change, never loses it.
 */
import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { PLATFORM_IDS, type CrosspostConfig, type PlatformId } from '../config/schema';
import type { SettingsStore, SettingsRow } from '../store/settings';
import { effectiveConfig, entryDefaults, whyOff, type AdminCredentials, type EntryDefaults } from './effective';
import { createCredentialCipher } from './cipher';
import type { Logger } from '../runtime';

const BACKSTOP_MS = 30_000;

export interface SettingsSnapshot {
  version: number;
  row: SettingsRow;
  /** Admin-entered credentials that could be decrypted (in memory only). */
  admin: AdminCredentials;
  /** Admin-entered credentials that could not be decrypted (the encryption key changed). */
  undecryptable: Array<{ platform: PlatformId; field: string }>;
  /** File config + admin settings: what connectors are built from. */
  config: CrosspostConfig;
  defaults: EntryDefaults;
  off: Partial<Record<PlatformId, string>>;
}

export interface LiveSettingsDeps {
  strapi: Core.Strapi;
  fileConfig: CrosspostConfig;
  store: SettingsStore;
  redis: Redis;
  log: Logger;
  /** Installs a new snapshot (rebuilds connectors, opens queues). Called once per change, in order. */
  apply(snapshot: SettingsSnapshot, previous: SettingsSnapshot | undefined): Promise<void>;
}

export class LiveSettings {
  private snap: SettingsSnapshot | undefined;
  private lastDbCheck = 0;
  private checking: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly key: string;

  constructor(private readonly deps: LiveSettingsDeps) {
    this.key = `${deps.fileConfig.redis.prefix}:crosspost:settings-version`;
  }

  current(): SettingsSnapshot {
    if (!this.snap) throw new Error('crosspost: settings not loaded yet');
    return this.snap;
  }

  /** Why a platform has no connector now (null when it has one). */
  whyOff(platform: PlatformId): string | null {
    return this.snap?.off[platform] ?? null;
  }

  /** Reads the row and installs it (startup, and after this process saved). */
  async reload(): Promise<SettingsSnapshot> {
    const row = await this.deps.store.read();
    this.lastDbCheck = Date.now();
    const next = this.build(row);
    const previous = this.snap;
    await this.deps.apply(next, previous);
    this.snap = next;
    return next;
  }

  /** Tells the other processes: they see the new version on their next check. */
  async announce(version: number): Promise<void> {
    try {
      await this.deps.redis.set(this.key, String(version));
    } catch (err) {
      this.deps.log.warn(`crosspost: could not announce settings version ${version} in Redis (${(err as Error).message}); other processes pick it up within ${BACKSTOP_MS / 1000} s.`);
    }
  }

  /** Cheap: one Redis GET, a DB read only when something changed (or the backstop is due). Concurrent callers share one check. */
  ensureFresh(): Promise<void> {
    if (!this.snap) return Promise.resolve();
    if (!this.checking) {
      this.checking = this.check()
        .catch((err) => this.deps.log.warn(`crosspost: could not check for new settings: ${(err as Error).message}`))
        .finally(() => {
          this.checking = undefined;
        });
    }
    return this.checking;
  }

  startPolling(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.ensureFresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const mine = this.current().version;
    let announced: number | null = null;
    try {
      const v = await this.deps.redis.get(this.key);
      announced = v === null ? null : Number(v);
    } catch {
      announced = null;
    }
    if (announced === mine && Date.now() - this.lastDbCheck < BACKSTOP_MS) return;
    const stored = await this.deps.store.version();
    this.lastDbCheck = Date.now();
    if (announced === null || announced < stored) await this.announce(stored);
    if (stored !== mine) {
      const next = await this.reload();
      this.deps.log.info(`crosspost: settings changed (version ${mine} → ${next.version}); platforms now: ${PLATFORM_IDS.filter((p) => !next.off[p]).join(', ') || 'none'}.`);
    }
  }

  private build(row: SettingsRow): SettingsSnapshot {
    const { fileConfig, strapi } = this.deps;
    const editable = fileConfig.settings.editableCredentials;
    const admin: AdminCredentials = {};
    const undecryptable: SettingsSnapshot['undecryptable'] = [];
    if (editable) {
      const cipher = createCredentialCipher(strapi);
      for (const [platform, fields] of Object.entries(row.credentials) as Array<[PlatformId, Record<string, { encrypted: string }>]>) {
        for (const [field, stored] of Object.entries(fields ?? {})) {
          const value = stored?.encrypted ? cipher.decrypt(stored.encrypted) : null;
          if (value) (admin[platform] ??= {})[field] = value;
          else undecryptable.push({ platform, field });
        }
      }
      for (const u of undecryptable) {
        this.deps.log.warn(`crosspost: the ${u.platform} ${u.field} entered in the admin cannot be decrypted (was ENCRYPTION_KEY changed?); enter it again in Settings → Cross-posting.`);
      }
    }
    const config = effectiveConfig(fileConfig, row.data, admin, editable);
    const off: SettingsSnapshot['off'] = {};
    for (const p of PLATFORM_IDS) {
      const why = whyOff(fileConfig, row.data, config, p);
      if (why) off[p] = why;
    }
    return { version: row.version, row, admin, undecryptable, config, defaults: entryDefaults(row.data), off };
  }
}
