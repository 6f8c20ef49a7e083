/**
 * Bulk retry (by ids and by filter, answered per row, never queuing a row twice) and the dashboard
 * stats, whose numbers are checked against the rows in the database (percentiles: within their stated
 * accuracy), and the hour rollup they are read from.
 */
import request from 'supertest';
import { type DevtoSimulator } from '../simulators/devto';
import { type TestApp } from '../helpers/strapi';
import { adminRoutes, startDevtoApp, type DevtoApp } from '../helpers/devto-app';
import { ARTICLE_UID, ATTEMPT_UID, PUBLICATION_UID, blocksBody, waitForStatus } from '../helpers/publications';
import { createPublicationStore, type AttemptRecord } from '../../server/src/store/publications';
import { ensureRollups } from '../../server/src/stats/rollups';

jest.setTimeout(180_000);

const KEY = 'devto-api-bulk-key';
let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let ctx: DevtoApp | undefined;

beforeAll(async () => {
  ({ devto, app, jwt } = ctx = await startDevtoApp({ key: KEY, account: { id: 12, username: 'bulk', name: 'Bulk' } }));
});

afterAll(async () => {
  await ctx?.stop();
});

const admin = adminRoutes(() => app, () => jwt);
const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;
const postsFor = (slug: string) =>
  devto.server.requestsTo('POST', '/api/articles').filter((r) => JSON.stringify(r.body ?? {}).includes(`/posts/${slug}"`));

/** Articles whose first create DEV refuses for good (422), so their rows end `failed`. */
async function failedArticles(prefix: string, n: number) {
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 422, body: { error: 'Body markdown is too spammy', status: 422 }, times: n });
  const rows = [];
  for (let i = 0; i < n; i++) {
    const doc = await docs().create({ data: { title: `${prefix} ${i}`, slug: `${prefix}-${i}`, body: blocksBody(`${prefix} ${i}`) } });
    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
    expect([row.status, row.lastError]).toEqual(['failed', expect.stringMatching(/spammy/)]);
    rows.push(row);
  }
  return rows;
}

test('two bulk retries of the same rows at once: each row is requeued exactly once, and posted once', async () => {
  const rows = await failedArticles('bulk-race', 3);
  const ids = rows.map((r) => r.id);
  const [a, b] = await Promise.all([admin.post('/publications/bulk-retry', { ids }), admin.post('/publications/bulk-retry', { ids })]);
  expect(a.status).toBe(200);
  expect(b.status).toBe(200);
  const requeued = [...a.body.data.requeued, ...b.body.data.requeued].sort((x: number, y: number) => x - y);
  expect(requeued).toEqual([...ids].sort((x, y) => x - y));
  // Every id is answered by each call: requeued by one, skipped (with a reason) by the other.
  for (const res of [a, b]) {
    const answered = [...res.body.data.requeued, ...res.body.data.skipped.map((s: any) => s.id)].sort((x: number, y: number) => x - y);
    expect(answered).toEqual([...ids].sort((x, y) => x - y));
    for (const s of res.body.data.skipped) expect(typeof s.reason).toBe('string');
  }
  for (const r of rows) await waitForStatus(app.strapi, r.targetDocumentId, 'devto', ['published']);
  await new Promise((r) => setTimeout(r, 500));
  // One refused create and one successful one per article: the retry ran once.
  for (let i = 0; i < 3; i++) expect(postsFor(`bulk-race-${i}`)).toHaveLength(2);
});

