/**
 * Doors and locks: who may call which route on which entry (admin RBAC + Content Manager rights),
 * which API tokens reach the content API, which locale names an entry, and the bounds on inputs.
 * Also run with TEST_PLUGIN_LOAD=folder (npm test does): the plugin loaded from a package folder with
 * its own @strapi/utils, where an error thrown with that copy's classes would turn into a 500.
 */
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, createApiToken, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor, waitForStatus } from '../helpers/publications';

const GUIDE_UID = 'api::guide.guide';
const PASSWORD = 'Role-Passw0rd!';
let devto: DevtoSimulator;
let app: TestApp;
const jwt: Record<string, string> = {};
let userIds: Record<string, number> = {};

const CM = (action: string) => `plugin::content-manager.explorer.${action}`;
const cmRights = (subject: string, extra: { conditions?: string[]; locales?: string[] } = {}) =>
  ['read', 'update', 'publish', 'create'].map((a) => ({
    action: CM(a),
    subject,
    properties: { ...(a === 'publish' ? {} : { fields: subject === ARTICLE_UID ? ['title', 'slug', 'description', 'body', 'bodyMarkdown', 'tags', 'cover'] : ['title', 'body'] }), ...(extra.locales ? { locales: extra.locales } : {}) },
    conditions: extra.conditions ?? [],
  }));
const crosspost = (...actions: string[]) => actions.map((a) => ({ action: `plugin::crosspost.${a}`, subject: null, properties: {}, conditions: [] }));

