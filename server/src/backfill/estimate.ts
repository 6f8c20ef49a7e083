/**
 * How many of a type's published entries still need posting, and roughly how long the platforms'
 * documented rate limits make that take (the queue applies the same limits when it runs).
 */
import type { Runtime } from '../runtime';
import type { PlatformId } from '../config/schema';
import { countPublished, publishedPage } from './entries';

/** Per call, besides the windows: one request, maybe one lookup first. */
const SECONDS_PER_CALL = 1;

/** Seconds to make `n` creates on a platform within its limits. */
export function secondsFor(rt: Runtime, platform: PlatformId, n: number): number {
  if (n <= 0) return 0;
  const windows =
    platform === 'devto'
      ? [rt.config.platforms.devto.limits.creates, rt.config.platforms.devto.limits.writes]
      : platform === 'hashnode'
        ? [rt.config.platforms.hashnode.limits.mutations]
        : [rt.config.platforms.medium.limits.posts];
  // The first `max` calls go at once; each further full window waits its duration.
  const waits = windows.map((w) => Math.max(0, Math.ceil(n / w.max) - 1) * (w.durationMs / 1000));
  return Math.ceil(Math.max(...waits, 0) + n * SECONDS_PER_CALL);
}

/** Platforms run side by side: the slowest one decides. */
export function estimateSeconds(rt: Runtime, pairs: Partial<Record<PlatformId, number>>): number {
  return Math.max(0, ...Object.entries(pairs).map(([p, n]) => secondsFor(rt, p as PlatformId, n ?? 0)));
}

const PAGE = 500;

export async function estimateBackfill(rt: Runtime, uid: string, platforms: PlatformId[], since: Date | null) {
  const found = await countPublished(rt, uid, since);
  const pairs: Partial<Record<PlatformId, number>> = Object.fromEntries(platforms.map((p) => [p, 0]));
  let alreadyPosted = 0;
  let toPost = 0;
  let cursor = 0;
  for (;;) {
    const page = await publishedPage(rt, uid, since, cursor, PAGE);
    if (!page.length) break;
    cursor = page[page.length - 1].id;
    const rows = (await rt.store.findMany({
      where: { targetUid: uid, targetDocumentId: { $in: page.map((e) => e.target.documentId) }, platform: { $in: platforms } },
    })) as Array<{ targetDocumentId: string; targetLocale: string; platform: PlatformId }>;
    const has = new Set(rows.map((r) => `${r.targetDocumentId}|${r.targetLocale ?? ''}|${r.platform}`));
    for (const e of page) {
      const missing = platforms.filter((p) => !has.has(`${e.target.documentId}|${e.target.locale}|${p}`));
      for (const p of missing) pairs[p] = (pairs[p] ?? 0) + 1;
      if (missing.length) toPost += 1;
      else alreadyPosted += 1;
    }
  }
  return { found, alreadyPosted, toPost, perPlatform: pairs, estimatedSeconds: estimateSeconds(rt, pairs) };
}