test('bulk retry by ids answers per row: not found, not retryable; by filter it takes only failed rows and says how many matched', async () => {
  const [failed] = await failedArticles('bulk-mixed', 1);
  const published = await app.strapi.db.query(PUBLICATION_UID).findOne({ where: { status: 'published' } });
  const res = await admin.post('/publications/bulk-retry', { ids: [failed.id, published.id, 2147483647] }).expect(200);
  expect(res.body.data.requeued).toEqual([failed.id]);
  expect(res.body.data.skipped).toEqual([
    { id: 2147483647, reason: 'not found' },
    { id: published.id, reason: expect.stringMatching(/^published: only failed or canceled/) },
  ]);
  await waitForStatus(app.strapi, failed.targetDocumentId, 'devto', ['published']);

  const more = await failedArticles('bulk-filter', 2);
  const byFilter = await admin.post('/publications/bulk-retry', { filter: { status: 'failed,published', platform: ['devto'], q: 'bulk-filter' } }).expect(200);
  expect(byFilter.body.data).toMatchObject({ matched: 2, limit: 1000, truncated: false, skipped: [] });
  expect(byFilter.body.data.requeued.sort()).toEqual(more.map((r) => r.id).sort());
  for (const r of more) await waitForStatus(app.strapi, r.targetDocumentId, 'devto', ['published']);
  const none = await admin.post('/publications/bulk-retry', { filter: {} }).expect(200);
  expect(none.body.data).toMatchObject({ requeued: [], skipped: [], matched: 0 });
});

test('bulk retry validation: ids or filter, bounded', async () => {
  const bad = async (body: unknown, pattern: RegExp) => {
    const res = await admin.post('/publications/bulk-retry', body).expect(400);
    expect(res.body.error.message).toMatch(pattern);
  };
  await bad({}, /either "ids"/);
  await bad({ ids: [1], filter: {} }, /either "ids"/);
  await bad({ ids: [] }, /ids/);
  await bad({ ids: Array.from({ length: 101 }, (_, i) => i + 1) }, /ids/);
  await bad({ ids: [2147483648] }, /ids\.0/);
  await bad({ ids: ['1'] }, /ids\.0/);
  await bad({ filter: { status: 'done' } }, /filter\.status/);
  await bad({ filter: { contentType: 'x'.repeat(300) } }, /filter\.contentType/);
  await bad({ filter: { foo: 1 } }, /Unrecognized key/);
  await request(app.httpServer).post('/crosspost/publications/bulk-retry').send({ ids: [1] }).expect(401);
});

/** Exact nearest-rank percentile (the ceil(p·n)-th smallest value). */
const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
};

/**
 * The accuracy the README and docs/api.md state for the stats' percentiles: within 1/32 (3.2 %) of the
 * exact nearest-rank value, and exact below 32 ms (for integers, |error| ≤ value/32 < 1 means equal).
 */
function expectPercentiles(got: { p50: number; p95: number } | null, values: number[]) {
  expect(values.length).toBeGreaterThan(0);
  expect(got).not.toBeNull();
  for (const [k, p] of [['p50', 0.5], ['p95', 0.95]] as const) {
    const exact = pct(values, p);
    expect({ [k]: got![k], exact, withinStatedAccuracy: Math.abs(got![k] - exact) <= exact / 32 }).toEqual({ [k]: got![k], exact, withinStatedAccuracy: true });
  }
}

