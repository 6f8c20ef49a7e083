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

/**
 * Extra arrival margin of a write in flight. The call is recorded when booked, but DEV counts it when it
 * arrives, in fixed windows aligned on the second: the first request of a process (a new connection) or one
 * from a busy process can leave a few hundred ms later than the next one, so two arrivals could share a
 * second. Measured: 1 in 3 runs collided with the rate windows' 150 ms margin alone under a loaded machine.
 * Only a write still in flight counts this much later: once answered it counts from its answer (RateWindows.done).
 */
const WRITE_ARRIVAL_MARGIN_MS = 350;

/** The per-call write window (DEV: 1 write/s per key), booked right before each write call. */
export function writeWindowFor(config: CrosspostConfig, platform: PlatformId): RateWindow | undefined {
  const { devto } = config.platforms;
  if (platform === 'devto' && devto.apiKey) {
    const { max, durationMs } = devto.limits.writes;
    return { name: 'devto:writes', max, durationMs, extraArrivalMarginMs: WRITE_ARRIVAL_MARGIN_MS, account: devto.apiKey };
  }
  return undefined;
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
