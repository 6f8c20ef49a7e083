/**
 * The OpenAPI document served at GET /crosspost/openapi.json describes exactly the routes the live app
 * registers for the plugin (admin and content API), is a structurally valid OpenAPI 3.1 document, and its
 * request schemas accept what the controllers accept (checked on POST /publish).
 */
import request from 'supertest';
import Ajv2020 from 'ajv/dist/2020';
import { createAdmin, startTestApp, type TestApp } from '../helpers/strapi';

let app: TestApp;
let doc: any;

beforeAll(async () => {
  app = await startTestApp();
  const jwt = await createAdmin(app);
  const res = await request(app.httpServer).get('/crosspost/openapi.json').set('Authorization', `Bearer ${jwt}`);
  expect(res.status).toBe(200);
  doc = res.body;
});

afterAll(async () => {
  await app?.stop();
});

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** "METHOD /path" for every plugin route in Koa's live router, `:id` written as `{id}`. */
function liveRoutes(): Set<string> {
  const out = new Set<string>();
  for (const layer of (app.strapi.server as any).listRoutes() as Array<{ path: string; methods: string[] }>) {
    if (!/^\/(api\/)?crosspost\//.test(layer.path)) continue;
    for (const m of layer.methods) if (m !== 'HEAD') out.add(`${m} ${layer.path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}

function documentedRoutes(): Set<string> {
  const out = new Set<string>();
  for (const [p, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const m of Object.keys(item)) if (METHODS.includes(m)) out.add(`${m.toUpperCase()} ${p}`);
  }
  return out;
}

test('every live plugin route is documented and every documented path is live', () => {
  const live = liveRoutes();
  const documented = documentedRoutes();
  // Both APIs are present, and the admin-only ones stay off the content API in both.
  expect(live.has('POST /api/crosspost/publish')).toBe(true);
  expect(live.has('GET /crosspost/openapi.json')).toBe(true);
  expect(live.has('GET /api/crosspost/settings')).toBe(false);
  expect([...live].filter((r) => !documented.has(r))).toEqual([]);
  expect([...documented].filter((r) => !live.has(r))).toEqual([]);
  expect(documented.size).toBe(live.size);
});

test('the document is structurally valid OpenAPI 3.1 and every schema compiles', () => {
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(typeof doc.info?.title).toBe('string');
  expect(typeof doc.info?.version).toBe('string');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const ids = new Set<string>();
  for (const [p, item] of Object.entries<any>(doc.paths)) {
    expect(p.startsWith('/')).toBe(true);
    const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [m, op] of Object.entries<any>(item)) {
      expect(METHODS).toContain(m);
      expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
      for (const r of Object.values<any>(op.responses)) expect(typeof r.description).toBe('string');
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      for (const sec of op.security ?? []) for (const name of Object.keys(sec)) expect(doc.components.securitySchemes[name]).toBeDefined();
      const params = op.parameters ?? [];
      // Every {param} in the path is declared as a required path parameter, and nothing else is.
      expect(params.filter((x: any) => x.in === 'path').map((x: any) => x.name).sort()).toEqual([...pathParams].sort());
      for (const prm of params) {
        expect(['path', 'query', 'header', 'cookie']).toContain(prm.in);
        if (prm.in === 'path') expect(prm.required).toBe(true);
        expect(() => ajv.compile(prm.schema)).not.toThrow();
      }
      if (op.requestBody) expect(() => ajv.compile(op.requestBody.content['application/json'].schema)).not.toThrow();
    }
  }
});

test('POST /publish: a valid body matches its schema, invalid ones do not', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  for (const p of ['/crosspost/publish', '/api/crosspost/publish']) {
    const validate = ajv.compile(doc.paths[p].post.requestBody.content['application/json'].schema);
    expect(validate({ contentType: 'api::article.article', documentId: 'abc123', platforms: ['devto'], action: 'publish', mode: 'draft', delayMs: 0, force: true })).toBe(true);
    expect(validate({ contentType: 'api::article.article', documentId: 'abc123' })).toBe(true);
    expect(validate({ documentId: 'abc123' })).toBe(false); // contentType required
    expect(validate({ contentType: 'article', documentId: 'abc123' })).toBe(false); // not a UID
    expect(validate({ contentType: 'api::article.article', documentId: 'abc123', action: 'delete' })).toBe(false);
    expect(validate({ contentType: 'api::article.article', documentId: 'abc123', platforms: ['myspace'] })).toBe(false);
    expect(validate({ contentType: 'api::article.article', documentId: 'abc123', extra: 1 })).toBe(false); // strict
  }
});

test('the document is admin only: no credentials, no document; not on the content API', async () => {
  expect((await request(app.httpServer).get('/crosspost/openapi.json')).status).toBe(401);
  expect((await request(app.httpServer).get('/api/crosspost/openapi.json')).status).toBe(404);
});