test('GET /stats: counts, per-day numbers, success rate, latencies and top errors match the rows', async () => {
  const res = await admin.get('/stats?window=24h').expect(200);
  const data = res.body.data;
  expect(data.platforms).toEqual([
    { id: 'devto', configured: true },
    { id: 'hashnode', configured: false },
    { id: 'medium', configured: false },
  ]);

  const pubs = await app.strapi.db.query(PUBLICATION_UID).findMany({});
  const expectedCounts: Record<string, Record<string, number>> = { devto: {}, hashnode: {}, medium: {} };
  for (const p of pubs) expectedCounts[p.platform][p.status] = (expectedCounts[p.platform][p.status] ?? 0) + 1;
  expect(data.counts).toEqual(expectedCounts);
  expect(data.counts.devto.published).toBeGreaterThanOrEqual(6);

  const attempts = await app.strapi.db.query(ATTEMPT_UID).findMany({ where: { platform: 'devto' } });
  const calls = attempts.filter((a: any) => ['create', 'update', 'unpublish', 'lookup'].includes(a.operation));
  const ok = calls.filter((a: any) => ['success', 'adopted'].includes(a.outcome)).length;
  const counted = calls.filter((a: any) => ['success', 'adopted', 'retryable', 'ambiguous', 'permanent'].includes(a.outcome)).length;
  expect(data.window.successRate.devto).toBeCloseTo(ok / counted, 10);
  expect(data.window.successRate.hashnode).toBeNull();

  const durations = calls.filter((a: any) => a.durationMs !== null).map((a: any) => a.durationMs);
  expectPercentiles(data.window.requestLatency.devto, durations);
  expect(data.window.requestLatency.medium).toBeNull();

  const byId = new Map(pubs.map((p: any) => [p.id, p]));
  const live = attempts
    .filter((a: any) => a.operation === 'create' && a.outcome === 'success')
    .map((a: any) => new Date(a.createdAt).getTime() - new Date((byId.get(a.publicationId) as any).createdAt).getTime());
  expectPercentiles(data.window.publishToLive.devto, live);

  const permanent = attempts.filter((a: any) => a.outcome === 'permanent');
  expect(data.window.topErrors).toEqual([{ kind: 'permanent', platform: 'devto', count: permanent.length, example: expect.stringMatching(/spammy/) }]);

  const today = new Date().toISOString().slice(0, 10);
  const todayRow = data.daily.find((d: any) => d.day === today && d.platform === 'devto');
  const publishedCalls = attempts.filter((a: any) => ['create', 'update'].includes(a.operation) && a.outcome === 'success').length;
  expect(todayRow).toEqual({ day: today, platform: 'devto', published: publishedCalls, failed: permanent.length });

  await admin.get('/stats?window=2d').expect(400);
  await admin.get('/stats?foo=1').expect(400);
  const hour = await admin.get('/stats?window=1h').expect(200);
  expect(hour.body.data.window.name).toBe('1h');
});

const readDays = async () =>
  ((await app.strapi.db.connection('crosspost_stats_days').select('day', 'platform', 'published', 'failed').orderBy(['day', 'platform'])) as any[])
    .map((r) => ({ day: r.day, platform: r.platform, published: Number(r.published), failed: Number(r.failed) }))
    .filter((r) => r.published || r.failed);
const readHours = async () =>
  ((await app.strapi.db.connection('crosspost_stats_hours').select('hour', 'platform', 'series', 'bucket', 'attempts', 'example').orderBy(['hour', 'platform', 'series', 'bucket'])) as any[]).map((r) => ({
    hour: Number(r.hour),
    platform: r.platform,
    series: r.series,
    bucket: Number(r.bucket),
    attempts: Number(r.attempts),
    example: r.example ?? null,
  }));

test('the day and hour rollups kept at write time equal the ones rebuilt from the attempts, after publishes, failures and retries; counts equal the rows', async () => {
  const knex = app.strapi.db.connection;
  const kept = await readDays();
  // The earlier tests published, failed and retried rows: the rollup has both kinds to compare.
  expect(kept.some((d) => d.failed > 0 && d.published > 0)).toBe(true);
  const keptHours = await readHours();
  expect(new Set(keptHours.map((h) => h.series))).toEqual(new Set(['call', 'request', 'live']));
  expect(keptHours.some((h) => h.example && /spammy/.test(h.example))).toBe(true);
  await app.strapi.plugin('crosspost').service('stats').rebuildRollups();
  expect(await readDays()).toEqual(kept);
  expect(await readHours()).toEqual(keptHours);
  // The route's counts are those of a GROUP BY over the rows.
  const rows = (await knex('crosspost_publications').select('platform', 'status').count({ n: '*' }).groupBy('platform', 'status')) as any[];
  expect(rows.length).toBeGreaterThan(0);
  const res = await admin.get('/stats?window=7d').expect(200);
  for (const r of rows) expect(res.body.data.counts[r.platform][r.status]).toBe(Number(r.n));
  // And nothing else: the route's counts add up to the number of rows.
  const total = Object.values(res.body.data.counts as Record<string, Record<string, number>>).flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
  expect(total).toBe(await app.strapi.db.query('plugin::crosspost.publication').count());
});

