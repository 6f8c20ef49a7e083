/**
 * Bench 1 — publish overhead. Two Strapi processes on SQLite, identical but for CROSSPOST_ENABLED
 * (plugin on, posting to a zero-latency DEV simulator with limits off; plugin off). Publishes go in
 * interleaved batches (ABBA order per round, REST and Content Manager alternating) so machine drift
 * hits both sides alike; the figure is latency(on) ÷ latency(off) at the median and at p95.
 */
import { createDevtoSimulator } from '../tests/simulators/devto';
import {
  NO_LIMITS_ENV,
  PRODUCTION_LIKE_ENV,
  fmtMs,
  fmtRatio,
  median,
  round,
  roundSummary,
  spawnChild,
  summarize,
  stopAll,
  type BenchOptions,
  type BenchResult,
  type ChildHandle,
} from './lib';

type Mode = 'rest' | 'cm';
interface Batch {
  latencies: number[];
  settleMs: number;
}

export async function publishOverhead(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const perMode = opts.smoke ? 10 : 200;
  const batchSize = opts.smoke ? 5 : 20;
  const warmup = opts.smoke ? 3 : 10;
  const rounds = Math.ceil(perMode / batchSize);

  const sim = createDevtoSimulator({ limits: false, validateSpec: false });
  await sim.listen();
  const common = { ...PRODUCTION_LIKE_ENV, ...NO_LIMITS_ENV, CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: sim.apiUrl };
  const children: ChildHandle[] = [];
  try {
    // Booted one after the other: a Strapi boot saturates a core.
    const on = await spawnChild('publish-worker.ts', { ...common, CROSSPOST_ENABLED: 'true' }, { label: 'publish:on', verbose: opts.verbose });
    children.push(on);
    await on.call('setup', {}, 120000);
    const off = await spawnChild('publish-worker.ts', { ...common, CROSSPOST_ENABLED: 'false' }, { label: 'publish:off', verbose: opts.verbose });
    children.push(off);
    const offInfo = await off.call<{ pluginEnabled: boolean }>('setup', {}, 120000);
    if (offInfo.pluginEnabled) throw new Error('CROSSPOST_ENABLED=false did not disable the plugin');

    {
      const side = { on, off };
      const lat: Record<'on' | 'off', Record<Mode, number[]>> = { on: { rest: [], cm: [] }, off: { rest: [], cm: [] } };
      const roundRatios: Record<Mode, number[]> = { rest: [], cm: [] };
      const settle: number[] = [];

      for (const mode of ['rest', 'cm'] as Mode[]) {
        for (const s of ['on', 'off'] as const) await side[s].call('batch', { mode, n: warmup, tag: `warm-${s}-${mode}` });
      }
      for (let r = 0; r < rounds; r++) {
        const n = Math.min(batchSize, perMode - r * batchSize);
        for (const mode of ['rest', 'cm'] as Mode[]) {
          const order: Array<'on' | 'off'> = (r + (mode === 'cm' ? 1 : 0)) % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
          const got: Partial<Record<'on' | 'off', Batch>> = {};
          for (const s of order) {
            got[s] = await side[s].call<Batch>('batch', { mode, n, tag: `r${r}-${s}-${mode}` });
            lat[s][mode].push(...got[s]!.latencies);
          }
          settle.push(got.on!.settleMs);
          roundRatios[mode].push(median(got.on!.latencies) / median(got.off!.latencies));
        }
        // The simulator keeps every request; the benchmark only needs the count.
        sim.server.requests.splice(0);
      }

      const figures: Record<string, unknown> = { publishesPerModePerSide: perMode, batchSize, rounds, warmupPerModePerSide: warmup, database: 'sqlite' };
      const rows: BenchResult['rows'] = [];
      let met = true;
      for (const mode of ['rest', 'cm'] as Mode[]) {
        const sOn = summarize(lat.on[mode]);
        const sOff = summarize(lat.off[mode]);
        const medianRatio = sOn.median / sOff.median;
        const p95Ratio = sOn.p95 / sOff.p95;
        const rr = summarize(roundRatios[mode]);
        const label = mode === 'rest' ? 'REST' : 'Content Manager';
        const okMedian = medianRatio <= 1.05;
        const okP95 = p95Ratio <= 1.05;
        met = met && okMedian && okP95;
        figures[mode] = {
          pluginOn: roundSummary(sOn),
          pluginOff: roundSummary(sOff),
          medianRatio: round(medianRatio),
          p95Ratio: round(p95Ratio),
          perRoundMedianRatio: roundSummary(rr, 3),
        };
        rows.push(
          { metric: `${label} latency on / off (median)`, value: `${fmtMs(sOn.median)} / ${fmtMs(sOff.median)}`, target: '', met: undefined },
          { metric: `${label} median ratio`, value: `${fmtRatio(medianRatio)} (per-round ${fmtRatio(rr.min)}–${fmtRatio(rr.max)}, IQR ${fmtRatio(rr.p25)}–${fmtRatio(rr.p75)})`, target: '≤ 1.05', met: okMedian },
          { metric: `${label} latency on / off (p95)`, value: `${fmtMs(sOn.p95)} / ${fmtMs(sOff.p95)}` },
          { metric: `${label} p95 ratio`, value: fmtRatio(p95Ratio), target: '≤ 1.05', met: okP95 },
        );
      }
      const settleS = summarize(settle);
      figures.pluginOnSettleAfterBatchMs = roundSummary(settleS);
      rows.push({ metric: 'plugin on: queue drained after each batch in', value: `median ${fmtMs(settleS.median)}, max ${fmtMs(settleS.max)}` });
      return {
        id: 'publish-overhead',
        title: '1. Publish overhead',
        target: 'median and p95 latency ratio (plugin on ÷ off) ≤ 1.05, REST and Content Manager',
        met,
        figures,
        rows,
        notes: [
          `${perMode} timed publishes per mode per side, SQLite, in ${rounds} interleaved rounds of ${batchSize} (ABBA order), after ${warmup} warm-up publishes per mode per side.`,
          'Publishes are back to back; with the plugin on, its planner and worker run in the same process while the next publishes are timed (the DEV simulator answers in the parent process). Client-side limits are set high so the queue drains between batches.',
        ],
        wallMs: Date.now() - started,
        smoke: opts.smoke,
      };
    }
  } finally {
    await stopAll(children);
    await sim.close();
  }
}
