/**
 * Runs backfills: plans a few entries at a time and waits while its planned rows are still waiting,
 * so the queue (which applies each platform's rate limits) never holds more than a small window of
 * them, and a cancel stops the planning at once. State lives in the backfill row (cursor, planned
 * rows), so a backfill survives a restart: whichever process holds its Redis lease resumes it, on
 * bootstrap or on the periodic sweep.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Runtime } from '../runtime';
import { ACTIVE_STATUSES } from '../store/publications';
import { planPublish } from '../planner/planner';
import { settingFor } from '../store/entry-settings';
import { backfillStore, isSettled, plannedStatusCounts, type BackfillRow } from './store';
import { publishedPage } from './entries';
import { cancelWaiting } from './cancel-rows';

/** Entries planned per page. */
const PAGE = 5;
/** At most this many of a backfill's rows wait in the queue at a time. */
const WINDOW = 20;
const POLL_MS = 500;
const LEASE_MS = 30000;
const SWEEP_MS = 15000;

export interface BackfillRunner {
  /** Starts (or resumes) a backfill in this process unless another process holds it. */
  kick(id: number): void;
  stop(): Promise<void>;
}

const runners = new WeakMap<object, BackfillRunner>();
export const getBackfillRunner = (strapi: Core.Strapi) => runners.get(strapi);

export function startBackfillRunner(rt: Runtime): BackfillRunner {
  const loops = new Map<number, Promise<void>>();
  let stopped = false;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const leaseKey = (id: number) => `${rt.config.redis.prefix}:crosspost:backfill-lease:${id}`;

  async function run(id: number): Promise<void> {
    const token = randomUUID();
    const key = leaseKey(id);
    if ((await rt.redis.set(key, token, 'PX', LEASE_MS, 'NX')) !== 'OK') return;
    try {
      while (!stopped) {
        // Renew the lease; if it was lost (a long stall), another process may run it now.
        const holder = await rt.redis.get(key);
        if (holder !== token) return;
        await rt.redis.pexpire(key, LEASE_MS);
        const b = await backfillStore.get(rt, id);
        if (!b) return;
        if (b.status === 'canceled') {
          // A row a worker held when the cancel came can come back waiting (a retry, a rate-limit wait): cancel it then.
          if (!(await sweepCanceled(b))) return;
          await sleep(POLL_MS);
          continue;
        }
        if (b.status !== 'running') return;
        const more = await step(b);
        if (!more) return;
      }
    } catch (err) {
      rt.log.error(`crosspost: backfill ${id} stopped: ${(err as Error).message}`);
      await backfillStore.updateRunning(rt, id, { status: 'failed', lastError: (err as Error).message.slice(0, 1000), finishedAt: new Date() });
    } finally {
      // Give the lease back only if it is still ours.
      await rt.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, key, token).catch(() => undefined);
    }
  }

  /** Cancels the canceled backfill's rows that wait again; true while some are still being sent. */
  async function sweepCanceled(b: BackfillRow): Promise<boolean> {
    const ids = b.publicationIds ?? [];
    await cancelWaiting(rt, ids);
    return ((await plannedStatusCounts(rt, ids)).processing ?? 0) > 0;
  }

  /** One step of a backfill; false when it is over. */
  async function step(b: BackfillRow): Promise<boolean> {
    const ids = b.publicationIds ?? [];
    const counts = await plannedStatusCounts(rt, ids);
    if (b.planningDone) {
      if (isSettled(counts, ids.length)) {
        await backfillStore.updateRunning(rt, b.id, { status: 'done', finishedAt: new Date() });
        return false;
      }
      await sleep(POLL_MS);
      return true;
    }
    const waiting = ACTIVE_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);
    if (waiting >= WINDOW) {
      await sleep(POLL_MS);
      return true;
    }
    const since = b.since ? new Date(b.since) : null;
    const page = await publishedPage(rt, b.contentType, since, b.cursor, PAGE);
    if (!page.length) {
      await backfillStore.updateRunning(rt, b.id, { planningDone: true });
      return true;
    }
    let { planned, skipped } = b;
    const newIds = [...ids];
    for (const e of page) {
      if (stopped) break;
      const fresh = await backfillStore.get(rt, b.id);
      // Canceled: the loop's next turn sweeps the rows planned so far.
      if (!fresh || fresh.status !== 'running') return true;
      const existing = await rt.store.findForTarget(e.target);
      const settings = await rt.entrySettings.get(e.target);
      // Never post twice: a platform that already has a row for the entry is left alone, and so is one
      // the editor switched off for it.
      const todo = b.platforms.filter((p) => !existing.some((r) => r.platform === p) && settingFor(settings, p).enabled !== false);
      skipped += b.platforms.length - todo.length;
      if (todo.length) {
        // lookupFirst: DEV and Hashnode look for a copy with our canonical URL and adopt it instead of posting.
        await planPublish(rt, e.target, { platforms: todo, lookupFirst: true, overrides: { delayMs: 0 } });
        const rows = await rt.store.findForTarget(e.target);
        const mine = rows.filter((r) => todo.includes(r.platform));
        newIds.push(...mine.map((r) => r.id));
        planned += mine.length;
        skipped += todo.length - mine.length;
      }
      // Written even when a cancel came meanwhile: the rows just planned must be in the list the cancel sweeps.
      await backfillStore.update(rt, b.id, { cursor: e.id, planned, skipped, publicationIds: newIds });
    }
    return true;
  }

  const runner: BackfillRunner = {
    kick(id) {
      if (stopped || loops.has(id)) return;
      const p = run(id)
        .catch((err) => rt.log.error(`crosspost: backfill ${id}: ${(err as Error).message}`))
        .finally(() => loops.delete(id));
      loops.set(id, p);
    },
    async stop() {
      stopped = true;
      clearInterval(sweep);
      for (const wake of [...wakers]) wake();
      await Promise.allSettled([...loops.values()]);
    },
  };

  // Backfills left running by a stopped process (or one whose process died) are picked up here.
  const resume = async () => {
    try {
      for (const b of await backfillStore.running(rt)) runner.kick(b.id);
    } catch (err) {
      rt.log.warn(`crosspost: could not look for running backfills: ${(err as Error).message}`);
    }
  };
  const sweep = setInterval(() => void resume(), SWEEP_MS);
  sweep.unref?.();
  void resume();
  runners.set(rt.strapi, runner);
  return runner;
}

export async function stopBackfillRunner(strapi: Core.Strapi): Promise<void> {
  const r = runners.get(strapi);
  if (!r) return;
  runners.delete(strapi);
  await r.stop();
}
