/**
 * Bench 5 — memory. The plugin's worker runs N DEV jobs (simulator with no limits, no latency).
 * Worker RSS is sampled after a forced GC once warmed up (before the N jobs) and after the queue
 * drained; Redis is sampled before the jobs are added, right after (the peak: every job waiting), and
 * after the drain, both as the server's used_memory (shared with other users of this Redis, so noisy)
 * and as the exact size of this run's own keys (MEMORY USAGE over the run's Bull prefix).
 * By design the queue keeps the last `keepCompleted` (1000) completed jobs: that is the expected residue.
 */
import { createDevtoSimulator } from '../tests/simulators/devto';
import {
  NO_LIMITS_ENV,
  PRODUCTION_LIKE_ENV,
  fmtMB,
  fmtMs,
  redisPrefixUsage,
  redisUsedMemory,
  round,
  sleep,
  spawnChild,
  stopAll,
  withRedis,
  type BenchOptions,
  type BenchResult,
  type ChildHandle,
} from './lib';

/** This run's keys by kind, with the bytes each kind takes (MEMORY USAGE). */
async function redisBreakdown(prefix: string) {
  return withRedis(async (r) => {
    const q = `${prefix}:crosspost:devto`;
    const completed = new Set(await r.zrange(`${q}:completed`, 0, -1));
    const failed = new Set(await r.zrange(`${q}:failed`, 0, -1));
    const classes: Record<string, { keys: number; bytes: number }> = {};
    const add = (cls: string, bytes: number) => {
      classes[cls] ??= { keys: 0, bytes: 0 };
      classes[cls].keys += 1;
      classes[cls].bytes += bytes;
    };
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (!keys.length) continue;
      const pipe = r.pipeline();
      for (const k of keys) pipe.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      const res = (await pipe.exec()) ?? [];
      keys.forEach((k, i) => {
        const bytes = Number(res[i]?.[1] ?? 0);
        if (!k.startsWith(`${q}:`)) return add(k.includes(':rate:') ? 'rate windows' : 'other plugin keys', bytes);
        const rest = k.slice(q.length + 1);
        if (rest.includes(':')) return add(rest.endsWith(':lock') ? 'job locks' : 'job logs and other', bytes);
        if (['wait', 'active', 'delayed', 'paused', 'priority', 'id', 'meta', 'stalled', 'stalled-check', 'limiter', 'completed', 'failed', 'events', 'repeat'].includes(rest)) {
          return add(rest === 'completed' || rest === 'failed' ? `${rest} set` : 'queue bookkeeping', bytes);
        }
        add(completed.has(rest) ? 'completed jobs kept' : failed.has(rest) ? 'failed jobs kept' : 'other jobs', bytes);
      });
    } while (cursor !== '0');
    const total = Object.values(classes).reduce((a, c) => a + c.bytes, 0);
    const lengths = {
      wait: await r.llen(`${q}:wait`),
      active: await r.llen(`${q}:active`),
      delayed: await r.zcard(`${q}:delayed`),
      completed: completed.size,
      failed: failed.size,
    };
    return { total, classes, lengths };
  });
}

