/**
 * Property-based fuzzing of every plugin route (admin and content API, taken from the live router):
 * malformed ids, queries and bodies (wrong types, sizes, encodings, prototype-pollution keys, invalid
 * JSON, wrong content types). Never a 5xx, the server keeps answering, and neither the database nor
 * the platform sees anything.
 */
import fc from 'fast-check';
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, createApiToken, startTestApp, type TestApp } from '../helpers/strapi';

let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let token: string;
const UIDS = ['plugin::crosspost.publication', 'plugin::crosspost.attempt', 'plugin::crosspost.entry-setting'];

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startTestApp({ CROSSPOST_DEVTO_API_KEY: 'devto-fuzz-key-123', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
  devto.apiKeys['devto-fuzz-key-123'] = { id: 3, username: 'fuzz', name: 'Fuzz' };
  jwt = await createAdmin(app);
  token = await createApiToken(app);
}, 400000);

afterAll(async () => {
  await app?.stop();
  await devto?.close();
});

interface Route { api: 'admin' | 'content-api'; method: string; path: string }
const liveRoutes = (): Route[] =>
  (['admin', 'content-api'] as const).flatMap((api) =>
    ((app.strapi.plugin('crosspost') as any).routes[api].routes as any[]).map((r) => ({ api, method: r.method, path: r.path })),
  );

const POLLUTING = ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][polluted]'];
const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '-1', '0', '1e20', '0x10', '1.5', 'NaN', 'Infinity', '2147483648', '99999999999999999999', 'null', 'true', '[]', '{}', '%00', '%', '_', '../../etc/passwd', "' OR 1=1 --", 'api::article.article', 'zz', 'javascript:alert(1)'),
  fc.integer().map(String),
  fc.string({ minLength: 256, maxLength: 3000 }),
  fc.fullUnicodeString({ maxLength: 20 }),
);
const key = fc.oneof(fc.constantFrom(...POLLUTING, 'status', 'platform', 'page', 'pageSize', 'q', 'sort', 'contentType', 'documentId', 'locale', 'entryDocumentId', 'url', 'remoteId', 'platforms', 'filters[id][$gt]'), fc.string({ maxLength: 12 }));
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, weird, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 5 })),
})).value;

const body = fc.oneof(
  fc.record({ kind: fc.constant('json'), value: fc.dictionary(key, jsonish, { maxKeys: 6 }) }),
  fc.record({ kind: fc.constant('raw-json'), value: fc.constantFrom('{', '{"a":', 'not json', '[1,2', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', 'null', '"str"', '1e999', '\u0000') }),
  fc.record({ kind: fc.constant('form'), value: fc.dictionary(key, weird, { maxKeys: 5 }) }),
  fc.record({ kind: fc.constant('text'), value: fc.string({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('deep'), value: fc.integer({ min: 50, max: 400 }) }),
  fc.record({ kind: fc.constant('big'), value: fc.integer({ min: 100000, max: 300000 }) }),
);

const anyRequest = fc.record({
  routeIndex: fc.nat(),
  id: weird,
  query: fc.dictionary(key, fc.oneof(weird, fc.array(weird, { maxLength: 40 })), { maxKeys: 6 }),
  body,
  auth: fc.constantFrom('right', 'right', 'right', 'none', 'garbage'),
});

async function send(routes: Route[], r: fc.RecordValue<typeof anyRequest> extends never ? never : any) {
  const route = routes[r.routeIndex % routes.length];
  const base = route.api === 'admin' ? '/crosspost' : '/api/crosspost';
  const path = base + route.path.replace(':id', encodeURIComponent(r.id));
  const qs = Object.entries(r.query as Record<string, unknown>)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`))
    .join('&');
  let req = (request(app.httpServer) as any)[route.method.toLowerCase()](qs ? `${path}?${qs}` : path);
  if (r.auth === 'right') req = req.set('Authorization', `Bearer ${route.api === 'admin' ? jwt : token}`);
  if (r.auth === 'garbage') req = req.set('Authorization', 'Bearer \u00ff\u00fe not-a-token');
  if (route.method !== 'GET') {
    const b = r.body;
    if (b.kind === 'json') req = req.send(b.value);
    else if (b.kind === 'raw-json') req = req.set('Content-Type', 'application/json').send(b.value);
    else if (b.kind === 'form') req = req.type('form').send(b.value);
    else if (b.kind === 'text') req = req.set('Content-Type', 'text/plain').send(b.value);
    else if (b.kind === 'deep') req = req.set('Content-Type', 'application/json').send(`${'{"a":'.repeat(b.value)}1${'}'.repeat(b.value)}`);
    else req = req.set('Content-Type', 'application/json').send(JSON.stringify({ contentType: 'x'.repeat(b.value) }));
  }
  return req;
}

const counts = async () => Promise.all(UIDS.map((uid) => app.strapi.db.query(uid as never).count({})));

test('1,200 malformed requests over every route: no 5xx, the server keeps answering, nothing reaches the DB or DEV', async () => {
  const routes = liveRoutes();
  expect(routes.length).toBeGreaterThanOrEqual(14);
  const before = await counts();
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(anyRequest, async (r) => {
      const res = await send(routes, r);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${res.status} ${JSON.stringify(r).slice(0, 300)} → ${JSON.stringify(res.body).slice(0, 200)}`);
      return res.status < 500;
    }),
    { numRuns: 1200, seed: Number(process.env.FUZZ_SEED ?? 20261203), endOnFailure: true },
  );
  expect(failures).toEqual([]);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1200);
  // Still answering, nothing stored, nothing sent, nothing polluted.
  await request(app.httpServer).get('/crosspost/publications').set('Authorization', `Bearer ${jwt}`).expect(200);
  expect(await counts()).toEqual(before);
  expect(devto.server.requests).toEqual([]);
  expect(({} as any).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
}, 600000);
