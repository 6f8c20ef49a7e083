/**
 * The safety net: any row that should have a job but has none gets one again. Covers a crash between
 * commit and enqueue, a Redis that lost its data (no persistence, FLUSHALL), and a worker killed in
 * the middle of a platform call (row stuck in `processing`). Runs on bootstrap and on an interval;
 * a Redis lock keeps it to one process at a time.
 */
import type { Runtime } from '../runtime';
import { ACTIVE_STATUSES, type Publication } from '../store/publications';
import { planMissedPublishes, watchingSince } from './missed-publishes';
import { purgeOldDeliveries, requeueLostDeliveries } from '../notify/deliver';

const PAGE = 500;

export interface Reconciler {
  runOnce(): Promise<{ requeued: number; recovered: number; missed: number; deliveries: number; purged: number }>;
  stop(): void;
}

export function startReconciler(rt: Runtime): Reconciler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function withLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (!rt.queues.platforms().length) return undefined;
    const client = rt.redis;
    const key = `${rt.config.redis.prefix}:crosspost:reconciler-lock`;
    const token = `${process.pid}-${Math.random()}`;
    const ttl = Math.max(rt.config.reconciler.intervalMs, 10000);
    const ok = await client.set(key, token, 'PX', ttl, 'NX');
    if (ok !== 'OK') return undefined;
    try {
      return await fn();
    } finally {
      if ((await client.get(key)) === token) await client.del(key);
    }
  }

  async function reconcileRow(row: Publication, now: number): Promise<'requeued' | 'recovered' | null> {
    if (!rt.connectors.has(row.platform)) return null;
    if (row.status === 'processing') {
      const claimedAt = row.claimedAt ? new Date(row.claimedAt).getTime() : 0;
      // Bull re-runs a stalled job after lockDuration + stalledInterval; give it that chance first.
      const grace = rt.config.queue.lockDurationMs + rt.config.queue.stalledIntervalMs * 2;
      if (now - claimedAt < grace) return null;
      // A worker still holds it (a slow platform call): never start a second one beside it.
      if (row.claimedBy && (await rt.queues.isActive(row.platform, row.claimedBy))) return null;
      if (await rt.queues.hasLiveJob(row.platform, row.id, row.jobSeq)) return null;
      const next = row.jobSeq + 1;
      const ok = await rt.store.updateWhere(
        { id: row.id, jobSeq: row.jobSeq, status: 'processing' },
        { status: 'retrying', jobSeq: next, claimedAt: null, claimedBy: null, needsLookup: row.needsLookup || row.inFlightSince !== null, inFlightSince: null },
      );
      if (!ok) return null;
      await rt.queues.add(row.platform, row.id, next);
      rt.log.warn(`crosspost: publication ${row.id} (${row.platform}) was stuck in processing; queued again${row.inFlightSince ? ', with a lookup first' : ''}.`);
      return 'recovered';
    }
    const job = await rt.queues.get(row.platform).getJob(`pub-${row.id}-${row.jobSeq}`);
    const state = job ? await job.getState() : null;
    if (state && state !== 'completed' && state !== 'failed') return null;
    const delay = row.nextAttemptAt ? Math.max(0, new Date(row.nextAttemptAt).getTime() - now) : 0;
    let seq = row.jobSeq;
    if (state) {
      // The job for this seq already ran and is still kept: a fresh seq makes a fresh jobId.
      seq += 1;
      if (!(await rt.store.updateWhere({ id: row.id, jobSeq: row.jobSeq }, { jobSeq: seq }))) return null;
    }
    await rt.queues.add(row.platform, row.id, seq, delay);
    if (row.status === 'pending') await rt.store.updateWhere({ id: row.id, jobSeq: seq, status: 'pending' }, { status: 'queued' });
    return 'requeued';
  }

  async function runOnce() {
    const totals = { requeued: 0, recovered: 0, missed: 0, deliveries: 0, purged: 0 };
    await withLock(async () => {
      try {
        totals.missed = await planMissedPublishes(rt, await watchingSince(rt));
      } catch (err) {
        rt.log.warn(`crosspost: reconciler could not look for missed publishes: ${(err as Error).message}`);
      }
      const now = Date.now();
      let lastId = 0;
      for (;;) {
        const rows = await rt.store.findMany({
          where: { status: { $in: ACTIVE_STATUSES }, id: { $gt: lastId } },
          orderBy: { id: 'asc' },
          limit: PAGE,
        });
        for (const row of rows) {
          try {
            const r = await reconcileRow(row, now);
            if (r) totals[r] += 1;
          } catch (err) {
            rt.log.warn(`crosspost: reconciler skipped publication ${row.id}: ${(err as Error).message}`);
          }
        }
        if (rows.length < PAGE) break;
        lastId = rows[rows.length - 1].id;
      }
      // Webhook deliveries committed with a status change but whose job was lost (crash, Redis wipe).
      try {
        totals.deliveries = await requeueLostDeliveries(rt);
        totals.purged = await purgeOldDeliveries(rt);
      } catch (err) {
        rt.log.warn(`crosspost: reconciler could not check webhook deliveries: ${(err as Error).message}`);
      }
    });
    if (totals.deliveries) rt.log.info(`crosspost: reconciler queued ${totals.deliveries} webhook deliveries again.`);
    if (totals.requeued || totals.recovered || totals.missed) {
      rt.log.info(
        `crosspost: reconciler planned ${totals.missed} missed publish(es), queued ${totals.requeued} publication(s) again and recovered ${totals.recovered} stuck one(s).`,
      );
    }
    return totals;
  }

  const tick = () => {
    if (stopped) return;
    running = runOnce()
      .catch((err) => rt.log.warn(`crosspost: reconciler run failed: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
        if (!stopped && rt.config.reconciler.intervalMs > 0) timer = setTimeout(tick, rt.config.reconciler.intervalMs);
      });
  };
  // First run right after startup: picks up whatever a crash or a Redis loss left behind.
  timer = setTimeout(tick, 0);

  return {
    runOnce,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      void running;
    },
  };
}