/** A seeded PRNG (mulberry32): the same spread of values on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Log-uniform between lo and hi: a spread over several orders of magnitude, as latencies are. */
const logUniform = (r: () => number, lo: number, hi: number) => Math.round(lo * (hi / lo) ** r());
const HOUR = 3600e3;

/** Medium rows no other test touches (medium is not configured here), created at the given times. */
async function mediumRows(prefix: string, createdAt: Date[]) {
  const data = createdAt.map((t, i) => ({
    uniqueKey: `api::article.article|${prefix}${i}||medium`,
    targetUid: 'api::article.article',
    targetDocumentId: `${prefix}${i}`,
    targetLocale: '',
    platform: 'medium',
    status: 'unpublished',
    desired: 'unpublished',
    createdAt: t,
    updatedAt: t,
  }));
  await app.strapi.db.query(PUBLICATION_UID).createMany({ data });
  const rows = (await app.strapi.db.query(PUBLICATION_UID).findMany({ where: { targetDocumentId: { $startsWith: prefix } }, orderBy: { id: 'asc' } })) as any[];
  expect(rows).toHaveLength(createdAt.length);
  return rows;
}

const OPERATIONS = ['create', 'update', 'lookup', 'none'] as const;
const OUTCOME_MIX = ['success', 'success', 'success', 'success', 'adopted', 'skipped', 'retryable', 'ambiguous', 'permanent', 'rate-limited'] as const;

test('the hour rollup written by the store for a spread of durations and publish-to-live times equals the one rebuilt from the rows', async () => {
  const r = rng(11);
  const now = Date.now();
  const pubs = await mediumRows('hourwrite', Array.from({ length: 40 }, () => new Date(now - logUniform(r, 1000, 3 * 24 * HOUR))));
  const store = createPublicationStore(app.strapi);
  const list: AttemptRecord[] = pubs.map((p, i) => {
    const outcome = i % 4 === 0 ? OUTCOME_MIX[i % OUTCOME_MIX.length] : 'success';
    return {
      publicationId: p.id,
      platform: 'medium',
      operation: i % 5 === 4 ? OPERATIONS[i % OPERATIONS.length] : 'create',
      outcome,
      durationMs: logUniform(r, 3, 60_000),
      message: ['success', 'adopted', 'skipped'].includes(outcome) ? undefined : `Medium said no (${outcome} ${i % 3})`,
    };
  });
  // Without the rows (their creation time read by the store) and with them (the caller's).
  await store.insertAttempts(list.slice(0, 20));
  await store.insertAttempts(list.slice(20), pubs.slice(20));
  const kept = (await readHours()).filter((h) => h.platform === 'medium');
  expect(kept.filter((h) => h.series === 'live').reduce((a, h) => a + h.attempts, 0)).toBe(list.filter((a) => a.operation === 'create' && a.outcome === 'success').length);
  expect(new Set(kept.filter((h) => h.series === 'request').map((h) => h.bucket)).size).toBeGreaterThan(20);
  await app.strapi.plugin('crosspost').service('stats').rebuildRollups();
  expect((await readHours()).filter((h) => h.platform === 'medium')).toEqual(kept);
});

