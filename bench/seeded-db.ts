/**
 * What the list and stats benchmarks share: the databases to run on (SQLite, and PostgreSQL when one
 * answers on 127.0.0.1:5432) and a child (child/list.ts) booted on one of them with the 100,000-row seed.
 */
import net from 'node:net';
import { spawnChild, type BenchOptions, type ChildHandle } from './lib';

export type BenchDb = 'sqlite' | 'postgres';

function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function benchDatabases(): Promise<BenchDb[]> {
  return ['sqlite', ...((await reachable('127.0.0.1', 5432)) ? (['postgres'] as const) : [])];
}

/** Rows, timed calls per case and warm-up calls (tiny with --smoke), and the databases. */
export async function seededBenchPlan(opts: BenchOptions): Promise<{ rows: number; iterations: number; warmup: number; dbs: BenchDb[] }> {
  return { rows: opts.smoke ? 1000 : 100_000, iterations: opts.smoke ? 5 : 50, warmup: opts.smoke ? 1 : 5, dbs: await benchDatabases() };
}

export const dbLabel = (db: BenchDb) => (db === 'sqlite' ? 'SQLite' : 'PostgreSQL');

export interface SeededChild {
  child: ChildHandle;
  seeded: { rows: number; seconds: number; indexes: string[] };
}

/**
 * Boots child/list.ts on `db` (no worker, no reconciler: nothing but the timed calls runs) and seeds
 * `rows` publication rows. The caller stops the child (it is pushed to `children` at once).
 */
export async function seededChild(db: BenchDb, rows: number, o: { env?: Record<string, string>; label: string; verbose?: boolean; children: ChildHandle[] }): Promise<SeededChild> {
  const child = await spawnChild('list.ts', { TEST_DB: db, CROSSPOST_WORKER: 'false', CROSSPOST_RECONCILE_MS: '0', ...o.env }, { label: o.label, verbose: o.verbose });
  o.children.push(child);
  await child.call('setup', {}, 180000);
  const seeded = await child.call<SeededChild['seeded']>('seed', { rows }, 600000);
  return { child, seeded };
}
