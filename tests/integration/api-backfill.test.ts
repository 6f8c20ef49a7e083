/**
 * Backfill: a content type's published entries that were never cross-posted get posted, paced by the
 * queue; a copy already on DEV (same canonical URL) is adopted, never posted again; cancel stops it.
 */
import request from 'supertest';
import { DEVTO_V1_ACCEPT, type DevtoSimulator } from '../simulators/devto';
import { waitFor, type TestApp } from '../helpers/strapi';
import { adminRoutes, startDevtoApp, type DevtoApp } from '../helpers/devto-app';
import { ARTICLE_UID, attemptsFor, blocksBody, rowFor } from '../helpers/publications';

jest.setTimeout(180_000);

const KEY = 'devto-api-backfill-key';
// 3 creates per 2 s: the queue paces the backfill (DEV's documented 9 / 30 s, compressed in time).
let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let ctx: DevtoApp | undefined;

beforeAll(async () => {
  ({ devto, app, jwt } = ctx = await startDevtoApp({ key: KEY, account: { id: 13, username: 'backfill', name: 'Backfill' }, env: { CROSSPOST_DEVTO_LIMIT_CREATES: '3/2000' } }));
});

afterAll(async () => {
  await ctx?.stop();
});

const admin = adminRoutes(() => app, () => jwt);
const canonical = (slug: string) => `https://blog.example.com/posts/${slug}`;

/**
 * Entries published before the plugin was installed: a draft plus its published version written
 * straight to the database, so no entry event fires and nothing is planned for them.
 */
async function legacyPublished(prefix: string, n: number) {
  const out: Array<{ documentId: string; slug: string }> = [];
  for (let i = 0; i < n; i++) {
    const slug = `${prefix}-${i}`;
    const data = { title: `${prefix} ${i}`, slug, body: blocksBody(`${prefix} body ${i}`) };
    const draft = await (app.strapi.documents(ARTICLE_UID as never) as any).create({ data });
    await app.strapi.db.query(ARTICLE_UID as never).create({ data: { ...data, documentId: draft.documentId, publishedAt: new Date() } });
    out.push({ documentId: draft.documentId, slug });
  }
  return out;
}