test('a window that cuts hours in two counts exactly the attempts inside it; its percentiles are within the stated accuracy on a spread of values', async () => {
  const r = rng(5);
  // A window ending 30 min 17 s into an hour three days ago: its first and last hours are cut in two.
  const now = (Math.floor(Date.now() / HOUR) - 72) * HOUR + 30 * 60e3 + 17e3;
  const since = now - 24 * HOUR;
  // Around the window (2 h either side), plus its edges exactly and just outside them in the same hours.
  const times = [
    ...Array.from({ length: 400 }, () => since - 2 * HOUR + Math.floor(r() * 28 * HOUR)),
    since, since - 1, since + 1, since - 10 * 60e3, since + 10 * 60e3, Math.ceil(since / HOUR) * HOUR, Math.ceil(since / HOUR) * HOUR - 1,
    now, now + 1, now - 1, Math.floor(now / HOUR) * HOUR, Math.floor(now / HOUR) * HOUR - 1, now + 10 * 60e3,
  ];
  const live = times.map(() => logUniform(r, 1000, 3 * 24 * HOUR));
  const pubs = await mediumRows('hourcut', times.map((t, i) => new Date(t - live[i])));
  const attempts = times.map((t, i) => {
    const outcome = OUTCOME_MIX[Math.floor(r() * OUTCOME_MIX.length)];
    const operation = r() < 0.6 ? 'create' : OPERATIONS[Math.floor(r() * OPERATIONS.length)];
    return {
      publicationId: pubs[i].id,
      platform: 'medium',
      operation,
      outcome,
      durationMs: operation === 'none' ? null : logUniform(r, 3, 60_000),
      message: ['success', 'adopted', 'skipped'].includes(outcome) ? null : `Medium said no (${outcome} ${i % 7})`,
      jobSeq: 1,
      createdAt: new Date(t),
      updatedAt: new Date(t),
      live: live[i],
    };
  });
  // Written behind the plugin's back (as an import would), then the documented rebuild.
  await app.strapi.db.query(ATTEMPT_UID).createMany({ data: attempts.map(({ live: _live, ...a }) => a) });
  await app.strapi.plugin('crosspost').service('stats').rebuildRollups();

  for (const [window, length] of [['24h', 24 * HOUR], ['1h', HOUR]] as const) {
    const from = now - length;
    const inside = attempts.filter((a) => a.createdAt.getTime() >= from && a.createdAt.getTime() <= now);
    expect(inside.length).toBeGreaterThan(window === '24h' ? 300 : 10);
    const data = await app.strapi.plugin('crosspost').service('stats').summary(window, now);
    expect(data.window.since).toBe(new Date(from).toISOString());

    const calls = inside.filter((a) => a.operation !== 'none');
    const counted = calls.filter((a) => ['success', 'adopted', 'retryable', 'ambiguous', 'permanent'].includes(a.outcome));
    expect(data.window.successRate.medium).toBeCloseTo(counted.filter((a) => ['success', 'adopted'].includes(a.outcome)).length / counted.length, 10);

    const errors = new Map<string, { kind: string; platform: string; count: number; example: string }>();
    for (const a of inside.filter((x) => ['retryable', 'ambiguous', 'permanent', 'rate-limited'].includes(x.outcome))) {
      const e = errors.get(a.outcome) ?? { kind: a.outcome, platform: 'medium', count: 0, example: '' };
      e.count += 1;
      if (a.message! > e.example) e.example = a.message!;
      errors.set(a.outcome, e);
    }
    // Most frequent first, then by kind (the route's order); each with the greatest message as its example.
    const expected = [...errors.values()].sort((x, y) => y.count - x.count || (x.kind < y.kind ? -1 : 1));
    expect((data.window.topErrors as any[]).filter((e) => e.platform === 'medium')).toEqual(expected);

    expectPercentiles(data.window.requestLatency.medium, calls.filter((a) => a.durationMs !== null).map((a) => a.durationMs!));
    expectPercentiles(data.window.publishToLive.medium, inside.filter((a) => a.operation === 'create' && a.outcome === 'success').map((a) => a.live));
  }
});

test('at start-up an empty hour rollup is filled from the attempts, once: a filled one is left alone', async () => {
  const before = await readHours();
  expect(before.length).toBeGreaterThan(0);
  const said: string[] = [];
  const log = { info: (m: string) => said.push(m), warn: (m: string) => said.push(`warn: ${m}`) };
  // What a first start after the upgrade finds: the day rollup filled, the hour rollup empty.
  await app.strapi.db.connection('crosspost_stats_hours').del();
  await ensureRollups(app.strapi, log);
  expect(said).toEqual(['crosspost: filled the stats hour rollup from the existing attempts']);
  expect(await readHours()).toEqual(before);
  await ensureRollups(app.strapi, log);
  expect(said).toHaveLength(1);
});