async function roleUser(name: string, permissions: object[]): Promise<void> {
  const roles = app.strapi.service('admin::role') as any;
  const role = await roles.create({ name, description: name });
  await roles.assignPermissions(role.id, permissions);
  const email = `${name}@example.com`;
  const user = await (app.strapi.service('admin::user') as any).create({ email, firstname: name, lastname: 'T', password: PASSWORD, isActive: true, registrationToken: null, roles: [role.id] });
  userIds[name] = user.id;
  const res = await request(app.httpServer).post('/admin/login').send({ email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status}`);
  jwt[name] = res.body.data.token;
}

const docs = (uid: string) => app.strapi.documents(uid as never) as any;
let theirs: { documentId: string; rowId: number };
let mine: { documentId: string };
let guide: { documentId: string };

async function published(title: string, createdBy?: number) {
  const doc = await docs(ARTICLE_UID).create({ data: { title, slug: title.toLowerCase().replace(/\W+/g, '-'), body: blocksBody(`${title} body`) } });
  if (createdBy) await app.strapi.db.query(ARTICLE_UID as never).updateMany({ where: { documentId: doc.documentId }, data: { createdBy } });
  await docs(ARTICLE_UID).publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
  return { documentId: doc.documentId as string, rowId: row.id as number };
}

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startTestApp({ CROSSPOST_DEVTO_API_KEY: 'devto-access-key-123', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
  devto.apiKeys['devto-access-key-123'] = { id: 9, username: 'access', name: 'Access' };
  jwt.super = await createAdmin(app);
  await (app.strapi.plugin('i18n').service('locales') as any).create({ code: 'fr', name: 'French (fr)' });
  await roleUser('reader', [...crosspost('read'), ...cmRights(ARTICLE_UID)]);
  await roleUser('nocm', crosspost('read', 'publish'));
  await roleUser('author', [...crosspost('read', 'publish'), ...cmRights(ARTICLE_UID, { conditions: ['admin::is-creator'] })]);
  await roleUser('freditor', [...crosspost('read', 'publish'), ...cmRights(GUIDE_UID, { locales: ['fr'] })]);
  theirs = await published('Access theirs');
  mine = await published('Access mine', userIds.author);
  const g = await docs(GUIDE_UID).create({ data: { title: 'Guide en', body: 'English' }, locale: 'en' });
  await docs(GUIDE_UID).update({ documentId: g.documentId, locale: 'fr', data: { title: 'Guide fr', body: 'Français' } });
  guide = { documentId: g.documentId };
}, 400000);

afterAll(async () => {
  await app?.stop();
  await devto?.close();
});

const call = (who: string | null, method: string, path: string, body?: object) => {
  let r = (request(app.httpServer) as any)[method.toLowerCase()](path);
  if (who) r = r.set('Authorization', `Bearer ${jwt[who]}`);
  return body && method !== 'GET' ? r.send(body) : r;
};

interface LiveRoute { method: string; path: string; action: string }
function liveAdminRoutes(): LiveRoute[] {
  const routes = (app.strapi.plugin('crosspost') as any).routes.admin.routes as any[];
  return routes.map((r) => ({ method: r.method, path: r.path, action: r.config?.policies?.[0]?.config?.actions?.[0] }));
}
const NAMES_ENTRY = [/^\/publications\/:id(\/|$)/, /^\/(sync|entry-settings|publish|preview)$/];

function requestFor(route: LiveRoute): { path: string; body?: object } {
  const target = { contentType: ARTICLE_UID, documentId: theirs.documentId };
  const path = `/crosspost${route.path.replace(':id', String(theirs.rowId))}`;
  if (route.method === 'GET') return { path: `${path}?${new URLSearchParams(NAMES_ENTRY.some((re) => re.test(route.path)) && !route.path.includes(':id') ? target : {})}` };
  return { path, body: route.path === '/entry-settings' ? { ...target, platforms: {} } : route.path.includes(':id') ? {} : target };
}

type Who = 'super' | 'reader' | 'nocm' | 'author' | null;
function expected(who: Who, route: LiveRoute): 'allowed' | 401 | 403 {
  if (who === null) return 401;
  if (who === 'super') return 'allowed';
  const action = route.action?.split('.').pop();
  const has = { reader: ['read'], nocm: ['read', 'publish'], author: ['read', 'publish'] }[who];
  if (!action || !has.includes(action)) return 403;
  // "theirs" is not the author's own entry; nocm has no Content Manager rights at all.
  const names = NAMES_ENTRY.some((re) => re.test(route.path));
  if (names && (who === 'nocm' || who === 'author')) return 403;
  return 'allowed';
}

test('RBAC matrix: every admin route × each kind of caller → the expected status', async () => {
  const routes = liveAdminRoutes();
  expect(routes.length).toBeGreaterThanOrEqual(8);
  const mismatches: string[] = [];
  // Refusals first, super admin last (its calls may change the row).
  for (const who of [null, 'reader', 'nocm', 'author', 'super'] as Who[]) {
    for (const route of routes) {
      const { path, body } = requestFor(route);
      const res = await call(who, route.method, path, body);
      const want = expected(who, route);
      const ok = want === 'allowed' ? res.status < 500 && res.status !== 401 && res.status !== 403 : res.status === want;
      if (!ok) mismatches.push(`${who ?? 'no token'} ${route.method} ${route.path}: got ${res.status}, want ${want} ${JSON.stringify(res.body?.error?.message ?? '')}`);
    }
  }
  expect(mismatches).toEqual([]);
}, 400000);

test('an author limited to its own entries can act on its own, not on others\'', async () => {
  const target = { contentType: ARTICLE_UID, documentId: mine.documentId };
  await call('author', 'POST', '/crosspost/sync', target).expect(200);
  await call('author', 'GET', `/crosspost/entry-settings?${new URLSearchParams(target)}`).expect(200);
  await call('author', 'POST', '/crosspost/sync', { ...target, documentId: theirs.documentId }).expect(403);
  await call('author', 'POST', `/crosspost/publications/${theirs.rowId}/retry`).expect(403);
});

test('a role limited to one locale acts on that locale only', async () => {
  const body = { contentType: GUIDE_UID, documentId: guide.documentId };
  await call('freditor', 'PUT', '/crosspost/entry-settings', { ...body, locale: 'fr', platforms: { devto: { enabled: false } } }).expect(200);
  await call('freditor', 'PUT', '/crosspost/entry-settings', { ...body, locale: 'en', platforms: { devto: { enabled: false } } }).expect(403);
  await call('freditor', 'POST', '/crosspost/sync', { ...body, locale: 'en' }).expect(403);
});

test('the locale must fit the type: none on a type without i18n, one of the app\'s on a localized one', async () => {
  const res = await call('super', 'POST', '/crosspost/sync', { contentType: ARTICLE_UID, documentId: theirs.documentId, locale: 'zz' }).expect(400);
  expect(res.body.error.message).toMatch(/not localized/);
  const before = await app.strapi.db.query('plugin::crosspost.publication').count({ where: { targetDocumentId: theirs.documentId } });
  expect(before).toBe(1); // no second row keyed by "zz"
  const missing = await call('super', 'POST', '/crosspost/sync', { contentType: GUIDE_UID, documentId: guide.documentId }).expect(400);
  expect(missing.body.error.message).toMatch(/locale: required.*en, fr|locale: required.*fr, en/);
  const foreign = await call('super', 'GET', `/crosspost/entry-settings?contentType=${GUIDE_UID}&documentId=${guide.documentId}&locale=zz`).expect(400);
  expect(foreign.body.error.message).toMatch(/"zz" is not a locale of this app/);
  await call('super', 'GET', `/crosspost/entry-settings?contentType=${GUIDE_UID}&documentId=${guide.documentId}&locale=fr`).expect(200);
});

test('content API: no token, read-only, custom without the scope → refused; scoped custom → allowed', async () => {
  const tokens = app.strapi.service('admin::api-token') as any;
  const mk = async (type: string, permissions?: string[]) =>
    (await tokens.create({ name: `t-${type}-${permissions?.length ?? 0}-${Date.now()}`, type, kind: 'content-api', lifespan: null, ...(permissions ? { permissions } : {}) })).accessKey as string;
  const readOnly = await mk('read-only');
  const customNone = await mk('custom', ['plugin::crosspost.publication.sync']);
  const customList = await mk('custom', ['plugin::crosspost.publication.list', 'plugin::crosspost.publication.inspect']);
  const full = await createApiToken(app);
  const get = (p: string, t?: string) => (t ? request(app.httpServer).get(p).set('Authorization', `Bearer ${t}`) : request(app.httpServer).get(p));
  expect((await get('/api/crosspost/publications')).status).toBe(403);
  expect((await get('/api/crosspost/publications', readOnly)).status).toBe(403);
  expect((await get(`/api/crosspost/publications/${theirs.rowId}`, readOnly)).status).toBe(403);
  expect((await get('/api/crosspost/publications', customNone)).status).toBe(403);
  expect((await get('/api/crosspost/publications', customList)).status).toBe(200);
  expect((await get(`/api/crosspost/publications/${theirs.rowId}`, customList)).status).toBe(200);
  expect((await request(app.httpServer).post('/api/crosspost/sync').set('Authorization', `Bearer ${customList}`).send({ contentType: ARTICLE_UID, documentId: theirs.documentId })).status).toBe(403);
  expect((await get('/api/crosspost/publications', full)).status).toBe(200);
});

test('no content-API action is named find/findOne (read-only tokens may call those)', () => {
  const routes = (app.strapi.plugin('crosspost') as any).routes['content-api'].routes as any[];
  expect(routes.length).toBeGreaterThan(0);
  expect(routes.filter((r) => /find(One)?$/.test(r.handler))).toEqual([]);
});

test('bad input is a 400 (never a 500 or a database error), also when the plugin is loaded from a folder', async () => {
  const bad = [
    '/publications?status=bogus', '/publications?pageSize=1000', '/publications?foo=1', '/publications/abc',
    '/publications/2147483648', '/publications/1e3', '/publications/0x10', '/publications/1.0', '/publications/-1',
    '/publications?page=1e21', '/publications?page=100001', `/publications?entryDocumentId=${'x'.repeat(256)}`,
    `/publications?status=${Array(30).fill('published').join(',')}`,
  ];
  for (const p of bad) {
    const res = await call('super', 'GET', `/crosspost${p}`);
    expect([p, res.status, res.body.error?.name]).toEqual([p, 400, 'ValidationError']);
  }
  await call('super', 'GET', '/crosspost/publications/99999').expect(404);
  await call('super', 'GET', '/crosspost/publications/2147483647').expect(404);
  await call('super', 'POST', '/crosspost/sync', { contentType: ARTICLE_UID, documentId: 'd'.repeat(256) }).expect(400);
  await call('super', 'POST', `/crosspost/publications/${theirs.rowId}/confirm`, { url: `https://dev.to/${'a'.repeat(300)}` }).expect(400);
  const dup = await call('super', 'GET', '/crosspost/publications?status=published,published&platform=devto&platform=devto').expect(200);
  expect(dup.body.data.length).toBeGreaterThan(0);
  // % and _ are literal characters in a title search, not wildcards.
  for (const q of ['%', '_', '%_%']) expect((await call('super', 'GET', `/crosspost/publications?q=${encodeURIComponent(q)}`).expect(200)).body.data).toEqual([]);
});