/** A copy someone posted to DEV by hand, with our canonical URL. */
async function postedByHand(slug: string): Promise<number> {
  const res = await fetch(`${devto.apiUrl}/articles`, {
    method: 'POST',
    headers: { 'api-key': KEY, accept: DEVTO_V1_ACCEPT, 'content-type': 'application/json' },
    body: JSON.stringify({ article: { title: `Hand copy of ${slug}`, body_markdown: 'By hand.', published: true, canonical_url: canonical(slug) } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

const backfillDone = (id: number) =>
  waitFor(
    async () => {
      const res = await admin.get(`/backfill/${id}`).expect(200);
      return res.body.data.status !== 'running' ? res.body.data : null;
    },
    { timeoutMs: 90000, intervalMs: 300, what: `backfill ${id} to finish` },
  );

test('estimate, then backfill N published entries to done (progress 1); the one already on DEV is adopted, not posted again', async () => {
  const entries = await legacyPublished('bf-adopt', 5);
  const handId = await postedByHand('bf-adopt-0');
  await new Promise((r) => setTimeout(r, 300));
  expect(await rowFor(app.strapi, entries[0].documentId, 'devto')).toBeNull();

  const est = await admin.get(`/backfill/estimate?contentType=${ARTICLE_UID}&platforms=devto`).expect(200);
  expect(est.body.data).toMatchObject({ found: 5, alreadyPosted: 0, toPost: 5 });
  // 5 creates at 3 per 2 s: one full window to wait, plus a second per call.
  expect(est.body.data.estimatedSeconds).toBe(2 + 5);

  const started = await admin.post('/backfill', { contentType: ARTICLE_UID, platforms: ['devto'] }).expect(202);
  expect(started.body.data).toMatchObject({ contentType: ARTICLE_UID, platforms: ['devto'], status: 'running', found: 5, estimatedSeconds: 7 });
  const done = await backfillDone(started.body.data.id);
  expect(done).toMatchObject({ status: 'done', progress: 1, found: 5, planned: 5, published: 5, failed: 0, skipped: 0 });
  expect(done.finishedAt).toBeTruthy();

  for (const e of entries) expect((await rowFor(app.strapi, e.documentId, 'devto'))?.status).toBe('published');
  // Adopted: the hand-made copy is ours now (updated to our content), and no second copy exists.
  const adopted = (await rowFor(app.strapi, entries[0].documentId, 'devto'))!;
  expect(adopted.remoteId).toBe(String(handId));
  expect((await attemptsFor(app.strapi, adopted.id)).map((a) => [a.operation, a.outcome])).toEqual([
    ['lookup', 'adopted'],
    ['update', 'success'],
  ]);
  for (const e of entries) expect(devto.articles.filter((a) => a.canonicalUrl === canonical(e.slug))).toHaveLength(1);
  const creates = devto.server.requestsTo('POST', '/api/articles').filter((r) => JSON.stringify(r.body).includes('bf-adopt-0'));
  expect(creates).toHaveLength(1); // the hand-made one

  const list = await admin.get('/backfills').expect(200);
  expect(list.body.data[0].id).toBe(started.body.data.id);

  // Again: everything is there already, nothing is planned.
  const again = await admin.post('/backfill', { contentType: ARTICLE_UID }).expect(202);
  const second = await backfillDone(again.body.data.id);
  expect(second).toMatchObject({ status: 'done', progress: 1, planned: 0, skipped: 5, platforms: ['devto'] });
  await admin.post(`/backfill/${again.body.data.id}/cancel`).expect(409);
});

test('cancel stops the backfill and cancels its rows still waiting; nothing more is sent', async () => {
  const since = new Date(Date.now() - 1000).toISOString();
  const entries = await legacyPublished('bf-cancel', 3);
  // DEV answers every create with a 429: the rows wait for their retry.
  devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 429, headers: { 'retry-after': '120' }, body: { error: 'Rate limit reached', status: 429 }, times: Infinity });
  try {
    const started = await admin.post('/backfill', { contentType: ARTICLE_UID, since }).expect(202);
    expect(started.body.data.found).toBe(3);
    await waitFor(
      async () => {
        const rows = await Promise.all(entries.map((e) => rowFor(app.strapi, e.documentId, 'devto')));
        return rows.filter((r) => r?.status === 'retrying').length >= 1;
      },
      { timeoutMs: 30000, what: 'a backfill row waiting for its retry' },
    );
    const res = await admin.post(`/backfill/${started.body.data.id}/cancel`).expect(200);
    expect(res.body.data.status).toBe('canceled');
    const after = await waitFor(
      async () => {
        const rows = await Promise.all(entries.map((e) => rowFor(app.strapi, e.documentId, 'devto')));
        return rows.every((r) => !r || ['canceled', 'failed', 'published'].includes(r.status)) ? rows : null;
      },
      { what: 'the backfill rows to be canceled' },
    );
    expect(after.filter((r) => r?.status === 'canceled').length).toBeGreaterThanOrEqual(1);
    const posts = devto.server.requestsTo('POST', '/api/articles').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(devto.server.requestsTo('POST', '/api/articles').length).toBe(posts);
    const final = await admin.get(`/backfill/${started.body.data.id}`).expect(200);
    expect(final.body.data.status).toBe('canceled');
  } finally {
    devto.server.clearFaults();
  }
});

test('backfill validation: 400 naming the field, 404, 409', async () => {
  const bad = async (res: request.Response, pattern: RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(pattern);
  };
  await bad(await admin.post('/backfill', {}), /contentType/);
  await bad(await admin.post('/backfill', { contentType: 'api::tag.tag' }), /not a content type the plugin watches/);
  await bad(await admin.post('/backfill', { contentType: ARTICLE_UID, platforms: ['medium'] }), /medium not available/);
  await bad(await admin.post('/backfill', { contentType: ARTICLE_UID, since: 'last week' }), /since/);
  await bad(await admin.post('/backfill', { contentType: ARTICLE_UID, platforms: 'devto' }), /platforms/);
  await bad(await admin.get('/backfill/estimate'), /contentType/);
  await bad(await admin.get(`/backfill/estimate?contentType=${ARTICLE_UID}&platforms=myspace`), /platforms/);
  await admin.get('/backfill/abc').expect(400);
  await admin.get('/backfill/2147483648').expect(400);
  await admin.get('/backfill/2147483647').expect(404);
  await admin.post('/backfill/2147483647/cancel').expect(404);
  await request(app.httpServer).post('/crosspost/backfill').send({ contentType: ARTICLE_UID }).expect(401);
});
