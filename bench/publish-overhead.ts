/**
 * Bench 1 — publish overhead. Strapi processes on SQLite, identical but for the plugin:
 *   off      CROSSPOST_ENABLED=false
 *   on       the plugin with its worker, posting to a zero-latency DEV simulator (limits off)
 *   web      the plugin with CROSSPOST_WORKER=false, a web node of the production set-up: it only
 *            adds a plan job per publish (planning and posting happen on worker nodes)
 * Publishes go in interleaved batches (the order of the sides rotates every round, REST and Content
 * Manager alternating) so machine drift hits every side alike. The figures are latency(plugin) ÷
 * latency(off) at the median and at p95, in two phases: an editor's publishes (the plugin idle before
 * each, as when an editor clicks Publish) and back to back (each publish sent as soon as the previous
 * one answered), where the web node shows the request's own cost and the same-process worker shows
 * the background work competing for the CPU.
 */
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
  /** The same requests timed inside the Strapi process (arrival → response handed to the kernel). */
  serverMs: number[];
  settleMs: number;
}

const SIDES: Side[] = ['on', 'off', 'web'];

export async function publishOverhead(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const perMode = opts.smoke ? 10 : 200;
  const batchSize = opts.smoke ? 5 : 20;
  const warmup = opts.smoke ? 3 : 10;
  const isolatedPerMode = opts.smoke ? 3 : 200;
  const rounds = Math.ceil(perMode / batchSize);

  // The simulator gets its own process: in this one it would share the event loop with the client timing the publishes.
  const sim = await spawnChild('devto-simulator.ts', {}, { label: 'devto-simulator', verbose: opts.verbose });
  const { apiUrl } = await sim.call<{ apiUrl: string }>('setup', {});
  const common = { ...PRODUCTION_LIKE_ENV, ...NO_LIMITS_ENV, CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: apiUrl };
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
    const isoServer = {} as Record<Side, Record<Mode, number[]>>;
    for (const s of SIDES) {
      lat[s] = { rest: [], cm: [] };
      iso[s] = { rest: [], cm: [] };
      isoServer[s] = { rest: [], cm: [] };
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
      await sim.call('clear');
    }
    // An editor's publishes: the plugin finishes everything before the next publish starts. Interleaved too.
    for (let r = 0; r * batchSize < isolatedPerMode; r++) {
      const n = Math.min(batchSize, isolatedPerMode - r * batchSize);
      for (const [k, mode] of (['rest', 'cm'] as Mode[]).entries()) {
        for (const s of orderFor(r * 2 + k)) {
          const got = await side[s].call<Batch>('batch', { mode, n, tag: `iso-r${r}-${s}-${mode}`, isolated: true });
          iso[s][mode].push(...got.latencies);
          isoServer[s][mode].push(...got.serverMs);
        }
      }
      await sim.call('clear');
    }

    const figures: Record<string, unknown> = { publishesPerModePerSide: perMode, batchSize, rounds, warmupPerModePerSide: warmup, isolatedPerModePerSide: isolatedPerMode, database: 'sqlite' };
    const rows: BenchResult['rows'] = [];
    let met = true;
    const ok = (ratio: number) => ratio <= 1.05;
    for (const mode of ['rest', 'cm'] as Mode[]) {
      const S = (s: Side) => summarize(lat[s][mode]);
      const I = (s: Side) => summarize(iso[s][mode]);
      const [on, off, web] = [S('on'), S('off'), S('web')];
      const [isoOn, isoOff] = [I('on'), I('off')];
      const [srvOn, srvOff] = [summarize(isoServer.on[mode]), summarize(isoServer.off[mode])];
      const ratios = {
        editor: { median: isoOn.median / isoOff.median, p95: isoOn.p95 / isoOff.p95 },
        webNode: { median: web.median / off.median, p95: web.p95 / off.p95 },
        sameProcess: { median: on.median / off.median, p95: on.p95 / off.p95 },
      };
      const rr = summarize(roundRatios[mode]);
      const label = mode === 'rest' ? 'REST' : 'Content Manager';
      for (const r of Object.values(ratios)) met = met && ok(r.median) && ok(r.p95);
      figures[mode] = {
        editorPace: {
          pluginOn: roundSummary(isoOn),
          pluginOff: roundSummary(isoOff),
          webNode: roundSummary(I('web')),
          medianRatio: round(ratios.editor.median),
          p95Ratio: round(ratios.editor.p95),
          serverSide: { pluginOn: roundSummary(srvOn), pluginOff: roundSummary(srvOff), medianRatio: round(srvOn.median / srvOff.median), p95Ratio: round(srvOn.p95 / srvOff.p95) },
        },
        backToBack: {
          pluginOn: roundSummary(on),
          pluginOff: roundSummary(off),
          webNode: roundSummary(web),
          sameProcessMedianRatio: round(ratios.sameProcess.median),
          sameProcessP95Ratio: round(ratios.sameProcess.p95),
          webNodeMedianRatio: round(ratios.webNode.median),
          webNodeP95Ratio: round(ratios.webNode.p95),
          perRoundSameProcessMedianRatio: roundSummary(rr, 3),
        },
      };
      const row = (what: string, r: { median: number; p95: number }, a: { median: number; p95: number }, b: { median: number; p95: number }) => ({
        metric: `${label}, ${what}: median (p95) ratio`,
        value: `${fmtRatio(r.median)} (${fmtRatio(r.p95)}); ${fmtMs(a.median)} vs ${fmtMs(b.median)} (${fmtMs(a.p95)} vs ${fmtMs(b.p95)})`,
        target: '≤ 1.05',
        met: ok(r.median) && ok(r.p95),
      });
      rows.push(
        row("an editor's publish (plugin idle before it), on ÷ off", ratios.editor, isoOn, isoOff),
        {
          metric: `${label}, why: the same publishes timed inside Strapi (arrival → response sent), on ÷ off: median (p95)`,
          value: `${fmtRatio(srvOn.median / srvOff.median)} (${fmtRatio(srvOn.p95 / srvOff.p95)}); ${fmtMs(srvOn.median)} vs ${fmtMs(srvOff.median)}`,
        },
        row('back to back, web node (CROSSPOST_WORKER=false) ÷ off', ratios.webNode, web, off),
        row('back to back, worker in the same process ÷ off', ratios.sameProcess, on, off),
      );
    }
    const settleS = summarize(settle);
    figures.pluginOnSettleAfterBatchMs = roundSummary(settleS);
    rows.push({ metric: 'worker in the same process: queue drained after each batch in', value: `median ${fmtMs(settleS.median)}, max ${fmtMs(settleS.max)}` });
    return {
      id: 'publish-overhead',
      title: '1. Publish overhead',
      target: 'median and p95 latency ratio (plugin on ÷ off) ≤ 1.05, REST and Content Manager',
      met,
      figures,
      rows,
      notes: [
        `SQLite. REST = POST /api/articles (created and published in one request); Content Manager = the publish action on a draft created just before (not timed).`,
        `An editor's publish: ${isolatedPerMode} publishes per mode per side, each started once the plugin had finished with the previous one (rows published on the DEV simulator), the plugin's worker in the same process — what an editor clicking Publish sees.`,
        `Back to back: ${perMode} publishes per mode per side in ${rounds} interleaved rounds of ${batchSize} (side order rotated each round), after ${warmup} warm-up publishes, each publish sent as soon as the previous answered. The web node only adds a plan job per publish (production set-up: planning and posting on worker nodes). With the worker in the same process, planning and posting the previous articles share the CPU with the publishes being timed (the DEV simulator runs in a process of its own).`,
      ],
      wallMs: Date.now() - started,
      smoke: opts.smoke,
    };
  } finally {
    await stopAll(children);
    await stopAll([sim]);
  }
}
