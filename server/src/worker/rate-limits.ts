/**
 * Which documented platform limit a call counts against (DESIGN.md §4), and how long to wait after a
 * 429 that did not say.
 */
import type { CrosspostConfig, PlatformId } from '../config/schema';
import type { RateWindow } from '../queue/rate-windows';

export type WriteOperation = 'create' | 'update' | 'unpublish';

export function windowFor(config: CrosspostConfig, platform: PlatformId, op: WriteOperation, payload: unknown): RateWindow | undefined {
  const { devto, hashnode, medium } = config.platforms;
  switch (platform) {
    case 'devto': {
      if (!devto.apiKey) return undefined;
      if (op === 'create') {
        // Only published creates count against DEV's create limit; drafts do not.
        const published = (payload as { article?: { published?: boolean } })?.article?.published;
        return published ? { name: 'devto:creates', ...devto.limits.creates, account: devto.apiKey } : undefined;
      }
      return { name: 'devto:updates', ...devto.limits.updates, account: devto.apiKey };
    }
    case 'hashnode':
      return hashnode.token ? { name: 'hashnode:mutations', ...hashnode.limits.mutations, account: hashnode.token } : undefined;
    case 'medium':
      return op === 'create' && medium.token ? { name: 'medium:posts', ...medium.limits.posts, account: medium.token } : undefined;
  }
}

/** A 429 without Retry-After: DEV's windows are 30 s; Medium's daily limit frees up slowly. */
export function rateLimitFallbackMs(platform: PlatformId): number {
  return platform === 'medium' ? 60 * 60 * 1000 : platform === 'devto' ? 30000 : 60000;
}

export function describeWindow(w: RateWindow): string {
  const d = w.durationMs;
  const span = d % 3600000 === 0 ? `${d / 3600000} h` : d % 60000 === 0 ? `${d / 60000} min` : `${d / 1000} s`;
  return `${w.max} per ${span}`;
}
