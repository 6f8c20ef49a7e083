/**
 * An entry's choices for one platform, with the admin's defaults (Settings → Cross-posting) filling
 * whatever the editor did not choose: draft or publish, delay, and whether a new entry goes there.
 */
import type { Runtime } from '../runtime';
import type { PlatformId } from '../config/schema';
import type { PlatformSetting } from '../store/entry-settings';
import { uniqueKeyOf, type Publication, type Target } from '../store/publications';
import type { EntryDefaults } from '../settings/effective';

/** `existing`: the entry's row for this platform when the caller has already read it (null: none); undefined: read here. */
export async function effectiveSetting(
  rt: Runtime,
  t: Target,
  platform: PlatformId,
  own: PlatformSetting,
  defaults: EntryDefaults,
  existing?: Publication | null,
): Promise<PlatformSetting> {
  const d = defaults.perPlatform[platform];
  const setting: PlatformSetting = {
    ...own,
    draft: own.draft ?? d.mode === 'draft',
    delayMs: own.delayMs ?? (d.delayMs > 0 ? d.delayMs : undefined),
  };
  if (own.enabled === undefined && !defaults.platforms.includes(platform)) {
    // "Which platforms new entries go to": an entry already posted there keeps being updated there.
    const row = existing === undefined ? await rt.store.findByKey(uniqueKeyOf(t, platform)) : existing;
    if (!row) setting.enabled = false;
  }
  return setting;
}

/** The defaults as GET /entry-settings shows them (per platform, the shape an entry's settings take). */
export function entryDefaultsView(defaults: EntryDefaults, platforms: PlatformId[]) {
  return {
    platforms: Object.fromEntries(
      platforms.map((p) => [
        p,
        {
          enabled: defaults.platforms.includes(p),
          mode: defaults.perPlatform[p].mode,
          draft: defaults.perPlatform[p].mode === 'draft',
          delayMs: defaults.perPlatform[p].delayMs,
        },
      ]),
    ),
  };
}
