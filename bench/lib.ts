/**
 * Shared by the benchmarks: statistics (percentiles, median, spread), the result shape written to
 * bench/results.json, the printed table, machine info, and the parent side of the child-process RPC
 * (each Strapi configuration runs in its own process: Strapi keeps global state, so two instances in
 * one process are not safe, and separate processes let configurations be interleaved round by round).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { REDIS_URL } from '../tests/helpers/strapi';

export const BENCH_DIR = __dirname;
export const ROOT = path.resolve(__dirname, '..');
// One place says which Redis the tests and benchmarks use.
export { REDIS_URL };

// ------------------------------------------------------------------------------------------ statistics

/** Linear-interpolated percentile (p in 0..100) of `values` (need not be sorted). NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

export const median = (values: number[]) => percentile(values, 50);

export interface Summary {
  n: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
  max: number;
  /** Interquartile range (p75 − p25). */
  iqr: number;
}

export function summarize(values: number[]): Summary {
  const p25 = percentile(values, 25);
  const p75 = percentile(values, 75);
  return {
    n: values.length,
    min: values.length ? Math.min(...values) : NaN,
    p25,
    median: percentile(values, 50),
    p75,
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : NaN,
    iqr: p75 - p25,
  };
}

/** Rounds for JSON (keeps results.json readable). */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function roundSummary(s: Summary, digits = 2): Summary {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'n' ? v : round(v, digits)])) as unknown as Summary;
}

export const fmtMs = (ms: number) => (!Number.isFinite(ms) ? 'n/a' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
export const fmtRatio = (r: number) => (Number.isFinite(r) ? r.toFixed(3) : 'n/a');
export const fmtMB = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
export const fmtSpread = (s: Summary, f: (x: number) => string = fmtMs) => `IQR ${f(s.p25)}–${f(s.p75)}, min–max ${f(s.min)}–${f(s.max)}`;

// ------------------------------------------------------------------------------------------ results

export interface TableRow {
  metric: string;
  value: string;
  target?: string;
  /** true/false when this row carries a target; undefined for informational rows. */
  met?: boolean;
}

export interface BenchResult {
  id: string;
  title: string;
  /** The target for this benchmark, in words. */
  target: string;
  /** Every target row met (null when the benchmark did not produce its figures). */
  met: boolean | null;
  figures: Record<string, unknown>;
  rows: TableRow[];
  notes: string[];
  wallMs: number;
  smoke: boolean;
  error?: string;
}

export interface BenchOptions {
  smoke: boolean;
  verbose: boolean;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 1048576),
    freeMemoryMBAtStart: Math.round(os.freemem() / 1048576),
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** Plain-text table: one block per benchmark, one line per figure. */
export function formatTable(results: BenchResult[]): string {
  const head = ['Benchmark', 'Metric', 'Value', 'Target', 'Met'];
  const lines: string[][] = [];
  for (const r of results) {
    if (r.error) {
      lines.push([r.title, 'ERROR', r.error.split('\n')[0].slice(0, 100), r.target, '-']);
      continue;
    }
    r.rows.forEach((row, i) => {
      lines.push([i === 0 ? r.title : '', row.metric, row.value, row.target ?? '', row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
    });
  }
  const widths = head.map((h, i) => Math.min(i === 2 ? 70 : 60, Math.max(h.length, ...lines.map((l) => l[i].length))));
  const sep = widths.map((w) => '-'.repeat(w)).join('-+-');
  const fmt = (l: string[]) => l.map((c, i) => pad(c, widths[i])).join(' | ').trimEnd();
  const out = [fmt(head), sep];
  let first = true;
  for (const l of lines) {
    if (l[0] && !first) out.push(sep);
    first = false;
    out.push(fmt(l));
  }
  return out.join('\n');
}

// ------------------------------------------------------------------------------------------ Redis

export async function withRedis<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** `used_memory` from INFO memory (bytes; the whole Redis server, shared with other users). */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  return m ? Number(m[1]) : NaN;
}

/** Keys under `prefix` and the bytes they take (MEMORY USAGE, exact for this run whatever else shares Redis). */
export async function redisPrefixUsage(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (batch.length) {
      const pipe = redis.pipeline();
      for (const k of batch) pipe.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      const res = (await pipe.exec()) ?? [];
      for (const [err, v] of res) if (!err && v !== null) bytes += Number(v);
      keys += batch.length;
    }
  } while (cursor !== '0');
  return { keys, bytes };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  await withRedis(async (redis) => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  });
}

// ------------------------------------------------------------------------------------------ child processes

/** Env every Strapi child starts from: production-like queue timings (the test helper's are tuned for crash tests). */
export const PRODUCTION_LIKE_ENV: Record<string, string> = {
  CROSSPOST_LOCK_MS: '30000',
  CROSSPOST_STALLED_MS: '30000',
  CROSSPOST_RETRY_BASE_MS: '2000',
  CROSSPOST_RETRY_MAX_MS: '600000',
  CROSSPOST_HTTP_TIMEOUT_MS: '30000',
  // The reconciler is off in every benchmark: it would rescan the rows a benchmark is timing.
  CROSSPOST_RECONCILE_MS: '0',
};

