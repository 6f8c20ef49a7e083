/**
 * Metrics and health on a real Strapi. The metrics text must parse as Prometheus exposition format, its
 * counters must match the rows after a publish / failure / retry cycle, and the number of series after
 * 1,000 more articles must equal the number after a handful (no per-article label; that part takes about
 * 1 minute on a quiet 2-core machine, 3 or more on a busy one). Rate-limit waits are
 * counted per platform and limit kind. Health: ok, then degraded when jobs wait with no worker anywhere.
 * (Redis down → 503 is in tests/fault/webhooks.test.ts.)
 */
import request from 'supertest';
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, type DevtoSimulator } from '../simulators/devto';
import { publishArticle, startFaultApp, type FaultApp } from '../helpers/fault';
import { createAdmin, createApiToken, waitFor } from '../helpers/strapi';
import { rowFor } from '../helpers/publications';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

jest.setTimeout(900_000);

let devto: DevtoSimulator;
let rx: Receiver;
let app: FaultApp | undefined;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  rx = await startReceiver();
});

// A failed test must not leave its Strapi running under the next one (two in one process collide).
afterEach(async () => {
  await app?.stop().catch(() => undefined);
  app = undefined;
});

afterAll(async () => {
  await rx?.close();
  await devto?.close();
});

type Series = Map<string, number>;

/** A strict reader of the Prometheus text format: throws on any line it does not understand. */
function parseProm(text: string): Series {
  const series: Series = new Map();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (m) {
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3])) throw new Error(`bad TYPE: ${line}`);
        types.set(m[2], m[3]);
      }
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    const base = m[1].replace(/_(bucket|sum|count)$/, '');
    if (!types.has(m[1]) && !types.has(base)) throw new Error(`sample without TYPE: ${line}`);
    series.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return series;
}

const sum = (s: Series, prefix: string, filter: (k: string) => boolean = () => true) =>
  [...s.entries()].filter(([k]) => k.startsWith(prefix) && filter(k)).reduce((n, [, v]) => n + v, 0);

