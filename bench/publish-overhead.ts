/**
 * Bench 1 — publish overhead. Strapi processes on SQLite, identical but for the plugin:
 *   off      CROSSPOST_ENABLED=false
 *   on       the plugin with its worker, posting to a zero-latency DEV simulator (limits off)
 *   web      the plugin with CROSSPOST_WORKER=false, a web node of the production set-up: it only
 *            adds a plan job per publish (planning and posting happen on worker nodes)
 * Publishes go in interleaved batches (the order of the sides rotates every round, REST and Content
 * Manager alternating) so machine drift hits every side alike. The figure is latency(on) ÷ latency(off)
 * at the median and at p95, back to back as the issue asks; an "isolated" phase (the plugin idle before
 * each publish, as for an editor's single publish) shows how much of it is the background work.
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
  stopAll,
  summarize,
  type BenchOptions,
  type BenchResult,
  type ChildHandle,
} from './lib';

type Mode = 'rest' | 'cm';
type Side = 'on' | 'off' | 'web';
interface Batch {
  latencies: number[];
  settleMs: number;
}

const SIDES: Side[] = ['on', 'off', 'web'];

export async function publishOverhead(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const perMode = opts.smoke ? 10 : 200;
  const batchSize = opts.smoke ? 5 : 20;
  const warmup = opts.smoke ? 3 : 10;
  const isolatedPerMode = opts.smoke ? 3 : 40;
  const rounds = Math.ceil(perMode / batchSize);

  const sim = createDevtoSimulator({ limits: false, validateSpec: false });
  await sim.listen();
  const common = { ...PRODUCTION_LIKE_ENV, ...NO_LIMITS_ENV, CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: sim.apiUrl };
  const sideEnv: Record<Side, Record<string, string>> = {
    on: { CROSSPOST_ENABLED: 'true' },
    off: { CROSSPOST_ENABLED: 'false' },
    web: { CROSSPOST_ENABLED: 'true', CROSSPOST_WORKER: 'false' },
  };
  const children: ChildHandle[] = [];
  try {
    const side = {} as Record<Side, ChildHandle>;
    // Booted one after the other: a Strapi boot saturates a core.
    for (const s of SIDES) {
      side[s] = await spawnChild('publish-worker.ts', { ...common, ...sideEnv[s] }, { label: `publish:${s}`, verbose: opts.verbose });
      children.push(side[s]);
      const info = await side[s].call<{ pluginEnabled: boolean }>('setup', {}, 120000);
      if (info.pluginEnabled !== (s !== 'off')) throw new Error(`side "${s}": plugin enabled = ${info.pluginEnabled}`);
    }

    const lat = {} as Record<Side, Record<Mode, number[]>>;
    const iso = {} as Record<Side, Record<Mode, number[]>>;
    for (const s of SIDES) {
      lat[s] = { rest: [], cm: [] };
      iso[s] = { rest: [], cm: [] };
    }
    const roundRatios: Record<Mode, number[]> = { rest: [], cm: [] };
    const settle: number[] = [];
    /** Side order for round r: rotate, and reverse every other round (balances who goes first and who follows whom). */
    const orderFor = (r: number): Side[] => {
      const rot = [...SIDES.slice(r % 3), ...SIDES.slice(0, r % 3)];
      return Math.floor(r / 3) % 2 ? rot.reverse() : rot;
    };

    for (const mode of ['rest', 'cm'] as Mode[]) {
      for (const s of SIDES) await side[s].call('batch', { mode, n: warmup, tag: `warm-${s}-${mode}` });
    }
    for (let r = 0; r < rounds; r++) {
      const n = Math.min(batchSize, perMode - r * batchSize);
      for (const [k, mode] of (['rest', 'cm'] as Mode[]).entries()) {
        const got: Partial<Record<Side, Batch>> = {};
        for (const s of orderFor(r * 2 + k)) {
          got[s] = await side[s].call<Batch>('batch', { mode, n, tag: `r${r}-${s}-${mode}` });
          lat[s][mode].push(...got[s]!.latencies);
        }
        settle.push(got.on!.settleMs);
        roundRatios[mode].push(median(got.on!.latencies) / median(got.off!.latencies));
      }
      // The simulator keeps every request; the benchmark only needs the count.
      sim.server.requests.splice(0);
    }
    // Isolated publishes: the plugin finishes everything before the next publish starts.
    for (const [k, mode] of (['rest', 'cm'] as Mode[]).entries()) {
      for (const s of orderFor(k)) {
        const got = await side[s].call<Batch>('batch', { mode, n: isolatedPerMode, tag: `iso-${s}-${mode}`, isolated: true });
        iso[s][mode].push(...got.latencies);
      }
    }

    const figures: Record<string, unknown> = { publishesPerModePerSide: perMode, batchSize, rounds, warmupPerModePerSide: warmup, isolatedPerModePerSide: isolatedPerMode, database: 'sqlite' };
    const rows: BenchResult['rows'] = [];
    let met = true;
    for (const mode of ['rest', 'cm'] as Mode[]) {
      const S = (s: Side) => summarize(lat[s][mode]);
      const I = (s: Side) => summarize(iso[s][mode]);
      const on = S('on');
      const off = S('off');
      const planner = S('planner');
      const medianRatio = on.median / off.median;
      const p95Ratio = on.p95 / off.p95;
      const plannerRatio = planner.median / off.median;
      const isoRatio = I('on').median / I('off').median;
      const isoP95Ratio = I('on').p95 / I('off').p95;
      const rr = summarize(roundRatios[mode]);
      const label = mode === 'rest' ? 'REST' : 'Content Manager';
      const okMedian = medianRatio <= 1.05;
      const okP95 = p95Ratio <= 1.05;
      met = met && okMedian && okP95;
      figures[mode] = {
        pluginOn: roundSummary(on),
        pluginOff: roundSummary(off),
        plannerOnly: roundSummary(planner),
        medianRatio: round(medianRatio),
        p95Ratio: round(p95Ratio),
        perRoundMedianRatio: roundSummary(rr, 3),
        plannerOnlyMedianRatio: round(plannerRatio),
        isolated: { pluginOn: roundSummary(I('on')), pluginOff: roundSummary(I('off')), plannerOnly: roundSummary(I('planner')), medianRatio: round(isoRatio), p95Ratio: round(isoP95Ratio) },
      };
      rows.push(
        { metric: `${label}: on / off, median (p95)`, value: `${fmtMs(on.median)} / ${fmtMs(off.median)} (${fmtMs(on.p95)} / ${fmtMs(off.p95)})` },
        { metric: `${label}: median ratio`, value: `${fmtRatio(medianRatio)} (per round ${fmtRatio(rr.min)}–${fmtRatio(rr.max)}, IQR ${fmtRatio(rr.p25)}–${fmtRatio(rr.p75)})`, target: '≤ 1.05', met: okMedian },
        { metric: `${label}: p95 ratio`, value: fmtRatio(p95Ratio), target: '≤ 1.05', met: okP95 },
        { metric: `${label}: why: planner only (no worker) ÷ off, median`, value: `${fmtRatio(plannerRatio)} (${fmtMs(planner.median)})` },
        { metric: `${label}: why: isolated publishes on ÷ off, median (p95)`, value: `${fmtRatio(isoRatio)} (${fmtRatio(isoP95Ratio)}); ${fmtMs(I('on').median)} / ${fmtMs(I('off').median)}` },
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
        `${perMode} timed publishes per mode per side, SQLite, in ${rounds} interleaved rounds of ${batchSize} (side order rotated each round), after ${warmup} warm-up publishes per mode per side. REST = POST /api/articles (created and published in one request); Content Manager = the publish action on a draft created just before (not timed).`,
        'Back to back: with the plugin on, its planner and worker run in the same process while the next publishes are timed (the DEV simulator answers in the parent process). Client-side limits are set high so the queue drains between batches.',
        `"Planner only" runs the plugin with CROSSPOST_WORKER=false (rows planned and queued, nothing posted). "Isolated": ${isolatedPerMode} publishes per mode per side, each started once the plugin had finished with the previous one.`,
      ],
      wallMs: Date.now() - started,
      smoke: opts.smoke,
    };
  } finally {
    await stopAll(children);
    await sim.close();
  }
}
