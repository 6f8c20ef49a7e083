/**
 * The REST surface: list / inspect / retry / cancel / confirm / sync, for admins (JWT + RBAC) and for
 * scripts (API tokens on the content API). Bad input is a 400 naming the field; an action that does not
 * fit the row's state is a 409 saying why; credentials never appear in a response.
 */
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, createApiToken, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor, waitForStatus } from '../helpers/publications';

let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let token: string;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startTestApp({ CROSSPOST_DEVTO_API_KEY: 'devto-secret-key-123', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
  devto.apiKeys['devto-secret-key-123'] = { id: 7, username: 'routes', name: 'Routes' };
  jwt = await createAdmin(app);
  token = await createApiToken(app);
});

afterAll(async () => {
  await app?.stop();
  await devto?.close();
});

const admin = () => ({
  get: (p: string) => request(app.httpServer).get(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`),
  post: (p: string, body: object = {}) => request(app.httpServer).post(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).send(body),
  put: (p: string, body: object = {}) => request(app.httpServer).put(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).send(body),
});
const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;

async function publishedArticle(title: string, slug: string) {
  const doc = await docs().create({ data: { title, slug, body: blocksBody(`${title} body`) } });
  await docs().publish({ documentId: doc.documentId });
  return { doc, row: await waitForStatus(app.strapi, doc.documentId, 'devto') };
}

test('routes need authentication', async () => {
  await request(app.httpServer).get('/crosspost/publications').expect(401);
  await request(app.httpServer).get('/api/crosspost/publications').expect(403);
});

test('list filters by status, platform and title, with pagination; no secrets in the payload', async () => {
  const a = await publishedArticle('Routes alpha', 'routes-alpha');
  await publishedArticle('Routes beta', 'routes-beta');
  const res = await admin().get('/publications?status=published&platform=devto&q=ALPHA').expect(200);
  expect(res.body.data.map((p: any) => p.entryDocumentId)).toEqual([a.doc.documentId]);
  expect(res.body.data[0]).toMatchObject({ platform: 'devto', status: 'published', title: 'Routes alpha', contentType: ARTICLE_UID });
  expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 25, total: 1, pageCount: 1 });
  const page = await admin().get('/publications?pageSize=1&page=2&sort=title:asc').expect(200);
  expect(page.body.data).toHaveLength(1);
  expect(page.body.meta.pagination.total).toBeGreaterThanOrEqual(2);
  const all = await admin().get('/publications').expect(200);
  expect(JSON.stringify(all.body)).not.toContain('devto-secret-key-123');
  expect(all.body.data[0]).not.toHaveProperty('uniqueKey');
});

test('bad query values → 400 that names the field and what is allowed', async () => {
  const res = await admin().get('/publications?status=done&pageSize=500').expect(400);
  expect(res.body.error.name).toBe('ValidationError');
  expect(res.body.error.message).toMatch(/status\.0: Invalid enum value\. Expected 'pending' \| 'queued'/);
  expect(res.body.error.message).toMatch(/pageSize: must be at most 100/);
  await admin().get('/publications/abc').expect(400);
  await admin().get('/publications/999999').expect(404);
});

test('one publication with its attempt history', async () => {
  const { row } = await publishedArticle('Routes history', 'routes-history');
  const res = await admin().get(`/publications/${row.id}`).expect(200);
  expect(res.body.data.attemptsHistory.map((a: any) => [a.operation, a.outcome])).toEqual([['create', 'success']]);
});

test('cancel a waiting publication, then retry it', async () => {
  const doc = await docs().create({ data: { title: 'Routes wait', slug: 'routes-wait', body: blocksBody('wait') } });
  await admin().put('/entry-settings', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: { devto: { delayMs: 60000 } } }).expect(200);
  await docs().publish({ documentId: doc.documentId });
  const waiting = await waitForStatus(app.strapi, doc.documentId, 'devto', ['queued']);
  const canceled = await admin().post(`/publications/${waiting.id}/cancel`).expect(200);
  expect(canceled.body.data.status).toBe('canceled');
  const again = await admin().post(`/publications/${waiting.id}/cancel`).expect(409);
  expect(again.body.error.message).toBe('Only waiting publications can be canceled; this one is canceled.');

  await admin().post(`/publications/${waiting.id}/retry`).expect(200);
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  expect(devto.articles.filter((a) => a.title === 'Routes wait')).toHaveLength(1);
  const nothing = await admin().post(`/publications/${row.id}/retry`).expect(409);
  expect(nothing.body.error.message).toBe('Nothing to retry: the publication is published and up to date.');
});

test('confirm only applies where the plugin cannot know the outcome', async () => {
  const { row } = await publishedArticle('Routes confirm', 'routes-confirm');
  const res = await admin().post(`/publications/${row.id}/confirm`, { url: 'https://example.com/x' }).expect(409);
  expect(res.body.error.message).toMatch(/^Nothing to confirm: confirm applies to unconfirmed or outdated publications/);
  const bad = await admin().post(`/publications/${row.id}/confirm`, { url: 'not a url' }).expect(400);
  expect(bad.body.error.message).toMatch(/url: must be the full URL of the post/);
});

test('retry after a permanent failure runs it again once it is fixed', async () => {
  // DEV refuses the first create (401 for the key), then accepts after the "fix".
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 401, body: { error: 'unauthorized', status: 401 } });
  const doc = await docs().create({ data: { title: 'Routes failing', slug: 'routes-failing', body: blocksBody('x') } });
  await docs().publish({ documentId: doc.documentId });
  const failed = await waitForStatus(app.strapi, doc.documentId, 'devto');
  expect(failed.status).toBe('failed');
  expect(failed.lastError).toBe('DEV rejected the credentials (401). Check the API key/token in the plugin config.');
  const retried = await admin().post(`/publications/${failed.id}/retry`).expect(200);
  expect(['pending', 'queued', 'processing', 'published']).toContain(retried.body.data.status);
  const ok = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  expect(ok.attempts).toBe(0);
  expect(ok.lastError).toBeNull();
});

test('sync re-plans an entry on demand; content-API token works the same way', async () => {
  const { doc, row } = await publishedArticle('Routes sync', 'routes-sync');
  const res = await request(app.httpServer)
    .post('/api/crosspost/sync')
    .set('Authorization', `Bearer ${token}`)
    .send({ contentType: ARTICLE_UID, documentId: doc.documentId })
    .expect(200);
  expect(res.body.data.results).toEqual({ devto: 'unchanged' });
  const bad = await request(app.httpServer).post('/api/crosspost/sync').set('Authorization', `Bearer ${token}`).send({ contentType: 'article', documentId: 'x' }).expect(400);
  expect(bad.body.error.message).toMatch(/contentType: must be a content type UID/);
  const one = await request(app.httpServer).get(`/api/crosspost/publications/${row.id}`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(one.body.data.status).toBe('published');
  await waitFor(async () => (await rowFor(app.strapi, doc.documentId, 'devto'))?.status === 'published');
});

test('outcome events reach eventHub listeners and are allowed webhook events; no credentials inside', async () => {
  const seen: Array<{ event: string; payload: any }> = [];
  const offs = ['crosspost.published', 'crosspost.failed'].map((event) =>
    app.strapi.eventHub.on(event, async (payload: unknown) => {
      seen.push({ event, payload });
    }),
  );
  try {
    const { doc, row } = await publishedArticle('Routes events', 'routes-events');
    await waitFor(() => seen.some((s) => s.event === 'crosspost.published' && s.payload.publication.id === row.id));
    const ev = seen.find((s) => s.payload.publication.id === row.id)!;
    expect(ev.payload.publication).toMatchObject({ platform: 'devto', status: 'published', entryDocumentId: doc.documentId, remoteUrl: row.remoteUrl, title: 'Routes events' });
    expect(JSON.stringify(ev.payload)).not.toContain('devto-secret-key-123');
    const allowed = (app.strapi.get('webhookStore') as { allowedEvents: Map<string, string> }).allowedEvents;
    expect([...allowed.values()]).toEqual(expect.arrayContaining(['crosspost.published', 'crosspost.updated', 'crosspost.unpublished', 'crosspost.failed', 'crosspost.unconfirmed', 'crosspost.outdated']));
  } finally {
    offs.forEach((off: any) => typeof off === 'function' && off());
  }
});
