/**
 * `npm run bench [-- --smoke] [--only=publish-overhead,throughput,...] [--out=file] [--verbose]`
 *
 * Runs the benchmarks one after the other (never in parallel: they would measure each other), prints
 * one table and writes bench/results.json (or --out). Figures are printed, never asserted: the exit
 * code is non-zero only when a benchmark could not run at all (so CI's --smoke run catches broken
 * code without judging a shared machine's timings).
 */
import os from 'node:os';
import path from 'node:path';
import { publishOverhead } from './publish-overhead';
import { throughput } from './throughput';
import { rateLimit } from './rate-limit';
import { listLatency } from './list-latency';
import { memory } from './memory';
import { statsLatency } from './stats-latency';
import { dashboardLatency } from './dashboard-latency';
import { BENCH_DIR, formatTable, killAllChildren, machineInfo, readJson, round, stopAllChildren, writeJson, type BenchOptions, type BenchResult } from './lib';

const BENCHES: Array<{ id: string; title: string; target: string; run: (o: BenchOptions) => Promise<BenchResult> }> = [
  { id: 'publish-overhead', title: '1. Publish overhead', target: 'latency ratio on/off ≤ 1.05', run: publishOverhead },
  { id: 'throughput', title: '2. Pipeline throughput', target: 'throughput ratio ≥ 0.5', run: throughput },
  { id: 'rate-limit', title: '3. Rate-limit ceiling', target: 'elapsed ÷ minimum ≤ 1.10, 0 failed', run: rateLimit },
  { id: 'list-latency', title: '4. List latency', target: 'p95 ≤ 50 ms', run: listLatency },
  { id: 'memory', title: '5. Memory', target: 'RSS growth ≤ 30 MB, Redis back near baseline', run: memory },
  { id: 'stats-latency', title: '6. Stats latency', target: 'p95 ≤ 50 ms', run: statsLatency },
  { id: 'dashboard-latency', title: '7. Dashboard latency', target: 'p95 ≤ 1.5 s to the first page', run: dashboardLatency },
];

function parseArgs(argv: string[]) {
  const args = { smoke: false, verbose: false, only: undefined as string[] | undefined, out: undefined as string | undefined };
  for (const a of argv) {
    if (a === '--smoke') args.smoke = true;
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else if (a.startsWith('--only=')) args.only = a.slice(7).split(',').map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith('--out=')) args.out = path.resolve(a.slice(6));
    else if (a === '--help' || a === '-h') {
      console.log('Usage: npm run bench -- [--smoke] [--only=' + BENCHES.map((b) => b.id).join(',') + '] [--out=file] [--verbose]');
      process.exit(0);
    } else throw new Error(`Unknown argument "${a}" (try --help)`);
  }
  if (args.only) {
    const unknown = args.only.filter((id) => !BENCHES.some((b) => b.id === id));
    if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHES.map((b) => b.id).join(', ')}`);
  }
  // A smoke run's timings mean nothing: it never replaces the committed figures unless --out says so.
  const out = args.out ?? (args.smoke ? path.join(os.tmpdir(), 'crosspost-bench-smoke.json') : path.join(BENCH_DIR, 'results.json'));
  return { ...args, out };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const t0 = Date.now();
  console.log(`crosspost benchmarks${args.smoke ? ' (smoke: tiny sizes, timings not meaningful)' : ''} — ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryMB} MB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

  const results: BenchResult[] = [];
  for (const b of BENCHES.filter((x) => !args.only || args.only.includes(x.id))) {
    const start = Date.now();
    process.stdout.write(`▶ ${b.title} … `);
    try {
      const r = await b.run({ smoke: args.smoke, verbose: args.verbose });
      results.push(r);
      console.log(`${(r.wallMs / 1000).toFixed(1)} s`);
    } catch (err) {
      killAllChildren();
      const e = err as Error;
      console.log('FAILED');
      console.error(e?.stack ?? e);
      results.push({ id: b.id, title: b.title, target: b.target, met: null, figures: {}, rows: [], notes: [], wallMs: Date.now() - start, smoke: args.smoke, error: e?.message ?? String(e) });
    }
  }

  const wallMs = Date.now() - t0;
  console.log('');
  console.log(formatTable(results));
  console.log('');
  for (const r of results) for (const n of r.notes) console.log(`  [${r.id}] ${n}`);
  console.log('');
  console.log(`Wall time ${(wallMs / 1000).toFixed(1)} s; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}.`);

  const ranAt = new Date().toISOString();
  const loadAverage = { atStart: machine.loadAverageAtStart, atEnd: os.loadavg().map((x) => round(x, 2)) };
  const fresh = Object.fromEntries(
    results.map((r) => [
      r.id,
      { title: r.title, target: r.target, met: r.met, table: r.rows, figures: r.figures, notes: r.notes, wallMs: r.wallMs, ranAt, loadAverage, ...(r.error ? { error: r.error } : {}) },
    ]),
  );
  // --only updates its benchmarks' entries and keeps the others' figures (each entry says when it ran).
  const kept = args.only ? (readJson(args.out)?.benchmarks ?? {}) : {};
  writeJson(args.out, {
    machine: { ...machine, loadAverageAtEnd: loadAverage.atEnd },
    smoke: args.smoke,
    wallMs,
    benchmarks: { ...kept, ...fresh },
  });
  console.log(`Results written to ${path.relative(process.cwd(), args.out) || args.out}.`);
  process.exit(results.some((r) => r.error) ? 1 : 0);
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // The terminal, tsx and scripts/bench.js may each deliver the signal: act on the first one only.
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${sig}: stopping the benchmark processes (they drop their temp databases and Redis keys)…`);
    void stopAllChildren().finally(() => process.exit(130));
  });
}

main().catch((err) => {
  killAllChildren();
  console.error(err?.stack ?? err);
  process.exit(1);
});