test('a title longer than the column is shortened on the row (the planner insert does not fail)', async () => {
  const doc = await docs(ARTICLE_UID).create({ data: { title: 'Access short title', slug: 'access-short-title', body: blocksBody('short') } });
  await docs(ARTICLE_UID).publish({ documentId: doc.documentId });
  // Longer than Strapi's own string limit lets through its API: written directly, as a long text field mapped as the title would be.
  // PostgreSQL enforces the string column's 255 characters; widen it the way a text field would be.
  if (process.env.DATABASE_CLIENT === 'postgres') await app.strapi.db.connection.raw('ALTER TABLE articles ALTER COLUMN title TYPE text');
  await app.strapi.db.query(ARTICLE_UID as never).updateMany({ where: { documentId: doc.documentId }, data: { title: `Long ${'t'.repeat(300)}` } });
  await call('super', 'POST', '/crosspost/sync', { contentType: ARTICLE_UID, documentId: doc.documentId }).expect(200);
  const row = await waitFor(async () => {
    const r = await rowFor(app.strapi, doc.documentId, 'devto');
    return r && Array.from((r.title as string) ?? '').length === 255 ? r : null;
  }, { timeoutMs: 30000, what: 'row title shortened to 255 characters' });
  // The row holds the shortened title (DEV itself may then refuse a title that long: that is the post's business).
  expect(row.title).toMatch(/^Long t+…$/);
});

