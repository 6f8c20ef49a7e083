/**
 * POST /publish (admin and content API), the attempts list, the payload preview and the watched content
 * types: real Strapi, real Redis, the DEV simulator over HTTP.
 */
import request from 'supertest';
import { type DevtoSimulator } from '../simulators/devto';
import { waitFor, type TestApp } from '../helpers/strapi';
import { adminRoutes, startDevtoApp, type DevtoApp } from '../helpers/devto-app';
import { ARTICLE_UID, PUBLICATION_UID, blocksBody, rowFor, rowsFor, waitForStatus } from '../helpers/publications';

jest.setTimeout(180_000);

const KEY = 'devto-api-publish-key';
let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let token: string;
let ctx: DevtoApp | undefined;

beforeAll(async () => {
  ctx = await startDevtoApp({ key: KEY, account: { id: 11, username: 'pub', name: 'Pub' }, apiToken: true });
  ({ devto, app, jwt } = ctx);
  token = ctx.token!;
});

afterAll(async () => {
  await ctx?.stop();
});

const admin = adminRoutes(() => app, () => jwt);
const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;

/** A published article whose automatic cross-post was switched off, so only /publish sends it. */
async function quietArticle(title: string, slug: string) {
  const doc = await docs().create({ data: { title, slug, body: blocksBody(`${title} body`) } });
  await request(app.httpServer)
    .put('/crosspost/entry-settings')
    .set('Authorization', `Bearer ${jwt}`)
    .send({ contentType: ARTICLE_UID, documentId: doc.documentId, platforms: { devto: { enabled: false } } })
    .expect(200);
  await docs().publish({ documentId: doc.documentId });
  return doc as { documentId: string };
}

const articlesWith = (slug: string) => devto.articles.filter((a) => a.canonicalUrl === `https://blog.example.com/posts/${slug}`);

test('POST /publish → 202 with the row it created; the post goes live; force re-sends exactly once', async () => {
  const doc = await quietArticle('Publish endpoint', 'publish-endpoint');
  // The entry setting kept it off DEV: nothing was planned by the publish itself.
  await new Promise((r) => setTimeout(r, 300));
  expect(await rowFor(app.strapi, doc.documentId, 'devto')).toBeNull();

  const res = await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'] }).expect(202);
  expect(res.body.data.publications).toHaveLength(1);
  expect(res.body.data.publications[0]).toMatchObject({ platform: 'devto', entryDocumentId: doc.documentId, contentType: ARTICLE_UID });
  expect(res.body.data.results).toEqual({ devto: 'queued' });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  expect(articlesWith('publish-endpoint')).toHaveLength(1);

  // Unchanged payload: nothing is sent, the answer lists no changed row.
  const same = await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'] }).expect(202);
  expect(same.body.data).toEqual({ results: { devto: 'unchanged' }, publications: [] });

  const putsBefore = devto.server.requestsTo('PUT', `/api/articles/${row.remoteId}`).length;
  const forced = await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'], force: true }).expect(202);
  expect(forced.body.data.publications.map((p: any) => p.id)).toEqual([row.id]);
  await waitFor(async () => (await rowFor(app.strapi, doc.documentId, 'devto'))?.jobSeq > row.jobSeq && (await rowFor(app.strapi, doc.documentId, 'devto'))?.status === 'published', { what: 'forced update' });
  // Let any stray second job run before counting.
  await new Promise((r) => setTimeout(r, 500));
  expect(devto.server.requestsTo('PUT', `/api/articles/${row.remoteId}`).length - putsBefore).toBe(1);
  expect(articlesWith('publish-endpoint')).toHaveLength(1);
});

test('mode draft creates a draft on DEV; action unpublish takes it down', async () => {
  const doc = await quietArticle('Publish draft mode', 'publish-draft-mode');
  await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'], mode: 'draft' }).expect(202);
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  expect(row.remoteState).toBe('draft');
  expect(articlesWith('publish-draft-mode')[0].published).toBe(false);

  const un = await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, action: 'unpublish' }).expect(202);
  expect(un.body.data.results).toEqual({ devto: 'queued' });
  await waitForStatus(app.strapi, doc.documentId, 'devto', ['unpublished']);
});