/** Client-side limits high enough never to bind (the schema has no "off"). */
export const NO_LIMITS_ENV: Record<string, string> = {
  CROSSPOST_DEVTO_LIMIT_WRITES: '1000000/1000',
  CROSSPOST_DEVTO_LIMIT_CREATES: '1000000/1000',
  CROSSPOST_DEVTO_LIMIT_UPDATES: '1000000/1000',
};

const live = new Set<ChildHandle>();

export class ChildHandle {
  private seq = 0;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private tail: string[] = [];
  private exited = false;
  readonly ready: Promise<void>;

  constructor(
    readonly label: string,
    private readonly proc: ChildProcess,
    verbose: boolean,
  ) {
    live.add(this);
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      if (verbose) process.stderr.write(text.replace(/^(?=.)/gm, `[${label}] `));
      this.tail.push(...text.split('\n').filter(Boolean));
      if (this.tail.length > 60) this.tail.splice(0, this.tail.length - 60);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.ready = new Promise((resolve, reject) => {
      proc.on('message', (msg: { type?: string; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
        if (msg?.type === 'ready') resolve();
        if (msg?.type !== 'reply' || msg.id === undefined) return;
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new Error(`${label}: ${msg.error}`));
      });
      proc.on('exit', (code, signal) => {
        this.exited = true;
        live.delete(this);
        const err = new Error(`${label} exited (code ${code}, signal ${signal}). Last output:\n${this.tail.join('\n')}`);
        reject(err);
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(err);
        }
        this.pending.clear();
      });
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  call<T = unknown>(cmd: string, args: unknown = {}, timeoutMs = 600000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.label} is not running`));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: "${cmd}" did not answer within ${timeoutMs} ms. Last output:\n${this.tail.join('\n')}`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.proc.send({ type: 'call', id, cmd, args });
    });
  }

  /** Asks the child to clean up (Strapi destroy, temp database, Redis keys) and exit; kills it if it does not. */
  async stop(timeoutMs = 30000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    try {
      await this.call('stop', {}, timeoutMs);
    } catch {
      /* it may exit before answering */
    }
    const timer = setTimeout(() => this.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited && this.proc.pid) {
      try {
        process.kill(this.proc.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  lastOutput(): string {
    return this.tail.join('\n');
  }
}

/**
 * Starts `bench/child/<file>` under tsx with `env` added, and waits until it reports ready.
 * Children always get --expose-gc so memory samples can be taken after a full collection.
 */
/** `opts.root`: another checkout of the project (its own dist/), for a before/after comparison in one run. */
export async function spawnChild(file: string, env: Record<string, string>, opts: { label?: string; verbose?: boolean; readyTimeoutMs?: number; root?: string } = {}): Promise<ChildHandle> {
  const script = opts.root ? path.join(opts.root, 'bench', 'child', file) : path.join(BENCH_DIR, 'child', file);
  const proc = fork(script, [], {
    cwd: opts.root ?? ROOT,
    // BENCH_CHILD_CPU_PROF=dir: a V8 CPU profile of each child, written there when it exits.
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CHILD_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_CPU_PROF}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const child = new ChildHandle(opts.label ?? file.replace(/\.ts$/, ''), proc, opts.verbose ?? false);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      child.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${child.label} did not start within ${opts.readyTimeoutMs ?? 60000} ms`)), opts.readyTimeoutMs ?? 60000);
      }),
    ]);
  } catch (err) {
    child.kill();
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
  return child;
}

/** Kills every child still running (used on errors). */
export function killAllChildren(): void {
  for (const c of live) c.kill();
}

/** Asks every child still running to clean up and exit (signals); kills those still there after `timeoutMs`. */
export async function stopAllChildren(timeoutMs = 15000): Promise<void> {
  const all = [...live];
  await Promise.race([Promise.all(all.map((c) => c.stop(timeoutMs).catch(() => c.kill()))), sleep(timeoutMs)]);
  for (const c of all) c.kill();
}

/** Stops children gracefully (they drop their temp database and Redis keys), killing any that hang. */
export async function stopAll(children: ChildHandle[]): Promise<void> {
  await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes JSON atomically (a .tmp file renamed over the target), so an interrupted run leaves the old file. */
export function writeJson(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 2) + '\n');
  fs.renameSync(`${file}.tmp`, file);
}

/** The parsed file, or undefined when it is missing or not JSON. */
export function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Unique id for Redis prefixes and temp names. */
export const runId = () => `${process.pid}-${Date.now().toString(36)}`;

/**
 * One pipeline run (bench/child/pipeline.ts) with the publishes sent by `client` (bench/child/publish-client.ts,
 * a process of its own): begin → publish → finish. Returns what `finish` returns.
 */
export async function publishAndSettle<T>(pipeline: ChildHandle, client: ChildHandle, opts: { drain?: boolean; timeoutMs?: number } = {}): Promise<T> {
  const target = await pipeline.call<{ baseUrl: string; jwt: string; ids: string[] }>('begin', { drain: opts.drain ?? false });
  const published = await client.call<{ t0: number; publishAt: number[]; publishLoopMs: number }>('publish', target, opts.timeoutMs ?? 300000);
  return pipeline.call<T>('finish', { ...published, drain: opts.drain ?? false, timeoutMs: opts.timeoutMs }, (opts.timeoutMs ?? 300000) + 60000);
}
