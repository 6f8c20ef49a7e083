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
 * A third phase runs the default set-up users get: the worker in the same process, DEV, Hashnode and Medium
 * configured, image pre-flight on, a Blocks article with a cover image, REST create-and-publish, both back to
 * back and at an editor's pace, against the same publishes with the plugin off. BENCH1_THREE_ONLY=1 runs only
 * that phase (BENCH1_THREE_N publishes per side, default 100).
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
import { articleData, expectStatus, http } from './child/http-client';

type Mode = 'rest' | 'cm';
type Side = 'on' | 'off' | 'web' | 'on3' | 'before3';
interface Batch {
  latencies: number[];
  /** The same requests timed inside the Strapi process (arrival → response handed to the kernel). */
  serverMs: number[];
  settleMs: number;
}

/** Where a side takes publishes, and how many it has had (its child waits for the plugin to finish with them). */
interface SideInfo {
  pluginEnabled: boolean;
  baseUrl: string;
  jwt: string;
  apiToken: string;
  tagIds: string[];
  coverId: number;
  published: number;
}

const CM = '/content-manager/collection-types/api::article.article';

/**
 * n publishes sent from this process, each as soon as the previous answered (isolated: once the plugin
 * had finished with the previous one). The client lives outside the Strapi process, as an editor's
 * browser or an import script does: in Strapi's process it would wait for work the plugin starts after
 * answering before it could read the answer.
 */
async function sendBatch(child: ChildHandle, info: SideInfo, { mode, n, tag, isolated = false, cover = false }: { mode: Mode; n: number; tag: string; isolated?: boolean; cover?: boolean }): Promise<Batch> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const data = { ...articleData(tag, i), tags: { connect: info.tagIds.slice(0, 2) }, ...(cover ? { cover: info.coverId } : {}) };
    if (mode === 'rest') {
      const r = await http(info.baseUrl, 'POST', '/api/articles', { token: info.apiToken, body: { data } });
      expectStatus(r, 201, 'REST create+publish');
      latencies.push(r.ms);
    } else {
      const draft = await http(info.baseUrl, 'POST', CM, { token: info.jwt, body: data });
      expectStatus(draft, 201, 'CM create draft');
      const r = await http(info.baseUrl, 'POST', `${CM}/${draft.body.data.documentId}/actions/publish`, { token: info.jwt, body: {} });
      expectStatus(r, 200, 'CM publish');
      latencies.push(r.ms);
    }
    info.published += 1;
    if (isolated) await child.call('settle', { published: info.published }, 130000);
  }
  const t0 = performance.now();
  await child.call('settle', { published: info.published }, 130000);
  const settleMs = performance.now() - t0;
  const serverMs = await child.call<number[]>('serverTimes');
  return { latencies, serverMs, settleMs };
}

const SIDES: Side[] = ['on', 'off', 'web'];
const THREE_ONLY = process.env.BENCH1_THREE_ONLY === '1';
/** Another checkout (e.g. the commit before a change, built): its plugin runs as side `before3` in the three-platform phase. */
const COMPARE_ROOT = process.env.BENCH_COMPARE_ROOT;