test('content API: a full-access token can publish; without a token it cannot', async () => {
  const doc = await quietArticle('Publish by token', 'publish-by-token');
  await request(app.httpServer).post('/api/crosspost/publish').send({ contentType: ARTICLE_UID, documentId: doc.documentId }).expect(403);
  const res = await request(app.httpServer)
    .post('/api/crosspost/publish')
    .set('Authorization', `Bearer ${token}`)
    .send({ contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'], delayMs: 0 })
    .expect(202);
  expect(res.body.data.publications[0].platform).toBe('devto');
  await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
});

test('POST /publish: 400 for bad input (naming the field), 404 for an unknown entry, 409 for an entry never published', async () => {
  const doc = await quietArticle('Publish invalid', 'publish-invalid');
  const bad = async (body: unknown, pattern: RegExp) => {
    const res = await admin.post('/publish', body).expect(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message).toMatch(pattern);
  };
  await bad({ documentId: doc.documentId }, /contentType/);
  await bad({ contentType: ARTICLE_UID, documentId: 'x'.repeat(256) }, /documentId/);
  await bad({ contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['myspace'] }, /platforms\.0/);
  await bad({ contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['hashnode'] }, /hashnode is not available/);
  await bad({ contentType: ARTICLE_UID, documentId: doc.documentId, delayMs: -1 }, /delayMs/);
  await bad({ contentType: ARTICLE_UID, documentId: doc.documentId, force: 'yes' }, /force/);
  await bad({ contentType: ARTICLE_UID, documentId: doc.documentId, extra: 1 }, /Unrecognized key/);
  // The type has no i18n: a locale would key a second row (and a second post).
  await bad({ contentType: ARTICLE_UID, documentId: doc.documentId, locale: 'zz' }, /locale/);
  await bad({ contentType: 'api::tag.tag', documentId: doc.documentId }, /not a content type the plugin watches/);
  await bad({ contentType: 'api::nope.nope', documentId: doc.documentId }, /not a content type of this app/);

  const missing = await admin.post('/publish', { contentType: ARTICLE_UID, documentId: 'doesnotexist000000000000' }).expect(404);
  expect(missing.body.error.name).toBe('NotFoundError');

  const draft = await docs().create({ data: { title: 'Only a draft', slug: 'only-a-draft', body: blocksBody('draft') } });
  const c = await admin.post('/publish', { contentType: ARTICLE_UID, documentId: draft.documentId }).expect(409);
  expect(c.body.error.message).toMatch(/not published/);
  expect(await rowsFor(app.strapi, draft.documentId)).toEqual([]);
});

test('GET /publications/:id/attempts is paginated, newest first; 400 for ids that are not plain integers, 404 for none', async () => {
  const doc = await quietArticle('Attempts list', 'attempts-list');
  await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'] }).expect(202);
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  await admin.post('/publish', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'], force: true }).expect(202);
  await waitFor(async () => (await app.strapi.db.query('plugin::crosspost.attempt').count({ where: { publicationId: row.id } })) >= 2, { what: 'two attempts' });

  const page1 = await admin.get(`/publications/${row.id}/attempts?pageSize=1`).expect(200);
  expect(page1.body.meta.pagination).toEqual({ page: 1, pageSize: 1, total: 2, pageCount: 2 });
  expect(page1.body.data.map((a: any) => [a.operation, a.outcome])).toEqual([['update', 'success']]);
  const page2 = await admin.get(`/publications/${row.id}/attempts?pageSize=1&page=2`).expect(200);
  expect(page2.body.data.map((a: any) => [a.operation, a.outcome])).toEqual([['create', 'success']]);
  expect(typeof page2.body.data[0].durationMs).toBe('number');

  for (const id of ['abc', '1e3', '0x10', '2147483648', '-1', '0']) await admin.get(`/publications/${id}/attempts`).expect(400);
  await admin.get(`/publications/${row.id}/attempts?pageSize=101`).expect(400);
  await admin.get(`/publications/${row.id}/attempts?page=1e3`).expect(400);
  await admin.get('/publications/2147483647/attempts').expect(404);
  await request(app.httpServer).get(`/api/crosspost/publications/${row.id}/attempts`).set('Authorization', `Bearer ${token}`).expect(200);
});

test('GET /preview: the exact Markdown and fields per platform, warnings and blocking problems; sends and writes nothing', async () => {
  const doc = await docs().create({
    data: { title: 'Preview me', slug: 'preview-me', description: 'Short summary', body: blocksBody('Preview body paragraph') },
  });
  const rowsBefore = await app.strapi.db.query(PUBLICATION_UID).count();
  const requestsBefore = devto.server.requests.length;

  const res = await admin.get(`/preview?contentType=${ARTICLE_UID}&documentId=${doc.documentId}`).expect(200);
  expect(res.body.data.map((p: any) => p.platform)).toEqual(['devto', 'hashnode', 'medium']);
  const dev = res.body.data[0];
  expect(dev).toMatchObject({ platform: 'devto', configured: true, willPost: true, mode: 'publish', blocking: [] });
  expect(dev.fields).toMatchObject({ title: 'Preview me', canonicalUrl: 'https://blog.example.com/posts/preview-me', description: 'Short summary' });
  expect(dev.markdown).toContain('Preview body paragraph');
  expect(dev.payload.article.body_markdown).toBe(dev.markdown);
  expect(res.body.data[1]).toMatchObject({ platform: 'hashnode', configured: false, willPost: false, markdown: null });
  expect(res.body.data[1].blocking[0]).toMatch(/Hashnode is not configured/);

  // A title DEV would refuse is a blocking problem, before anything is sent.
  await docs().update({ documentId: doc.documentId, data: { title: 'T'.repeat(140) } });
  const only = await admin.get(`/preview?contentType=${ARTICLE_UID}&documentId=${doc.documentId}&platform=devto`).expect(200);
  expect(only.body.data).toHaveLength(1);
  expect(only.body.data[0].willPost).toBe(false);
  expect(only.body.data[0].blocking.join(' ')).toMatch(/DEV titles are limited to 128 characters/);

  expect(await app.strapi.db.query(PUBLICATION_UID).count()).toBe(rowsBefore);
  expect(devto.server.requests.length).toBe(requestsBefore);

  await admin.get(`/preview?contentType=${ARTICLE_UID}&documentId=nope000000000000000000`).expect(404);
  await admin.get(`/preview?contentType=${ARTICLE_UID}`).expect(400);
  await admin.get(`/preview?contentType=${ARTICLE_UID}&documentId=${doc.documentId}&platform=myspace`).expect(400);
  await admin.get(`/preview?contentType=${ARTICLE_UID}&documentId=${doc.documentId}&locale=fr`).expect(400);
});

test('GET /content-types lists the watched types with kind, Draft & Publish and i18n', async () => {
  const res = await admin.get('/content-types').expect(200);
  const byUid = Object.fromEntries(res.body.data.map((t: any) => [t.uid, t]));
  expect(Object.keys(byUid).sort()).toEqual(['api::article.article', 'api::guide.guide', 'api::note.note']);
  expect(byUid['api::article.article']).toMatchObject({ displayName: 'Article', kind: 'collectionType', draftAndPublish: true, localized: false, locales: [] });
  expect(byUid['api::note.note'].draftAndPublish).toBe(false);
  // The localized type lists the app's locales.
  expect(byUid['api::guide.guide'].localized).toBe(true);
  expect(byUid['api::guide.guide'].locales.length).toBeGreaterThan(0);
  await request(app.httpServer).get('/crosspost/content-types').expect(401);
});

/** An admin whose role has the given permissions, logged in. */
async function adminWithRole(email: string, permissions: Array<{ action: string; subject?: string }>): Promise<string> {
  const roles = app.strapi.service('admin::role') as any;
  const role = await roles.create({ name: `role ${email}`, description: 'test' });
  await roles.assignPermissions(role.id, permissions.map((p) => ({ ...p, properties: {}, conditions: [] })));
  const password = 'Role-Passw0rd!';
  await (app.strapi.service('admin::user') as any).create({ email, firstname: 'R', lastname: 'R', password, isActive: true, registrationToken: null, roles: [role.id] });
  const res = await request(app.httpServer).post('/admin/login').send({ email, password });
  expect(res.status).toBe(200);
  return res.body.data.token;
}

test('the caller must be allowed to act on the entry in the Content Manager', async () => {
  const doc = await quietArticle('Publish rights', 'publish-rights');
  const crosspostOnly = await adminWithRole('crosspost-only@example.com', [{ action: 'plugin::crosspost.read' }, { action: 'plugin::crosspost.publish' }]);
  const body = { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: ['devto'] };
  const denied = await request(app.httpServer).post('/crosspost/publish').set('Authorization', `Bearer ${crosspostOnly}`).send(body).expect(403);
  expect(denied.body.error.message).toMatch(/cannot act on this entry: your role lacks the Content Manager rights/);
  await request(app.httpServer).get(`/crosspost/preview?contentType=${ARTICLE_UID}&documentId=${doc.documentId}`).set('Authorization', `Bearer ${crosspostOnly}`).expect(403);
  expect(await rowFor(app.strapi, doc.documentId, 'devto')).toBeNull();

  const editor = await adminWithRole('crosspost-editor@example.com', [
    { action: 'plugin::crosspost.read' },
    { action: 'plugin::crosspost.publish' },
    { action: 'plugin::content-manager.explorer.read', subject: ARTICLE_UID },
    { action: 'plugin::content-manager.explorer.publish', subject: ARTICLE_UID },
  ]);
  await request(app.httpServer).post('/crosspost/publish').set('Authorization', `Bearer ${editor}`).send(body).expect(202);
  await request(app.httpServer).get(`/crosspost/preview?contentType=${ARTICLE_UID}&documentId=${doc.documentId}`).set('Authorization', `Bearer ${editor}`).expect(200);
  await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
});

test('content API tokens: read-only is refused, a custom token needs the route scope', async () => {
  const tokens = app.strapi.service('admin::api-token') as any;
  const readOnly = (await tokens.create({ name: 'ro', description: '', type: 'read-only', kind: 'content-api', lifespan: null })).accessKey;
  const scoped = (await tokens.create({ name: 'scoped', description: '', type: 'custom', kind: 'content-api', lifespan: null, permissions: ['plugin::crosspost.stats.summary'] })).accessKey;
  await request(app.httpServer).get('/api/crosspost/stats').set('Authorization', `Bearer ${readOnly}`).expect(403);
  await request(app.httpServer).get('/api/crosspost/content-types').set('Authorization', `Bearer ${readOnly}`).expect(403);
  await request(app.httpServer).get('/api/crosspost/stats').set('Authorization', `Bearer ${scoped}`).expect(200);
  await request(app.httpServer).get('/api/crosspost/content-types').set('Authorization', `Bearer ${scoped}`).expect(403);
  await request(app.httpServer).post('/api/crosspost/publish').set('Authorization', `Bearer ${scoped}`).send({ contentType: ARTICLE_UID, documentId: 'x' }).expect(403);
});

test('two planners planning the same new publish at once (plan job and missed-publish sweep): the first keeps its row and job', async () => {
  // A published entry with no rows yet, written straight to the database so no event plans it.
  const data = { title: 'Planned twice', slug: 'planned-twice', body: blocksBody('Planned twice body') };
  const draft = await docs().create({ data });
  await app.strapi.db.query(ARTICLE_UID as never).create({ data: { ...data, documentId: draft.documentId, publishedAt: new Date() } });
  const target = { contentType: ARTICLE_UID, documentId: draft.documentId };
  const service = app.strapi.plugin('crosspost').service('publications') as { sync(t: typeof target): Promise<unknown> };
  await Promise.all([service.sync(target), service.sync(target)]);
  const row = await waitForStatus(app.strapi, draft.documentId, 'devto', ['published']);
  // The second planner saw the row the first had just created for the same content and left it: one job, one post.
  expect(row.jobSeq).toBe(1);
  const creates = devto.server.requestsTo('POST', '/api/articles').filter((r) => JSON.stringify(r.body ?? {}).includes('/posts/planned-twice"'));
  expect(creates).toHaveLength(1);
});
