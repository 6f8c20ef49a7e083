/**
 * Listens to Strapi's entry events. eventHub `entry.publish|unpublish|delete` fire after commit on
 * every path (Content Manager, REST, documents().publish(), create/update with status 'published'),
 * which document middlewares do not (reference/strapi-v5-plugins.md §3). Events repeat (per locale,
 * per row on delete): the planner's hash check makes a repeat a no-op.
 *
 * The editor's request pays for one Redis write, after its response has gone out: the event becomes
 * a `crosspost:plan` job and a worker does the planning. If Redis does not take the job, this process
 * plans at once instead, so the publish is still recorded (and queued once Redis is back).
 */
import type { Runtime } from '../runtime';
import type { Target } from '../store/publications';
import { planPublish, planUnpublish } from '../planner/planner';
import { KeyedChain, targetKey } from '../planner/keyed-chain';

interface EntryEvent {
  uid?: string;
  entry?: { documentId?: string; locale?: string | null };
}

export interface EntryListener {
  stop(): void;
  /** Resolves when every event received so far has been handed to the plan queue or planned (tests, shutdown). */
  idle(): Promise<void>;
}

/** A database hiccup while planning in-process must not lose the publish: try again a few times. */
const PLAN_RETRY_DELAYS_MS = [500, 2000, 8000];
/** A response that never finishes (a client that hangs on) must not hold the publish back for long. */
const RESPONSE_WAIT_CAP_MS = 10000;

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

interface ResponseLike {
  writableFinished?: boolean;
  destroyed?: boolean;
  once(event: 'finish' | 'close', cb: () => void): unknown;
}

/**
 * Resolves once the response of the request that caused the event has been sent (at once outside a
 * request: scripts, cron). Strapi 5.54 emits entry.publish after a REST create has answered; any path
 * that emits before answering must not have its answer held up by our work (SQLite queries block).
 */
function afterResponse(res: ResponseLike | undefined): Promise<void> {
  if (!res || res.writableFinished || res.destroyed) return new Promise((r) => setImmediate(r));
  return new Promise((resolve) => {
    const timer = setTimeout(done, RESPONSE_WAIT_CAP_MS);
    function done() {
      clearTimeout(timer);
      setImmediate(resolve);
    }
    res.once('finish', done);
    res.once('close', done);
  });
}

export function listenToEntryEvents(rt: Runtime): EntryListener {
  const chain = new KeyedChain();

  const planHere = (t: Target, what: 'publish' | 'unpublish') =>
    withRetries(() => (what === 'publish' ? planPublish(rt, t) : planUnpublish(rt, t)));

  const schedule = (t: Target, what: 'publish' | 'unpublish') => {
    const res = (rt.strapi.requestContext?.get?.() as { res?: ResponseLike } | undefined)?.res;
    // Chained per entry so that a quick publish → unpublish reaches the plan queue in that order.
    chain
      .run(targetKey(t), async () => {
        await afterResponse(res);
        try {
          await rt.planQueue.add({ ...t, action: what });
        } catch (err) {
          rt.log.warn(`crosspost: could not queue the ${what} of ${targetKey(t)} for planning (${(err as Error).message}); planning it in this process.`);
          await planHere(t, what);
        }
      })
      .catch((err: Error) =>
        rt.log.error(`crosspost: planning ${what} of ${targetKey(t)} failed after retries (the reconciler will pick it up): ${err?.stack ?? err}`),
      );
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
    idle: () => chain.idle(),
  };
}
