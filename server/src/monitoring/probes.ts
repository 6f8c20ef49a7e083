/**
 * Reads shared by the metrics and the health check: queue counts, the oldest waiting job, workers,
 * Redis and database reachability, each bounded in time (a dead Redis must not hang a scrape).
 * Never KEYS/SCAN: a fixed set of queues, one MULTI each.
 */
import type Bull from 'bull';
import type { Runtime } from '../runtime';
import { withTimeout } from '../queue/bull-helpers';

export const PROBE_TIMEOUT_MS = 2000;

export interface QueueProbe {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  paused: number;
  oldestWaitingSeconds: number;
  /** null when Redis does not allow CLIENT LIST (some managed services): unknown, not zero. */
  workers: number | null;
}

/** Every queue of the plugin by its short name (the metric label): plan, devto, hashnode, medium, webhooks. */
export function pluginQueues(rt: Runtime): Array<[string, Bull.Queue]> {
  const out: Array<[string, Bull.Queue]> = [['plan', rt.planQueue.queue as Bull.Queue]];
  for (const p of rt.queues.platforms()) out.push([p, rt.queues.get(p) as Bull.Queue]);
  out.push(['webhooks', rt.webhooks.queue.queue as Bull.Queue]);
  return out;
}

export async function probeQueue(q: Bull.Queue, timeoutMs = PROBE_TIMEOUT_MS): Promise<QueueProbe> {
  const counts = await withTimeout(q.getJobCounts(), timeoutMs, 'Redis did not answer');
  let oldestWaitingSeconds = 0;
  if (counts.waiting > 0) {
    const [oldest] = await withTimeout(q.getWaiting(0, 0), timeoutMs, 'Redis did not answer');
    if (oldest) oldestWaitingSeconds = Math.max(0, (Date.now() - oldest.timestamp) / 1000);
  }
  let workers: number | null = null;
  try {
    const list = await withTimeout(q.getWorkers(), timeoutMs, 'Redis did not answer');
    workers = Array.isArray(list) ? list.length : null;
  } catch {
    workers = null;
  }
  return {
    waiting: counts.waiting,
    active: counts.active,
    delayed: counts.delayed,
    failed: counts.failed,
    paused: (counts as { paused?: number }).paused ?? 0,
    oldestWaitingSeconds,
    workers,
  };
}

export async function pingRedis(rt: Runtime, timeoutMs = 1000): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = Date.now();
  try {
    if (rt.redis.status !== 'ready') throw new Error(`not connected (${rt.redis.status})`);
    await withTimeout(rt.redis.ping(), timeoutMs, `no answer within ${timeoutMs} ms`);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, error: (err as Error).message };
  }
}

export async function pingDatabase(rt: Runtime, timeoutMs = 1000): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = Date.now();
  try {
    await withTimeout(rt.strapi.db.connection.raw('select 1'), timeoutMs, `no answer within ${timeoutMs} ms`);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, error: (err as Error).message };
  }
}