test('/sync of a published entry whose platforms are all off plans nothing and unpublishes nothing', async () => {
  const target = { contentType: ARTICLE_UID, documentId: mine.documentId };
  await call('super', 'PUT', '/crosspost/entry-settings', { ...target, platforms: { devto: { enabled: false } } }).expect(200);
  await call('super', 'POST', '/crosspost/sync', target).expect(200);
  const row = await rowFor(app.strapi, mine.documentId, 'devto');
  expect(row).toMatchObject({ desired: 'published', status: 'published' });
});

test('confirm: only http(s) URLs of a post of the configured DEV account; the id comes from DEV', async () => {
  const { documentId, rowId } = await published('Access confirm');
  const row = await rowFor(app.strapi, documentId, 'devto');
  const posted = { id: row!.remoteId as string, url: row!.remoteUrl as string };
  expect(posted.url).toMatch(/^http/);
  const unconfirm = () =>
    app.strapi.db.query('plugin::crosspost.publication').update({ where: { id: rowId }, data: { status: 'unconfirmed', desired: 'published', remoteId: null, remoteUrl: null } });
  await unconfirm();
  const confirm = (url: string) => call('super', 'POST', `/crosspost/publications/${rowId}/confirm`, { url, remoteId: '999' });
  for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'https://evil.example.com/x', 'ftp://dev.to/x']) {
    const res = await confirm(url);
    expect([url, res.status]).toEqual([url, 400]);
  }
  const stranger = await confirm(`${devto.url}/someone-else/not-ours-123`);
  expect(stranger.status).toBe(400);
  expect(stranger.body.error.message).toMatch(/no post of the configured account/);
  expect((await rowFor(app.strapi, documentId, 'devto'))!.status).toBe('unconfirmed');
  const good = await confirm(posted.url);
  expect([good.status, good.body.error?.message]).toEqual([200, undefined]);
  // The id DEV gave, not the URL and not the remoteId the caller sent.
  expect(await rowFor(app.strapi, documentId, 'devto')).toMatchObject({ status: 'published', remoteId: String(posted.id), remoteUrl: posted.url });
});