test('metrics: token rules, Prometheus text, counters match the rows, series bounded; health ok', async () => {
  app = await startFaultApp({
    env: { CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY, CROSSPOST_DEVTO_BASE_URL: devto.apiUrl },
    pluginConfig: {
      'metrics.enabled': true,
      'metrics.cacheMs': 0,
      'webhooks.allowPrivateNetworks': true,
      'webhooks.retrySchedule': [0, 200, 200],
      'webhooks.jitter': 0,
      // The 1,000-article part: several platform jobs at once (DEV's simulator and limits allow it).
      'queue.concurrency': 4,
    },
  });
  const { strapi } = app;
  const server = strapi.server.httpServer;
  const full = await createApiToken({ strapi } as never);
  const readOnly = (await strapi.service('admin::api-token').create({ name: 'ro', description: '', type: 'read-only', kind: 'content-api', lifespan: null })).accessKey as string;
  await request(server).get('/api/crosspost/metrics').set('Authorization', `Bearer ${readOnly}`).expect(403);
  await request(server).get('/api/crosspost/health').set('Authorization', `Bearer ${readOnly}`).expect(403);
  await request(server).get('/api/crosspost/metrics').expect(403);
  const scrape = async () => {
    const res = await request(server).get('/api/crosspost/metrics').set('Authorization', `Bearer ${full}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseProm(res.text);
  };

  const jwt = await createAdmin({ strapi, httpServer: server } as never);
  await request(server).post('/crosspost/webhook-endpoints').set('Authorization', `Bearer ${jwt}`).send({ name: 'm', url: rx.url('m') }).expect(201);
  rx.behave('m', 500, 200);

  // publish → published; a 429 then published (a retry); a 422 → failed.
  const a = await publishArticle(strapi, 'm-ok', 'Metrics ok');
  await waitFor(async () => (await rowFor(strapi, a, 'devto'))?.status === 'published', { what: 'a published' });
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 429, headers: { 'retry-after': '1' }, body: { error: 'Rate limit reached', status: 429 } });
  const b = await publishArticle(strapi, 'm-retry', 'Metrics retry');
  await waitFor(async () => (await rowFor(strapi, b, 'devto'))?.status === 'published', { what: 'b published' });
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 422, body: { error: 'Tag is invalid', status: 422 } });
  const c = await publishArticle(strapi, 'm-fail', 'Metrics fail');
  await waitFor(async () => (await rowFor(strapi, c, 'devto'))?.status === 'failed', { what: 'c failed' });
  const deliveries = await waitFor(async () => {
    const all = await strapi.db.query('plugin::crosspost.webhook-delivery').findMany({});
    return all.length === 3 && all.every((d: any) => d.status === 'succeeded') ? all : null;
  }, { what: 'three deliveries' });

  const s = await scrape();
  const pubs = await strapi.db.query('plugin::crosspost.publication').findMany({});
  const attempts = (await strapi.db.query('plugin::crosspost.attempt').findMany({})).filter((x: any) => x.operation !== 'none');
  expect(s.get('crosspost_publications_total{platform="devto",outcome="published"}')).toBe(pubs.filter((p: any) => p.status === 'published').length);
  expect(s.get('crosspost_publications_total{platform="devto",outcome="failed"}')).toBe(1);
  expect(sum(s, 'crosspost_platform_requests_total{')).toBe(attempts.length);
  expect(s.get('crosspost_platform_requests_total{platform="devto",operation="create",status_class="429"}')).toBe(attempts.filter((x: any) => x.httpStatus === 429).length);
  expect(s.get('crosspost_platform_requests_total{platform="devto",operation="create",status_class="4xx"}')).toBe(1);
  expect(s.get('crosspost_platform_request_duration_seconds_count{platform="devto",operation="create"}')).toBe(attempts.filter((x: any) => x.operation === 'create').length);
  expect(s.get('crosspost_publish_duration_seconds_count{platform="devto"}')).toBe(2);
  expect(s.get('crosspost_webhook_deliveries_total{outcome="success"}')).toBe(deliveries.length);
  expect(s.get('crosspost_webhook_deliveries_total{outcome="retry"}')).toBe(deliveries.reduce((n: number, d: any) => n + d.attempts - 1, 0));
  expect(s.get('crosspost_webhook_delivery_duration_seconds_count')).toBe(rx.for('m').length);
  expect(s.get('crosspost_publications{platform="devto",status="published"}')).toBe(2);
  expect(s.get('crosspost_publications{platform="devto",status="failed"}')).toBe(1);
  expect(s.get('crosspost_queue_jobs{queue="devto",state="waiting"}')).toBe(0);
  expect(s.get('crosspost_queue_oldest_waiting_seconds{queue="webhooks"}')).toBe(0);
  expect(s.get('crosspost_workers{queue="devto"}')).toBeGreaterThanOrEqual(1);
  expect(s.get('crosspost_redis_up')).toBe(1);
  expect(s.get('crosspost_last_success_timestamp_seconds{platform="devto"}')).toBeGreaterThan(Date.now() / 1000 - 600);
  // The 429 (Retry-After: 1) put the job back for about a second: one wait of kind http_429.
  expect(s.get('crosspost_rate_limit_wait_seconds_count{platform="devto",limit="http_429"}')).toBe(attempts.filter((x: any) => x.httpStatus === 429).length);
  expect(s.get('crosspost_rate_limit_wait_seconds_sum{platform="devto",limit="http_429"}')).toBeGreaterThanOrEqual(1);
  // Closed-set labels only: no id, title, URL or message id anywhere in the output.
  const text = [...s.keys()].join('\n');
  for (const leak of ['Metrics ok', a, 'msg_', '127.0.0.1', 'Tag is invalid']) expect(text).not.toContain(leak);

  const own = (x: Series) => [...x.keys()].filter((k) => !k.startsWith('crosspost_process_'));
  const before = own(s).length;
  // 1,000 more articles. The webhook endpoint goes first: its deliveries would only add load (its
  // labels are the delivery outcome, already all present).
  const endpoints = await request(server).get('/crosspost/webhook-endpoints').set('Authorization', `Bearer ${jwt}`).expect(200);
  for (const ep of endpoints.body.data) await request(server).delete(`/crosspost/webhook-endpoints/${ep.id}`).set('Authorization', `Bearer ${jwt}`).expect(200);
  const MORE = 1000;
  const started = Date.now();
  for (let i = 0; i < MORE; i++) await publishArticle(strapi, `m-many-${i}`, `Metrics many ${i}`);
  const publishedAt = Date.now();
  await waitFor(async () => (await strapi.db.query('plugin::crosspost.publication').count({ where: { status: 'published' } })) === 2 + MORE, {
    timeoutMs: 600_000,
    intervalMs: 1000,
    what: `${MORE} more published`,
  });
  console.info(`monitoring: ${MORE} articles published in Strapi in ${((publishedAt - started) / 1000).toFixed(1)} s, all live on DEV after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The counter moves right after the row's commit, so the last one may still be on its way: wait for it,
  // then it must match exactly.
  const after = await waitFor(async () => {
    const x = await scrape();
    return (x.get('crosspost_publications_total{platform="devto",outcome="published"}') ?? 0) >= 2 + MORE ? x : null;
  }, { what: 'the published counter to reach the rows' });
  expect(after.get('crosspost_publications_total{platform="devto",outcome="published"}')).toBe(2 + MORE);
  expect(own(after).sort()).toEqual(own(s).sort());
  expect(own(after).length).toBe(before);
  expect(own(after).length).toBeLessThan(400);

  const health = await request(server).get('/api/crosspost/health').set('Authorization', `Bearer ${full}`).expect(200);
  expect(health.body).toMatchObject({ status: 'ok', problems: [], checks: { redis: { ok: true }, db: { ok: true }, queues: { devto: { waiting: 0 } } } });
});

test('metrics off by default (404); health degraded while jobs wait and no worker runs', async () => {
  app = await startFaultApp({ env: { CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY, CROSSPOST_DEVTO_BASE_URL: devto.apiUrl, CROSSPOST_WORKER: 'false' } });
  const { strapi } = app;
  const server = strapi.server.httpServer;
  const full = await createApiToken({ strapi } as never);
  await request(server).get('/api/crosspost/metrics').set('Authorization', `Bearer ${full}`).expect(404);
  const ok = await request(server).get('/api/crosspost/health').set('Authorization', `Bearer ${full}`).expect(200);
  expect(ok.body.status).toBe('ok');
  await publishArticle(strapi, 'h-wait', 'Health wait');
  const degraded = await waitFor(async () => {
    const res = await request(server).get('/api/crosspost/health').set('Authorization', `Bearer ${full}`);
    return res.body.status === 'degraded' ? res : null;
  }, { what: 'degraded' });
  expect(degraded.status).toBe(200);
  expect(degraded.body.problems.join(' ')).toMatch(/wait in crosspost:plan and no worker is running/);
  expect(degraded.body.checks.queues.plan).toMatchObject({ waiting: 1, workers: 0 });
});

test('a job deferred to its booked rate-limit slot is counted in crosspost_rate_limit_wait_seconds (platform, limit)', async () => {
  // DEV's create window tightened to 1 per 1.5 s: of three creates published together, two wait for a slot.
  app = await startFaultApp({
    env: { CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY, CROSSPOST_DEVTO_BASE_URL: devto.apiUrl, CROSSPOST_DEVTO_LIMIT_CREATES: '1/1500' },
    pluginConfig: { 'metrics.enabled': true, 'metrics.cacheMs': 0 },
  });
  const { strapi } = app;
  const server = strapi.server.httpServer;
  const full = await createApiToken({ strapi } as never);
  const docs = [];
  for (let i = 0; i < 3; i++) docs.push(await publishArticle(strapi, `rl-${i}`, `Rate limited ${i}`));
  for (const d of docs) await waitFor(async () => (await rowFor(strapi, d, 'devto'))?.status === 'published', { what: `${d} published` });
  const res = await request(server).get('/api/crosspost/metrics').set('Authorization', `Bearer ${full}`).expect(200);
  const s = parseProm(res.text);
  const count = s.get('crosspost_rate_limit_wait_seconds_count{platform="devto",limit="creates"}') ?? 0;
  expect(count).toBeGreaterThanOrEqual(2);
  // The second create waited up to 1.5 s and the third up to 3 s; together more than one window.
  expect(s.get('crosspost_rate_limit_wait_seconds_sum{platform="devto",limit="creates"}')).toBeGreaterThan(1.5);
  // Closed set: nothing but platform and limit kind as labels.
  const waitSeries = [...s.keys()].filter((k) => k.startsWith('crosspost_rate_limit_wait_seconds'));
  expect(waitSeries.length).toBeGreaterThan(0);
  for (const k of waitSeries) {
    const labels = Object.fromEntries([...k.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]).filter(([name]) => name !== 'le'));
    expect(Object.keys(labels).sort()).toEqual(['limit', 'platform']);
    expect(['devto', 'hashnode', 'medium']).toContain(labels.platform);
    expect(['creates', 'updates', 'writes', 'mutations', 'posts', 'http_429', 'other']).toContain(labels.limit);
  }
  await app.stop();
  app = undefined;
});
