/**
 * A backfill running when its process stops is resumed by the next process that starts (its state is
 * in the database; the lease in Redis is given back on shutdown) and reaches done.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, deleteRedisKeys, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor } from '../helpers/publications';

jest.setTimeout(300_000);

const KEY = 'devto-api-restart-key';
const BACKFILL_UID = 'plugin::crosspost.backfill';
let devto: DevtoSimulator;
let app: TestApp | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosspost-restart-'));
const prefix = `cp-restart-${process.pid}-${Date.now().toString(36)}`;

// Both processes share one database file and one Bull prefix, as two runs of the same app would.
const env = (createsLimit: string) => ({
  DATABASE_CLIENT: 'sqlite',
  DATABASE_FILENAME: path.join(dir, 'data.db'),
  CROSSPOST_QUEUE_PREFIX: prefix,
  CROSSPOST_DEVTO_API_KEY: KEY,
  CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
  CROSSPOST_DEVTO_LIMIT_CREATES: createsLimit,
  CROSSPOST_DEVTO_LIMIT_WRITES: '100/1000',
});

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false, apiKeys: { [KEY]: { id: 14, username: 'restart', name: 'Restart' } } });
  await devto.listen();
});

afterAll(async () => {
  await app?.stop();
  await devto?.close();
  await deleteRedisKeys(`${prefix}:*`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a backfill running when the process stops resumes in the next one and reaches done', async () => {
  // First process: one create per 5 s, so the backfill is still running when it stops.
  app = await startTestApp(env('1/5000'));
  const jwt = await createAdmin(app);
  const docs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const data = { title: `restart ${i}`, slug: `restart-${i}`, body: blocksBody(`restart ${i}`) };
    const draft = await (app.strapi.documents(ARTICLE_UID as never) as any).create({ data });
    await app.strapi.db.query(ARTICLE_UID as never).create({ data: { ...data, documentId: draft.documentId, publishedAt: new Date() } });
    docs.push(draft.documentId);
  }
  const started = await request(app.httpServer).post('/crosspost/backfill').set('Authorization', `Bearer ${jwt}`).send({ contentType: ARTICLE_UID }).expect(202);
  const id = started.body.data.id;
  await waitFor(async () => (await rowFor(app!.strapi, docs[0], 'devto'))?.status === 'published', { timeoutMs: 30000, what: 'the first post' });
  const before = await app.strapi.db.query(BACKFILL_UID).findOne({ where: { id } });
  expect(before.status).toBe('running');
  await app.stop();
  app = undefined;

  // Second process, same database: nobody asks it to, yet the backfill goes on to the end.
  app = await startTestApp(env('100/1000'));
  const jwt2 = await createAdmin(app, 'admin2@example.com');
  const done = await waitFor(
    async () => {
      const res = await request(app!.httpServer).get(`/crosspost/backfill/${id}`).set('Authorization', `Bearer ${jwt2}`).expect(200);
      return res.body.data.status === 'done' ? res.body.data : null;
    },
    { timeoutMs: 90000, intervalMs: 500, what: 'the resumed backfill to finish' },
  );
  expect(done).toMatchObject({ found: 3, planned: 3, published: 3, failed: 0, progress: 1 });
  for (let i = 0; i < 3; i++) expect(devto.articles.filter((a) => a.canonicalUrl === `https://blog.example.com/posts/restart-${i}`)).toHaveLength(1);
});