interface MemSample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export async function memory(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const n = opts.smoke ? 200 : 10_000;
  const warm = opts.smoke ? 20 : 300;

  const sim = createDevtoSimulator({ limits: false, validateSpec: false });
  await sim.listen();
  // The simulator keeps every article and request; the parent only needs counts.
  let posted = 0;
  const trim = setInterval(() => {
    posted += sim.server.requests.filter((r) => r.method === 'POST' && r.status === 201).length;
    sim.server.requests.splice(0);
    if (sim.articles.length > 2000) sim.articles.splice(0, sim.articles.length - 500);
  }, 1000);
  const children: ChildHandle[] = [];
  try {
    const child = await spawnChild('memory.ts', { ...PRODUCTION_LIKE_ENV, ...NO_LIMITS_ENV, CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: sim.apiUrl }, { label: 'memory', verbose: opts.verbose });
    children.push(child);
    const info = await child.call<{ prefix: string; gc: boolean; queue: { keepCompleted?: number } }>('setup', {}, 120000);
    const keepCompleted = info.queue?.keepCompleted ?? 1000;

    await child.call('warmup', { n: warm }, 900000);
    await child.call('prepare', { n }, 900000);

    const redisBefore = { used: await withRedis(redisUsedMemory), own: await redisBreakdown(info.prefix) };
    const before = await child.call<MemSample>('sample');

    await child.call('enqueue', {}, 900000);
    let peakUsed = await withRedis(redisUsedMemory);
    let peakOwn = (await withRedis((r) => redisPrefixUsage(r, info.prefix))).bytes;
    let peakOwnKeys = 0;
    let polling = true;
    const poller = withRedis(async (r) => {
      for (let i = 0; polling; i++) {
        peakUsed = Math.max(peakUsed, await redisUsedMemory(r));
        if (i % 6 === 0) {
          const own = await redisPrefixUsage(r, info.prefix);
          peakOwn = Math.max(peakOwn, own.bytes);
          peakOwnKeys = Math.max(peakOwnKeys, own.keys);
        }
        await sleep(500);
      }
    });
    const drained = await child
      .call<{
        counts: Record<string, number>;
        drainMs: number;
        samples: Array<{ t: number; rssMB: number; heapMB: number; published: number }>;
        mid?: MemSample & { published: number };
      }>('drain', {}, 4 * 3600000)
      .finally(() => {
        polling = false;
      });
    await poller;
    const after = await child.call<MemSample>('sample');
    const redisAfter = { used: await withRedis(redisUsedMemory), own: await redisBreakdown(info.prefix) };

    const rssGrowth = after.rss - before.rss;
    const mid = drained.mid;
    const secondHalf = mid ? { jobs: n - mid.published, rss: after.rss - mid.rss, heap: after.heapUsed - mid.heapUsed } : undefined;
    const heapGrowth = after.heapUsed - before.heapUsed;
    const maxRssMB = Math.max(...drained.samples.map((s) => s.rssMB), before.rss / 1048576);
    const cls = (b: Awaited<ReturnType<typeof redisBreakdown>>, name: string) => b.classes[name]?.bytes ?? 0;
    const keptByDesign = (b: Awaited<ReturnType<typeof redisBreakdown>>) => cls(b, 'completed jobs kept') + cls(b, 'completed set') + cls(b, 'failed jobs kept') + cls(b, 'failed set');
    // What is left beyond the completed jobs Bull keeps by design, compared with before the run.
    const unexplained = redisAfter.own.total - keptByDesign(redisAfter.own) - (redisBefore.own.total - keptByDesign(redisBefore.own));
    const L = redisAfter.own.lengths;
    // "Back near baseline": queue empty, at most keepCompleted jobs kept, and under 1 MB of anything else.
    const redisOk = L.wait + L.active + L.delayed === 0 && L.completed <= keepCompleted && unexplained <= 1048576;
    const rssOk = rssGrowth <= 30 * 1048576;
    const published = drained.counts.published ?? 0;
    const jobsPerSecond = (n / drained.drainMs) * 1000;
    const series = drained.samples.filter((_, i, a) => a.length <= 60 || i % Math.ceil(a.length / 60) === 0);

    return {
      id: 'memory',
      title: '5. Memory',
      target: `worker RSS growth ≤ 30 MB over ${n.toLocaleString('en-US')} jobs; Redis back near baseline after the drain`,
      met: rssOk && redisOk && published >= n,
      figures: {
        jobs: n,
        warmupJobs: warm,
        forcedGc: info.gc,
        drainSeconds: round(drained.drainMs / 1000, 1),
        jobsPerSecond: round(jobsPerSecond, 1),
        rows: drained.counts,
        devCreatesSeen: posted + sim.server.requests.filter((r) => r.method === 'POST' && r.status === 201).length,
        worker: {
          rssBeforeMB: round(before.rss / 1048576, 1),
          rssAfterMB: round(after.rss / 1048576, 1),
          rssGrowthMB: round(rssGrowth / 1048576, 1),
          heapUsedBeforeMB: round(before.heapUsed / 1048576, 1),
          heapUsedAfterMB: round(after.heapUsed / 1048576, 1),
          heapGrowthMB: round(heapGrowth / 1048576, 1),
          maxRssDuringRunMB: round(maxRssMB, 1),
          ...(mid && secondHalf
            ? { midRun: { afterJobs: mid.published, rssMB: round(mid.rss / 1048576, 1), heapUsedMB: round(mid.heapUsed / 1048576, 1) }, secondHalfGrowthMB: { jobs: secondHalf.jobs, rss: round(secondHalf.rss / 1048576, 1), heap: round(secondHalf.heap / 1048576, 1) } }
            : {}),
          series,
        },
        redis: {
          usedMemoryBeforeMB: round(redisBefore.used / 1048576, 2),
          usedMemoryPeakMB: round(peakUsed / 1048576, 2),
          usedMemoryAfterMB: round(redisAfter.used / 1048576, 2),
          ownBytesMB: { before: round(redisBefore.own.total / 1048576, 3), peak: round(peakOwn / 1048576, 3), after: round(redisAfter.own.total / 1048576, 3) },
          ownKeysPeak: peakOwnKeys,
          before: redisBefore.own,
          after: redisAfter.own,
          keepCompleted,
          keptByDesignAfterMB: round(keptByDesign(redisAfter.own) / 1048576, 3),
          unexplainedResidueKB: round(unexplained / 1024, 1),
        },
      },
      rows: [
        { metric: `worker RSS before → after ${n.toLocaleString('en-US')} jobs (after GC)`, value: `${fmtMB(before.rss)} → ${fmtMB(after.rss)} (max during run ${maxRssMB.toFixed(1)} MB)` },
        { metric: 'worker RSS growth', value: `${(rssGrowth / 1048576).toFixed(1)} MB (heap ${(heapGrowth / 1048576).toFixed(1)} MB)`, target: '≤ 30 MB', met: rssOk },
        ...(mid && secondHalf
          ? [{ metric: `why: growth over the last ${secondHalf.jobs} jobs alone (leak slope)`, value: `RSS ${(secondHalf.rss / 1048576).toFixed(1)} MB, heap ${(secondHalf.heap / 1048576).toFixed(1)} MB (mid-run sample after GC at ${mid.published} jobs)` }]
          : []),
        { metric: 'Redis used_memory before / peak / after', value: `${fmtMB(redisBefore.used)} / ${fmtMB(peakUsed)} / ${fmtMB(redisAfter.used)}` },
        { metric: "this run's keys before / peak / after", value: `${fmtMB(redisBefore.own.total)} / ${fmtMB(peakOwn)} / ${fmtMB(redisAfter.own.total)}` },
        {
          metric: 'left after the drain',
          value: `${L.completed} completed jobs kept by design (${fmtMB(keptByDesign(redisAfter.own))}) and ${unexplained >= 0 ? '+' : '−'}${Math.abs(unexplained / 1024).toFixed(0)} KB in other keys vs before; ${L.wait + L.active + L.delayed} jobs waiting`,
          target: `≤ ${keepCompleted} kept, < 1 MB else`,
          met: redisOk,
        },
        { metric: 'rows published (incl. warm-up) / drain rate', value: `${published} / ${jobsPerSecond.toFixed(1)} jobs/s (${fmtMs(drained.drainMs)})` },
      ],
      notes: [
        `${n.toLocaleString('en-US')} articles and queued DEV rows inserted with knex, jobs added to the plugin's queue as the planner adds them; the plugin's worker (concurrency 1) drains them against the simulator. RSS is sampled after ${warm} warm-up jobs and after the drain, each after a forced GC (--expose-gc).`,
        'Without forced GCs the heap grows for the first few thousand jobs before V8\'s first major collection (see maxRssDuringRunMB and the series in results.json), then stays flat: size Node\'s heap limit (--max-old-space-size) for that peak, not for the steady state.',
        `Redis used_memory is the whole server (other users share it); "this run's keys" is exact. The queue keeps the last ${keepCompleted} completed jobs by design (removeOnComplete), which is the expected residue.`,
      ],
      wallMs: Date.now() - started,
      smoke: opts.smoke,
    };
  } finally {
    clearInterval(trim);
    await stopAll(children);
    await sim.close();
  }
}