export async function publishOverhead(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const perMode = opts.smoke ? 10 : 200;
  const batchSize = opts.smoke ? 5 : 20;
  const warmup = opts.smoke ? 3 : 10;
  const isolatedPerMode = opts.smoke ? 3 : 200;
  const rounds = Math.ceil(perMode / batchSize);

  // The simulator gets its own process: in this one it would share the event loop with the client timing the publishes.
  const sim = await spawnChild('devto-simulator.ts', {}, { label: 'simulators', verbose: opts.verbose });
  const { apiUrl, env: threeEnv } = await sim.call<{ apiUrl: string; env: Record<string, string> }>('setup', { all: true });
  const threeN = opts.smoke ? 6 : Number(process.env.BENCH1_THREE_N ?? 100);
  const threeIsolated = opts.smoke ? 3 : Math.ceil(threeN / 2);
  const common = { ...PRODUCTION_LIKE_ENV, ...NO_LIMITS_ENV, CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: apiUrl };
  const sideEnv: Record<Side, Record<string, string>> = {
    on: { CROSSPOST_ENABLED: 'true' },
    off: { CROSSPOST_ENABLED: 'false' },
    web: { CROSSPOST_ENABLED: 'true', CROSSPOST_WORKER: 'false' },
    // The default set-up: three platforms, the worker here, image pre-flight on (the tests' app turns it off).
    on3: { CROSSPOST_ENABLED: 'true', CROSSPOST_PREFLIGHT_IMAGES: 'true', ...threeEnv },
    before3: { CROSSPOST_ENABLED: 'true', CROSSPOST_PREFLIGHT_IMAGES: 'true', ...threeEnv },
  };
  const children: ChildHandle[] = [];
  try {
    const side = {} as Record<Side, ChildHandle>;
    const info = {} as Record<Side, SideInfo>;
    // Booted one after the other: a Strapi boot saturates a core.
    for (const s of [...SIDES, 'on3', ...(COMPARE_ROOT ? ['before3'] : [])] as Side[]) {
      if (THREE_ONLY && (s === 'on' || s === 'web')) continue;
      side[s] = await spawnChild('publish-worker.ts', { ...common, ...sideEnv[s] }, { label: `publish:${s}`, verbose: opts.verbose, root: s === 'before3' ? COMPARE_ROOT : undefined });
      children.push(side[s]);
      info[s] = { ...(await side[s].call<Omit<SideInfo, 'published'>>('setup', {}, 120000)), published: 0 };
      if (info[s].pluginEnabled !== (s !== 'off')) throw new Error(`side "${s}": plugin enabled = ${info[s].pluginEnabled}`);
    }

    const lat = {} as Record<Side, Record<Mode, number[]>>;
    const iso = {} as Record<Side, Record<Mode, number[]>>;
    const isoServer = {} as Record<Side, Record<Mode, number[]>>;
    for (const s of [...SIDES, 'on3', 'before3'] as Side[]) {
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

    // Three platforms, cover image, REST: back to back, then an editor's pace; on3 and off interleaved.
    type S3 = 'on3' | 'off' | 'before3';
    const three = { back: { on3: [] as number[], off: [] as number[], before3: [] as number[] }, editor: { on3: [] as number[], off: [] as number[], before3: [] as number[] }, editorServer: { on3: [] as number[], off: [] as number[], before3: [] as number[] }, perRound: [] as number[] };
    const sides3: S3[] = COMPARE_ROOT ? ['on3', 'off', 'before3'] : ['on3', 'off'];
    /** Rotated each round, reversed every other one, like orderFor. */
    const order3 = (r: number): S3[] => {
      const rot = [...sides3.slice(r % sides3.length), ...sides3.slice(0, r % sides3.length)];
      return Math.floor(r / sides3.length) % 2 ? rot.reverse() : rot;
    };
    for (const s of sides3) await sendBatch(side[s], info[s], { mode: 'rest', n: warmup, tag: `warm3-${s}`, cover: true });
    for (let r = 0; r * batchSize < threeN; r++) {
      const n = Math.min(batchSize, threeN - r * batchSize);
      const got: Partial<Record<Side, Batch>> = {};
      for (const s of order3(r)) {
        got[s] = await sendBatch(side[s], info[s], { mode: 'rest', n, tag: `b3-r${r}-${s}`, cover: true });
        three.back[s].push(...got[s]!.latencies);
      }
      three.perRound.push(median(got.on3!.latencies) / median(got.off!.latencies));
      await sim.call('clear');
    }
    for (let r = 0; r * batchSize < threeIsolated; r++) {
      const n = Math.min(batchSize, threeIsolated - r * batchSize);
      for (const s of order3(r)) {
        const got = await sendBatch(side[s], info[s], { mode: 'rest', n, tag: `e3-r${r}-${s}`, cover: true, isolated: true });
        three.editor[s].push(...got.latencies);
        three.editorServer[s].push(...got.serverMs);
      }
      await sim.call('clear');
    }

    for (const mode of ['rest', 'cm'] as Mode[]) {
      if (THREE_ONLY) break;
      for (const s of SIDES) await sendBatch(side[s], info[s], { mode, n: warmup, tag: `warm-${s}-${mode}` });
    }
    for (let r = 0; r < (THREE_ONLY ? 0 : rounds); r++) {
      const n = Math.min(batchSize, perMode - r * batchSize);
      for (const [k, mode] of (['rest', 'cm'] as Mode[]).entries()) {
        const got: Partial<Record<Side, Batch>> = {};
        for (const s of orderFor(r * 2 + k)) {
          got[s] = await sendBatch(side[s], info[s], { mode, n, tag: `r${r}-${s}-${mode}` });
          lat[s][mode].push(...got[s]!.latencies);
        }
        settle.push(got.on!.settleMs);
        roundRatios[mode].push(median(got.on!.latencies) / median(got.off!.latencies));
      }
      // The simulator keeps every request; the benchmark only needs the count.
      await sim.call('clear');
    }
    // An editor's publishes: the plugin finishes everything before the next publish starts. Interleaved too.
    for (let r = 0; r * batchSize < (THREE_ONLY ? 0 : isolatedPerMode); r++) {
      const n = Math.min(batchSize, isolatedPerMode - r * batchSize);
      for (const [k, mode] of (['rest', 'cm'] as Mode[]).entries()) {
        for (const s of orderFor(r * 2 + k)) {
          const got = await sendBatch(side[s], info[s], { mode, n, tag: `iso-r${r}-${s}-${mode}`, isolated: true });
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
    {
      const [b3, b0, e3, e0] = [summarize(three.back.on3), summarize(three.back.off), summarize(three.editor.on3), summarize(three.editor.off)];
      const back = { median: b3.median / b0.median, p95: b3.p95 / b0.p95 };
      const editor = { median: e3.median / e0.median, p95: e3.p95 / e0.p95 };
      const [es3, es0] = [summarize(three.editorServer.on3), summarize(three.editorServer.off)];
      figures.threePlatformsCover = {
        publishesPerSide: threeN,
        editorPacePerSide: threeIsolated,
        backToBack: { pluginOn: roundSummary(b3), pluginOff: roundSummary(b0), medianRatio: round(back.median), p95Ratio: round(back.p95), perRoundMedianRatio: roundSummary(summarize(three.perRound), 3) },
        editorPace: {
          pluginOn: roundSummary(e3),
          pluginOff: roundSummary(e0),
          medianRatio: round(editor.median),
          p95Ratio: round(editor.p95),
          serverSide: { pluginOn: roundSummary(es3), pluginOff: roundSummary(es0), medianRatio: round(es3.median / es0.median), p95Ratio: round(es3.p95 / es0.p95) },
        },
      };
      met = met && back.median <= 1.5 && editor.median <= 1.05;
      rows.push(
        {
          metric: 'default set-up (3 platforms, cover image, REST), back to back: median (p95) ratio',
          value: `${fmtRatio(back.median)} (${fmtRatio(back.p95)}); ${fmtMs(b3.median)} vs ${fmtMs(b0.median)} (${fmtMs(b3.p95)} vs ${fmtMs(b0.p95)})`,
          target: '≤ 1.5',
          met: back.median <= 1.5,
        },
        {
          metric: "default set-up (3 platforms, cover image, REST), an editor's publish: median (p95) ratio",
          value: `${fmtRatio(editor.median)} (${fmtRatio(editor.p95)}); ${fmtMs(e3.median)} vs ${fmtMs(e0.median)}`,
          target: '≤ 1.05',
          met: editor.median <= 1.05,
        },
        {
          metric: "default set-up, why: an editor's publishes timed inside Strapi (arrival → response sent), on ÷ off: median (p95)",
          value: `${fmtRatio(es3.median / es0.median)} (${fmtRatio(es3.p95 / es0.p95)}); ${fmtMs(es3.median)} vs ${fmtMs(es0.median)}`,
        },
      );
      if (COMPARE_ROOT) {
        const [bb, eb] = [summarize(three.back.before3), summarize(three.editor.before3)];
        (figures.threePlatformsCover as Record<string, unknown>).before = {
          root: COMPARE_ROOT,
          backToBack: { pluginOn: roundSummary(bb), medianRatio: round(bb.median / b0.median), p95Ratio: round(bb.p95 / b0.p95) },
          editorPace: { pluginOn: roundSummary(eb), medianRatio: round(eb.median / e0.median), p95Ratio: round(eb.p95 / e0.p95) },
        };
        rows.push(
          { metric: `… the same, plugin of ${COMPARE_ROOT} (before), back to back: median (p95) ratio`, value: `${fmtRatio(bb.median / b0.median)} (${fmtRatio(bb.p95 / b0.p95)}); ${fmtMs(bb.median)}` },
          { metric: `… the same, plugin of ${COMPARE_ROOT} (before), an editor's publish: median (p95) ratio`, value: `${fmtRatio(eb.median / e0.median)} (${fmtRatio(eb.p95 / e0.p95)}); ${fmtMs(eb.median)}` },
        );
      }
    }
    for (const mode of ['rest', 'cm'] as Mode[]) {
      if (THREE_ONLY) break;
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
    if (settle.length) {
      const settleS = summarize(settle);
      figures.pluginOnSettleAfterBatchMs = roundSummary(settleS);
      rows.push({ metric: 'worker in the same process: queue drained after each batch in', value: `median ${fmtMs(settleS.median)}, max ${fmtMs(settleS.max)}` });
    }
    return {
      id: 'publish-overhead',
      title: '1. Publish overhead',
      target: 'median and p95 latency ratio (plugin on ÷ off) ≤ 1.05, REST and Content Manager',
      met,
      figures,
      rows,
      notes: [
        `SQLite. REST = POST /api/articles (created and published in one request); Content Manager = the publish action on a draft created just before (not timed).`,
        `The publishes are sent and timed by the benchmark's own process, outside the Strapi process, as an editor's browser or an import script is (earlier runs sent them from inside the Strapi process, where the client also waited for work the plugin starts after answering: their ratios are higher and not comparable).`,
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
