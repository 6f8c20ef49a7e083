/**
 * Per-entry options (kept by the plugin, not on the user's content type) and the pre-flight image check.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, startTestApp, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor, waitForStatus } from '../helpers/publications';

let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let images: http.Server;
let imagesUrl: string;

beforeAll(async () => {
  // A tiny "public site" for the pre-flight check: one image exists, everything else is 404.
  images = http.createServer((req, res) => {
    if (req.url === '/uploads/ok.png') res.writeHead(200, { 'content-type': 'image/png' }).end();
    else if (req.url === '/uploads/page.png') res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
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
  await new Promise((r) => setTimeout(r, 400));
  const still = await rowFor(app.strapi, doc.documentId, 'devto');
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
  const doc = await docs().create({
    data: {
      title: 'Images checked',
      slug: 'images-checked',
      bodyMarkdown: '![fine](/uploads/ok.png)\n\n![gone](/uploads/missing.png)\n\n![html](/uploads/page.png)',
    },
  });
  await docs().publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
  expect(row.status).toBe('published');
  const warnings: string[] = row.warnings;
  expect(warnings).toContain(`Image ${imagesUrl}/uploads/missing.png answered 404; it will show up broken on the platforms.`);
  expect(warnings).toContain(`Image ${imagesUrl}/uploads/page.png is served as "text/html", not as an image; the platforms may not show it.`);
  expect(warnings.some((w) => w.includes('/uploads/ok.png'))).toBe(false);
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
  expect(got.body.data).toEqual({ platforms: {} });
});
