/**
 * Listens to Strapi's entry events. eventHub `entry.publish|unpublish|delete` fire after commit on
 * every path (Content Manager, REST, documents().publish(), create/update with status 'published'),
 * which document middlewares do not (reference/strapi-v5-plugins.md §3). Events repeat (per locale,
 * per row on delete): work is serialised per document+locale, and the planner's hash check makes a
 * repeat a no-op.
 */
import type { Runtime } from '../runtime';
import type { Target } from '../store/publications';
import { planPublish, planUnpublish } from '../planner/planner';

interface EntryEvent {
  uid?: string;
  entry?: { documentId?: string; locale?: string | null };
}

export interface EntryListener {
  stop(): void;
  /** Resolves when every event received so far has been planned (tests, shutdown). */
  idle(): Promise<void>;
}

/** A database hiccup while planning must not lose the publish: try again a few times. */
const PLAN_RETRY_DELAYS_MS = [500, 2000, 8000];

async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= PLAN_RETRY_DELAYS_MS.length) throw err;
      await new Promise((r) => setTimeout(r, PLAN_RETRY_DELAYS_MS[i]));
    }
  }
}

export function listenToEntryEvents(rt: Runtime): EntryListener {
  const chains = new Map<string, Promise<void>>();

  const schedule = (t: Target, what: 'publish' | 'unpublish') => {
    const key = `${t.uid}|${t.documentId}|${t.locale}`;
    const prev = chains.get(key) ?? Promise.resolve();
    const next = prev
      // Start after Strapi has sent its response: SQLite queries are synchronous and would hold it up.
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(() => withRetries(() => (what === 'publish' ? planPublish(rt, t) : planUnpublish(rt, t))))
      .then(() => undefined)
      .catch((err: Error) =>
        rt.log.error(`crosspost: planning ${what} of ${key} failed after retries (the reconciler will pick it up): ${err?.stack ?? err}`),
      )
      .finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
    chains.set(key, next);
  };

  const targetOf = (e: EntryEvent): Target | undefined => {
    if (!e?.uid || !e.entry?.documentId || !rt.config.contentTypes[e.uid]) return undefined;
    return { uid: e.uid, documentId: e.entry.documentId, locale: e.entry.locale ?? '' };
  };

  const hasDraftAndPublish = (uid: string) =>
    Boolean((rt.strapi.contentType(uid as never) as { options?: { draftAndPublish?: boolean } })?.options?.draftAndPublish);

  // Handlers return at once: planning must not hold up other eventHub subscribers (Strapi's webhooks).
  const on = (event: string, fn: (e: EntryEvent) => void) =>
    rt.strapi.eventHub.on(event, async (e: EntryEvent) => {
      fn(e);
    });
  const offs = [
    on('entry.publish', (e) => {
      const t = targetOf(e);
      if (t) schedule(t, 'publish');
    }),
    on('entry.unpublish', (e) => {
      const t = targetOf(e);
      if (t) schedule(t, 'unpublish');
    }),
    on('entry.delete', (e) => {
      const t = targetOf(e);
      if (t) schedule(t, 'unpublish');
    }),
    // Without Draft & Publish every saved entry is live.
    on('entry.create', (e) => {
      const t = targetOf(e);
      if (t && !hasDraftAndPublish(t.uid)) schedule(t, 'publish');
    }),
    on('entry.update', (e) => {
      const t = targetOf(e);
      if (t && !hasDraftAndPublish(t.uid)) schedule(t, 'publish');
    }),
  ];

  return {
    stop: () => offs.forEach((off) => typeof off === 'function' && off()),
    idle: async () => {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
