/**
 * Per-entry options: which platforms an entry goes to, draft or publish per platform, and a delay
 * per platform (for instance Medium two days after the site). Absent settings mean "the defaults".
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { ENTRY_SETTING_UID } from '../content-types';
import { PLATFORM_IDS, type PlatformId } from '../config/schema';
import type { Target } from './publications';

const MAX_DELAY_MS = 90 * 24 * 3600 * 1000;

export const platformSettingSchema = z
  .object({
    /** false: this entry is not cross-posted to the platform. */
    enabled: z.boolean().optional(),
    /** true: create it as a draft on the platform. */
    draft: z.boolean().optional(),
    /** Wait this long after the entry is published before the first post (ms, up to 90 days). */
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS, 'must be at most 90 days (in ms)').optional(),
  })
  .strict();

export const entrySettingsSchema = z
  .object({ platforms: z.record(z.enum(PLATFORM_IDS), platformSettingSchema) })
  .strict();

export type PlatformSetting = z.output<typeof platformSettingSchema>;
export type EntrySettings = z.output<typeof entrySettingsSchema>;

const keyOf = (t: Target) => `${t.uid}|${t.documentId}|${t.locale}`;

export function createEntrySettingsStore(strapi: Core.Strapi) {
  const q = () => strapi.db.query(ENTRY_SETTING_UID);
  return {
    async get(t: Target): Promise<EntrySettings> {
      const row = (await q().findOne({ where: { uniqueKey: keyOf(t) } })) as { platforms?: EntrySettings['platforms'] } | null;
      return { platforms: row?.platforms ?? {} };
    },

    async set(t: Target, settings: EntrySettings): Promise<EntrySettings> {
      const existing = await q().findOne({ where: { uniqueKey: keyOf(t) } });
      const data = { platforms: settings.platforms };
      if (existing) await q().update({ where: { id: existing.id }, data });
      else await q().create({ data: { uniqueKey: keyOf(t), targetUid: t.uid, targetDocumentId: t.documentId, targetLocale: t.locale, ...data } });
      return this.get(t);
    },
  };
}

export type EntrySettingsStore = ReturnType<typeof createEntrySettingsStore>;

export function settingFor(settings: EntrySettings, platform: PlatformId): PlatformSetting {
  return settings.platforms[platform] ?? {};
}
