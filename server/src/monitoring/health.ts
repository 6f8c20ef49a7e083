/**
 * The deep health check, for alerting and dashboards (NOT a readiness probe: Strapi's /_health stays
 * the liveness probe; failing readiness on a Redis outage would take the whole CMS out of the load
 * balancer). down: Redis or the database does not answer. degraded: jobs wait with no worker, the
 * oldest waiting job is too old, a delayed job is long overdue, a platform keeps failing, or a webhook
 * endpoint was disabled.
 */
import type { Runtime } from '../runtime';
import { pingDatabase, pingRedis, pluginQueues, probeQueue, type QueueProbe } from './probes';

export type HealthStatus = 'ok' | 'degraded' | 'down';

const FAILED_OUTCOMES = ['failed', 'unconfirmed'];

export async function checkHealth(rt: Runtime) {
  const [redis, db] = await Promise.all([pingRedis(rt), pingDatabase(rt)]);
  const problems: string[] = [];
  let status: HealthStatus = 'ok';
  const degrade = (why: string) => {
    problems.push(why);
    if (status === 'ok') status = 'degraded';
  };
  if (!redis.ok) problems.push(`Redis does not answer: ${redis.error}`);
  if (!db.ok) problems.push(`The database does not answer: ${db.error}`);
  if (!redis.ok || !db.ok) status = 'down';

  const queues: Record<string, QueueProbe & { overdueDelayedSeconds?: number }> = {};
  if (redis.ok) {
    for (const [name, q] of pluginQueues(rt)) {
      try {
        const p = await probeQueue(q, 1000);
        queues[name] = p;
        if (p.waiting > 0 && p.workers === 0) degrade(`${p.waiting} job(s) wait in crosspost:${name} and no worker is running (CROSSPOST_WORKER=true on at least one process).`);
        if (p.oldestWaitingSeconds > rt.config.health.maxQueueAgeSeconds) degrade(`The oldest job in crosspost:${name} has waited ${Math.round(p.oldestWaitingSeconds)} s (limit ${rt.config.health.maxQueueAgeSeconds} s).`);
        if (p.delayed > 0) {
          const [next] = await q.getDelayed(0, 0);
          const due = next ? next.timestamp + (next.opts.delay ?? 0) : Date.now();
          const overdue = (Date.now() - due) / 1000;
          if (overdue > 60) {
            queues[name].overdueDelayedSeconds = Math.round(overdue);
            degrade(`A delayed job in crosspost:${name} is ${Math.round(overdue)} s overdue (delayed jobs are not being promoted).`);
          }
        }
      } catch (err) {
        problems.push(`crosspost:${name} could not be read: ${(err as Error).message}`);
        status = 'down';
      }
    }
  }

  const platforms: Record<string, { configured: boolean; lastSuccessAt: unknown; lastFailureAt: unknown; failingStreak: number }> = {};
  const webhooks = { pending: 0, disabledEndpoints: 0 };
  if (db.ok) {
    try {
      for (const platform of rt.queues.platforms()) {
        // The streak: the most recent settled outcomes of this platform, counted until the first success.
        const recent = await rt.store.findMany({
          where: { platform, status: { $in: ['published', 'unpublished', ...FAILED_OUTCOMES] } },
          orderBy: { updatedAt: 'desc' },
          limit: rt.config.health.failingStreak,
        });
        let failingStreak = 0;
        for (const r of recent) {
          if (!FAILED_OUTCOMES.includes(r.status)) break;
          failingStreak += 1;
        }
        const lastOk = recent.find((r) => !FAILED_OUTCOMES.includes(r.status));
        const lastBad = recent.find((r) => FAILED_OUTCOMES.includes(r.status));
        platforms[platform] = { configured: true, lastSuccessAt: lastOk?.lastSyncedAt ?? null, lastFailureAt: lastBad?.updatedAt ?? null, failingStreak };
        if (failingStreak >= rt.config.health.failingStreak) degrade(`The last ${failingStreak} publications to ${platform} failed.`);
      }
      webhooks.pending = await rt.webhooks.deliveries.count({ status: 'pending' });
      const disabled = (await rt.webhooks.endpoints.list()).filter((e) => !e.enabled && e.disabledReason);
      webhooks.disabledEndpoints = disabled.length;
      for (const e of disabled) degrade(`Webhook endpoint "${e.name}" is disabled: ${e.disabledReason}`);
    } catch (err) {
      problems.push(`Publication rows could not be read: ${(err as Error).message}`);
      status = 'down';
    }
  }

  return {
    status,
    checkedAt: new Date().toISOString(),
    problems,
    checks: { redis, db, queues, platforms, webhooks },
  };
}
