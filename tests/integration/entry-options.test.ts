/**
 * Per-entry options (kept by the plugin, not on the user's content type) and the pre-flight image check.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, startTestApp, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor, waitForReplan, waitForStatus } from '../helpers/publications';

let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let images: http.Server;
let imagesUrl: string;

beforeAll(async () => {
  // A tiny "public site" for the pre-flight check: one image exists, everything else is 404.
  images = http.createServer((req, res) => {
    if (req.url === '/static/ok.png') res.writeHead(200, { 'content-type': 'image/png' }).end();
    else if (req.url === '/static/page.png') res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;

  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startTestApp({
    CROSSPOST_DEVTO_API_KEY: 'devto-test-key',
    CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
    CROSSPOST_PUBLIC_URL: imagesUrl,
    CROSSPOST_PREFLIGHT_IMAGES: 'true',
    CROSSPOST_PREFLIGHT_ALLOW_PRIVATE: 'true',
  });
  jwt = await createAdmin(app);
});

afterAll(async () => {
  await app?.stop();
  await devto?.close();
  await new Promise((r) => images?.close(r));
});

const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;
const settings = (documentId: string, platforms: Record<string, unknown>) =>
  request(app.httpServer).put('/crosspost/entry-settings').set('Authorization', `Bearer ${jwt}`).send({ contentType: ARTICLE_UID, documentId, platforms });

test('draft per entry: DEV gets published:false and the row records a remote draft', async () => {
  const doc = await docs().create({ data: { title: 'Draft on DEV', slug: 'draft-on-dev', body: blocksBody('Not yet.') } });
  await settings(doc.documentId, { devto: { draft: true } }).expect(200);
  await docs().publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
  expect(row.status).toBe('published');
  expect(row.remoteState).toBe('draft');
  const article = devto.articles.find((a) => String(a.id) === row.remoteId)!;
  expect(article.published).toBe(false);
  expect(row.options).toEqual({ draft: true });
});

test('a platform switched off for an entry gets nothing', async () => {
  const doc = await docs().create({ data: { title: 'Site only', slug: 'site-only', body: blocksBody('Only here.') } });
  const res = await settings(doc.documentId, { devto: { enabled: false } }).expect(200);
  expect(res.body.data).toEqual({ platforms: { devto: { enabled: false } } });
  const before = devto.server.requests.length;
  await docs().publish({ documentId: doc.documentId });
  await new Promise((r) => setTimeout(r, 700));
  expect(await rowFor(app.strapi, doc.documentId, 'devto')).toBeNull();
  expect(devto.server.requests.length).toBe(before);
});

test('a delay per platform holds the first post back, and a republish meanwhile keeps the original moment', async () => {
  const doc = await docs().create({ data: { title: 'Later on DEV', slug: 'later-on-dev', body: blocksBody('v1') } });
  await settings(doc.documentId, { devto: { delayMs: 2500 } }).expect(200);
  const publishedAt = Date.now();
  await docs().publish({ documentId: doc.documentId });
  const waiting = await waitForStatus(app.strapi, doc.documentId, 'devto', ['queued']);
  const due = new Date(waiting.nextAttemptAt).getTime();
  expect(due - publishedAt).toBeGreaterThanOrEqual(2000);
  expect(due - publishedAt).toBeLessThan(4000);

  await docs().update({ documentId: doc.documentId, data: { body: blocksBody('v2') } });
  await docs().publish({ documentId: doc.documentId });
  const still = await waitForReplan(app.strapi, doc.documentId, 'devto', waiting);
  expect(still!.status).toBe('queued');
  expect(Math.abs(new Date(still!.nextAttemptAt).getTime() - due)).toBeLessThan(300);
  expect(devto.articles.find((a) => a.title === 'Later on DEV')).toBeUndefined();

  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published'], 10000);
  expect(Date.now() - publishedAt).toBeGreaterThanOrEqual(2000);
  const sent = devto.articles.filter((a) => a.title === 'Later on DEV');
  expect(sent).toHaveLength(1);
  expect(sent[0].bodyMarkdown).toContain('v2');
  expect(row.remoteId).toBe(String(sent[0].id));
});

test('pre-flight: unreachable or non-image media become warnings on the row; the post still goes out', async () => {
  // The app's own /uploads/ are looked up in the media library (not fetched); other hosts over HTTP.
  await app.strapi.db.query('plugin::upload.file' as never).create({
    data: { name: 'ok.png', hash: 'ok', ext: '.png', mime: 'image/png', size: 1, url: '/uploads/ok.png', provider: 'local' },
  });
  const doc = await docs().create({
    data: {
      title: 'Images checked',
      slug: 'images-checked',
      bodyMarkdown:
        '![fine](/uploads/ok.png)\n\n![gone](/uploads/missing.png)\n\n' +
        `![fine too](${imagesUrl}/static/ok.png)\n\n![away](${imagesUrl}/static/missing.png)\n\n![html](${imagesUrl}/static/page.png)`,
    },
  });
  await docs().publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
  expect(row.status).toBe('published');
  expect([...row.warnings].sort()).toEqual([
    `Image ${imagesUrl}/static/missing.png is not reachable from the internet; DEV, Hashnode and Medium will show it broken.`,
    `Image ${imagesUrl}/static/page.png is not served as an image; the platforms may not show it.`,
    `Image ${imagesUrl}/uploads/missing.png is not in the media library; it will show up broken on the platforms.`,
  ]);
});

test('settings are validated: unknown platform or a negative delay → 400 naming the field', async () => {
  const doc = await docs().create({ data: { title: 'x', slug: 'x-settings', body: blocksBody('x') } });
  const bad = await settings(doc.documentId, { myspace: { enabled: true } }).expect(400);
  expect(bad.body.error.message).toMatch(/platforms\.myspace/);
  const neg = await settings(doc.documentId, { devto: { delayMs: -5 } }).expect(400);
  expect(neg.body.error.message).toMatch(/platforms\.devto\.delayMs/);
  const got = await request(app.httpServer)
    .get('/crosspost/entry-settings')
    .query({ contentType: ARTICLE_UID, documentId: doc.documentId })
    .set('Authorization', `Bearer ${jwt}`)
    .expect(200);
  // Nothing saved; `defaults` says what applies instead (Settings → Cross-posting).
  expect(got.body.data).toEqual({ platforms: {}, defaults: { platforms: { devto: { enabled: true, mode: 'publish', draft: false, delayMs: 0 } } } });
});

test('GET /entry-defaults: what a new entry of a type gets, before it has a documentId; follows the settings; bad input → 400', async () => {
  const get = (query: Record<string, string>) => request(app.httpServer).get('/crosspost/entry-defaults').query(query).set('Authorization', `Bearer ${jwt}`);
  expect((await get({ contentType: ARTICLE_UID }).expect(200)).body.data).toEqual({ platforms: { devto: { enabled: true, mode: 'publish', draft: false, delayMs: 0 } } });

  const put = (body: object) => request(app.httpServer).put('/crosspost/settings').set('Authorization', `Bearer ${jwt}`).send(body).expect(200);
  await put({ defaults: { platforms: [] }, platforms: { devto: { defaults: { mode: 'draft', delayMs: 600000 } } } });
  try {
    expect((await get({ contentType: ARTICLE_UID }).expect(200)).body.data).toEqual({ platforms: { devto: { enabled: false, mode: 'draft', draft: true, delayMs: 600000 } } });
  } finally {
    await put({ defaults: { platforms: ['devto', 'hashnode', 'medium'] }, platforms: { devto: { defaults: { mode: 'publish', delayMs: 0 } } } });
  }

  expect((await get({ contentType: 'api::nope.nope' }).expect(400)).body.error.message).toMatch(/not a content type the plugin watches/);
  expect((await get({ contentType: 'article' }).expect(400)).body.error.message).toMatch(/contentType: must be a content type UID/);
  expect((await get({ contentType: ARTICLE_UID, documentId: 'x' }).expect(400)).body.error.message).toMatch(/documentId/);
  await request(app.httpServer).get('/crosspost/entry-defaults').query({ contentType: ARTICLE_UID }).expect(401);
  await request(app.httpServer).get('/api/crosspost/entry-defaults').query({ contentType: ARTICLE_UID }).expect((r) => expect([401, 403, 404]).toContain(r.status));
});

test('GET /entry-statuses: one list-view page of a type in one request, each entry\'s status per platform; bounded and validated', async () => {
  const live = await docs().create({ data: { title: 'Listed live', slug: 'listed-live', body: blocksBody('Live.') } });
  const draft = await docs().create({ data: { title: 'Listed draft', slug: 'listed-draft', body: blocksBody('Draft.') } });
  await docs().publish({ documentId: live.documentId });
  expect((await waitForStatus(app.strapi, live.documentId, 'devto')).status).toBe('published');
  const get = (query: Record<string, string | string[]>) => request(app.httpServer).get('/crosspost/entry-statuses').query(query).set('Authorization', `Bearer ${jwt}`);

  const ids = [live.documentId, draft.documentId, 'no-such-entry'];
  const byComma = (await get({ contentType: ARTICLE_UID, documentIds: ids.join(',') }).expect(200)).body.data;
  expect(byComma).toEqual({ [live.documentId]: [{ platform: 'devto', status: 'published' }] });
  // Repeated parameters (what a query-string library writes for an array) answer the same.
  expect((await get({ contentType: ARTICLE_UID, documentIds: ids }).expect(200)).body.data).toEqual(byComma);

  const many = Array.from({ length: 101 }, (_, i) => `doc${i}`).join(',');
  expect((await get({ contentType: ARTICLE_UID, documentIds: many }).expect(400)).body.error.message).toMatch(/documentIds: at most 100 documentIds per request/);
  expect((await get({ contentType: ARTICLE_UID, documentIds: ',' }).expect(400)).body.error.message).toMatch(/documentIds: give at least one documentId/);
  expect((await get({ documentIds: live.documentId }).expect(400)).body.error.message).toMatch(/contentType/);
  expect((await get({ contentType: 'api::nope.nope', documentIds: live.documentId }).expect(400)).body.error.message).toMatch(/not a content type the plugin watches/);
  expect((await get({ contentType: ARTICLE_UID, documentIds: live.documentId, locale: 'fr' }).expect(400)).body.error.message).toMatch(/locale: .* is not localized/);
  expect((await get({ contentType: ARTICLE_UID, documentIds: live.documentId, extra: '1' }).expect(400)).body.error.message).toMatch(/extra/);
  await request(app.httpServer).get('/crosspost/entry-statuses').query({ contentType: ARTICLE_UID, documentIds: live.documentId }).expect(401);
});
