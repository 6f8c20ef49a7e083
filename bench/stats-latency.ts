/**
 * Bench 6 — stats latency. The dashboard's GET /crosspost/stats (admin route over HTTP, admin JWT) for
 * window=1h, 24h and 7d, over 100,000 publication rows and their attempts (one create each, an update
 * for about half), on SQLite and on PostgreSQL (when one answers on 127.0.0.1:5432). Uses the list
 * benchmark's child and seed (seeded-db.ts); the rows are written with knex, then the day and hour
 * rollups are rebuilt from them once (what an import does). No response cache: every call computes. The same
 * computation is also timed in-process (the stats service), so the route's own overhead shows; the
 * slowest statements' plans go to results.json.
 */
import { fmtMs, round, roundSummary, stopAll, summarize, type BenchOptions, type BenchResult, type ChildHandle, type TableRow } from './lib';
import { dbLabel, seededBenchPlan, seededChild } from './seeded-db';

const WINDOWS = ['1h', '24h', '7d'];
const TARGET_MS = 50;

export async function statsLatency(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const { rows, iterations, warmup, dbs } = await seededBenchPlan(opts);
  const figures: Record<string, unknown> = { rows, warmup, iterations, windows: WINDOWS };
  const tableRows: TableRow[] = [];
  const notes: string[] = [];
  const headline: Record<string, number> = {};
  let met = true;

  for (const db of dbs) {
    const children: ChildHandle[] = [];
    try {
      const { child, seeded } = await seededChild(db, rows, { label: `stats:${db}`, verbose: opts.verbose, children });
      const attempts = await child.call<{ rows: number; seconds: number; rollupSeconds: number }>('seedAttempts', {}, 600000);
      const out: Record<string, unknown> = {
        publicationRows: seeded.rows,
        attemptRows: attempts.rows,
        seedSeconds: round(seeded.seconds + attempts.seconds, 1),
        rollupRebuildSeconds: round(attempts.rollupSeconds, 2),
        windows: {},
      };
      figures[db] = out;
      const route: Record<string, number[]> = Object.fromEntries(WINDOWS.map((w) => [w, []]));
      const service: Record<string, number[]> = Object.fromEntries(WINDOWS.map((w) => [w, []]));
      const ping: number[] = [];
      // Round robin over windows and paths so machine noise spreads evenly.
      for (let i = 0; i < warmup + iterations; i++) {
        for (const w of WINDOWS) {
          const s = await child.call<{ status: number; ms: number }>('stats', { window: w });
          if (s.status !== 200) throw new Error(`GET /crosspost/stats?window=${w} answered ${s.status} on ${db}`);
          const v = await child.call<{ status: number; ms: number }>('statsService', { window: w });
          if (i >= warmup) {
            route[w].push(s.ms);
            service[w].push(v.ms);
          }
        }
        const p = await child.call<{ status: number; ms: number }>('adminPing');
        if (i >= warmup && p.status === 200) ping.push(p.ms);
      }
      for (const w of WINDOWS) {
        const s = summarize(route[w]);
        const v = summarize(service[w]);
        const ok = s.p95 <= TARGET_MS;
        met = met && ok;
        headline[`${db}:${w}`] = round(s.p95, 1);
        const plan = await child.call<{ statements: number; sqlTotalMs: number; slowest: Array<{ sql: string; medianMs: number; plan: string[] }> }>('explainStats', { window: w }, 120000);
        (out.windows as Record<string, unknown>)[w] = { routeMs: roundSummary(s), serviceMs: roundSummary(v), ...plan };
        tableRows.push({
          metric: `${dbLabel(db)}: GET /crosspost/stats?window=${w} (${seeded.rows} pubs, ${attempts.rows} attempts)`,
          value: `${fmtMs(s.median)} / ${fmtMs(s.p95)}; service ${fmtMs(v.median)} / ${fmtMs(v.p95)} [${plan.statements} SQL, ${fmtMs(plan.sqlTotalMs)} alone]`,
          target: `p95 ≤ ${TARGET_MS} ms`,
          met: ok,
        });
      }
      const pingS = summarize(ping);
      out.adminRouteFloorMs = roundSummary(pingS);
      tableRows.push({ metric: `${dbLabel(db)}: floor of any admin route (GET /admin/users/me)`, value: `${fmtMs(pingS.median)} / ${fmtMs(pingS.p95)}`, target: '(info)' });
    } finally {
      await stopAll(children);
    }
  }
  figures.headlineP95Ms = headline;
  if (!dbs.includes('postgres')) notes.push('PostgreSQL did not answer on 127.0.0.1:5432: SQLite only.');
  notes.push(
    `${rows.toLocaleString('en-US')} publication rows as in bench 4, plus attempts: a create per publication shortly after it was created (3% retryable, 1% rate-limited, permanent for failed rows) and an update at its update time for about half; times spread over a year, so a 1h window holds a few attempts, 24h a few hundred and 7d a few thousand. The rows are bulk-inserted with knex, then the day and hour rollups are rebuilt from them once (rollupRebuildSeconds). Values are p50 / p95 of the admin route over HTTP, then of the stats service called in-process (no HTTP, no admin auth); [n SQL, x ms alone] = the statements one call runs and the sum of their medians run alone (the service runs them at once: on PostgreSQL, each on its own connection, so the service can take less than the sum). No cache: every call computes.`,
  );
  return {
    id: 'stats-latency',
    title: '6. Stats latency',
    target: `p95 ≤ ${TARGET_MS} ms for GET /crosspost/stats (1h, 24h, 7d)`,
    met,
    figures,
    rows: tableRows,
    notes,
    wallMs: Date.now() - started,
    smoke: opts.smoke,
  };
}
