/**
 * A web node (CROSSPOST_WORKER=false): an editor's publish adds one crosspost:plan job naming the entry
 * (no content, no secrets) and plans nothing itself. Worker processes planning and posting such jobs are
 * covered by tests/fault/kill-worker.test.ts (an enqueue-only Strapi and killed worker processes). With no
 * worker anywhere, the web node's reconciler plans what waits, so that editors still see a row.
 */
import Bull from 'bull';
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { REDIS_URL, createApiToken, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowsFor } from '../helpers/publications';

let devto: DevtoSimulator;
let web: TestApp | undefined;
let planQueue: Bull.Queue | undefined;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
});

afterAll(async () => {
  await planQueue?.close();
  await web?.stop();
  await devto?.close();
});

test('the web node only adds a plan job naming the entry; nothing is planned or posted there', async () => {
  const env = { CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl };
  web = await startTestApp({ ...env, CROSSPOST_WORKER: 'false' });
  planQueue = new Bull('crosspost:plan', REDIS_URL, { prefix: web.prefix });
  const token = await createApiToken(web);

  const res = await request(web.httpServer)
    .post('/api/articles')
    .set('Authorization', `Bearer ${token}`)
    .send({ data: { title: 'Published on a web node', slug: 'published-on-a-web-node', body: blocksBody('Hello from the web node.') } })
    .expect(201);
  const documentId = res.body.data.documentId as string;

  const [job] = await waitFor(async () => {
    const jobs = await planQueue!.getWaiting();
    return jobs.length ? jobs : undefined;
  }, { what: 'a waiting plan job' });
  expect(job.data).toEqual({ uid: ARTICLE_UID, documentId, locale: '', action: 'publish' });
  // Still nothing planned: rendering and rows are the worker's.
  await new Promise((r) => setTimeout(r, 300));
  expect(await rowsFor(web.strapi, documentId)).toHaveLength(0);
  expect(devto.articles).toHaveLength(0);
});

test('with no worker running anywhere, the reconciler of the web node plans the waiting publish so that editors see it', async () => {
  await planQueue?.close();
  await web?.stop();
  const env = { CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl };
  web = await startTestApp({ ...env, CROSSPOST_WORKER: 'false', CROSSPOST_RECONCILE_MS: '300' });
  planQueue = new Bull('crosspost:plan', REDIS_URL, { prefix: web.prefix });
  const doc = await (web.strapi.documents(ARTICLE_UID as never) as any).create({ data: { title: 'Nobody plans me', slug: 'nobody-plans-me', body: blocksBody('Still shown.') } });
  await (web.strapi.documents(ARTICLE_UID as never) as any).publish({ documentId: doc.documentId });

  const rows = await waitFor(async () => {
    const found = await rowsFor(web!.strapi, doc.documentId);
    // A planned row is written 'pending' and becomes 'queued' once its job is in Redis: wait for the latter.
    return found.length && found.every((r) => r.status !== 'pending') ? found : undefined;
  }, { what: 'a row planned and queued by the reconciler' });
  expect(rows.map((r) => [r.platform, r.status])).toEqual([['devto', 'queued']]);
  // Planned, not posted: posting is a worker's job.
  expect(devto.articles.filter((a) => a.title === 'Nobody plans me')).toHaveLength(0);
});
