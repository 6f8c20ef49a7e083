/**
 * DEV end to end: a real Strapi (the playground app), real Redis, the DEV simulator over HTTP.
 * Publishing through the Content Manager, REST and the Document Service must each produce exactly
 * one correct article on DEV, and later edits/unpublishes must map to the right DEV calls.
 */
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, createApiToken, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, attemptsFor, blocksBody, rowFor, waitForReplan, waitForStatus } from '../helpers/publications';

jest.setTimeout(60000);

let devto: DevtoSimulator;
let app: TestApp;
let jwt: string;
let apiToken: string;
let tagIds: Record<string, string>;
let coverId: number;
let diagram: Record<string, unknown>;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startTestApp({ CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
  jwt = await createAdmin(app);
  apiToken = await createApiToken(app);
  tagIds = {};
  for (const name of ['GitHub Actions', 'TypeScript', 'strapi']) {
    const tag = await app.strapi.documents('api::tag.tag' as never).create({ data: { name } as never });
    tagIds[name] = (tag as { documentId: string }).documentId;
  }
  const file = await app.strapi.db.query('plugin::upload.file').create({
    data: { name: 'cover.png', hash: 'cover_abc', ext: '.png', mime: 'image/png', size: 1.2, url: '/uploads/cover_abc.png', provider: 'local', width: 10, height: 10 },
  });
  coverId = file.id;
  const d = await app.strapi.db.query('plugin::upload.file').create({
    data: { name: 'diagram.png', hash: 'diagram_1', ext: '.png', mime: 'image/png', size: 2.5, url: '/uploads/diagram_1.png', provider: 'local', width: 20, height: 20, alternativeText: 'Diagram' },
  });
  // A Blocks image node carries the whole media record, as the editor inserts it.
  diagram = { ...d, previewUrl: null, formats: null, caption: null };
});

afterAll(async () => {
  await app?.stop();
  await devto?.close();
});

beforeEach(() => devto.server.requests.splice(0));

const cm = (path: string) => `/content-manager/collection-types/${ARTICLE_UID}${path}`;

describe('publishing to DEV', () => {
  test('the plugin is loaded with its content types', () => {
    expect(app.strapi.plugin('crosspost')).toBeDefined();
    expect(app.strapi.contentType('plugin::crosspost.publication' as never)).toBeDefined();
    expect(app.strapi.contentType('plugin::crosspost.attempt' as never)).toBeDefined();
  });

  test('Content Manager publish → one DEV article with title, markdown body, tags, canonical and cover', async () => {
    const created = await request(app.httpServer)
      .post(cm(''))
      .set('Authorization', `Bearer ${jwt}`)
      .send({
        title: 'Hello from Strapi',
        slug: 'hello-from-strapi',
        description: 'A first post',
        body: [
          { type: 'heading', level: 2, children: [{ type: 'text', text: 'Intro' }] },
          { type: 'paragraph', children: [{ type: 'text', text: 'Some ' }, { type: 'text', text: 'bold', bold: true }, { type: 'text', text: ' text.' }] },
          { type: 'code', language: 'ts', children: [{ type: 'text', text: 'const x: number = 1;' }] },
          { type: 'image', image: diagram, children: [{ type: 'text', text: '' }] },
        ],
        tags: { connect: [tagIds['GitHub Actions'], tagIds.TypeScript] },
        cover: coverId,
      })
      .expect(201);
    const documentId = created.body.data.documentId as string;
    expect(devto.articles).toHaveLength(0); // a draft is not cross-posted

    await request(app.httpServer).post(cm(`/${documentId}/actions/publish`)).set('Authorization', `Bearer ${jwt}`).send({}).expect(200);
    const row = await waitForStatus(app.strapi, documentId, 'devto');

    expect(row.status).toBe('published');
    expect(devto.articles).toHaveLength(1);
    const article = devto.articles[0];
    expect(row.remoteId).toBe(String(article.id));
    expect(row.remoteUrl).toMatch(/^https:\/\/dev\.to\/.+\/hello-from-strapi/);
    expect(article.title).toBe('Hello from Strapi');
    expect(article.published).toBe(true);
    expect(article.canonicalUrl).toBe('https://blog.example.com/posts/hello-from-strapi');
    expect(article.mainImage).toBe('https://cms.example.com/uploads/cover_abc.png');
    expect(article.tags.sort()).toEqual(['githubactions', 'typescript']);
    expect(article.description).toBe('A first post');
    expect(article.bodyMarkdown).toContain('## Intro');
    expect(article.bodyMarkdown).toContain('Some **bold** text.');
    expect(article.bodyMarkdown).toMatch(/```ts\nconst x: number = 1;\n```/);
    expect(article.bodyMarkdown).toContain('![Diagram](https://cms.example.com/uploads/diagram_1.png)');

    const posts = devto.server.requestsTo('POST', '/api/articles');
    expect(posts).toHaveLength(1);
    expect(posts[0].headers['api-key']).toBe('devto-test-key');
    expect(posts[0].headers.accept).toBe('application/vnd.forem.api-v1+json');
    expect(devto.specViolations).toEqual([]);

    const attempts = await attemptsFor(app.strapi, row.id);
    expect(attempts.map((a) => [a.operation, a.outcome])).toEqual([['create', 'success']]);
  });

  test('REST create with a full-access token publishes (REST defaults to status=published)', async () => {
    const res = await request(app.httpServer)
      .post('/api/articles')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { title: 'Posted over REST', slug: 'posted-over-rest', bodyMarkdown: '# Heading\n\nText with a [link](/docs/intro).' } })
      .expect(201);
    const documentId = res.body.data.documentId as string;
    const row = await waitForStatus(app.strapi, documentId, 'devto');
    expect(row.status).toBe('published');
    const article = devto.articles.find((a) => String(a.id) === row.remoteId)!;
    expect(article.title).toBe('Posted over REST');
    // A relative link to a page points at the site (the canonical template's origin), not the CMS (issue 13 #16).
    expect(article.bodyMarkdown).toContain('[link](https://blog.example.com/docs/intro)');
    expect(devto.server.requestsTo('POST', '/api/articles')).toHaveLength(1);
  });

  test('edit + publish again → one PUT and no second create; unchanged republish → no call', async () => {
    const docs = app.strapi.documents(ARTICLE_UID as never) as any;
    const doc = await docs.create({ data: { title: 'Evolving post', slug: 'evolving-post', body: blocksBody('Version one.') } });
    await docs.publish({ documentId: doc.documentId });
    const first = await waitForStatus(app.strapi, doc.documentId, 'devto');
    expect(first.status).toBe('published');

    await docs.update({ documentId: doc.documentId, data: { body: blocksBody('Version two.') } });
    await docs.publish({ documentId: doc.documentId });
    await waitForStatus(app.strapi, doc.documentId, 'devto', ['published'], 20000);
    const updated = await waitFor(async () => {
      const r = await rowFor(app.strapi, doc.documentId, 'devto');
      return r?.status === 'published' && r.syncedHash === r.payloadHash && r.syncedHash !== first.syncedHash ? r : null;
    });
    expect(updated.remoteId).toBe(first.remoteId);
    const puts = devto.server.requestsTo('PUT', `/api/articles/${first.remoteId}`);
    expect(puts).toHaveLength(1);
    expect((puts[0].body as any).article.body_markdown).toContain('Version two.');
    expect(devto.server.requestsTo('POST', '/api/articles')).toHaveLength(1);
    expect(devto.articles.find((a) => String(a.id) === first.remoteId)!.bodyMarkdown).toContain('Version two.');

    // Same content published again: the planner sees the same hash and makes no platform call.
    devto.server.requests.splice(0);
    const seen = await rowFor(app.strapi, doc.documentId, 'devto');
    await docs.publish({ documentId: doc.documentId });
    const after = await waitForReplan(app.strapi, doc.documentId, 'devto', seen!);
    expect(devto.server.requests).toHaveLength(0);
    expect(after!.status).toBe('published');
    expect(after!.jobSeq).toBe(updated.jobSeq);
  });

  test('unpublish in Strapi → PUT published:false on DEV and an unpublished row', async () => {
    const docs = app.strapi.documents(ARTICLE_UID as never) as any;
    const doc = await docs.create({ data: { title: 'Short-lived post', slug: 'short-lived', body: blocksBody('Here today.') } });
    await docs.publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'devto');

    await docs.unpublish({ documentId: doc.documentId });
    const gone = await waitForStatus(app.strapi, doc.documentId, 'devto', ['unpublished']);
    expect(gone.remoteId).toBe(row.remoteId);
    const puts = devto.server.requestsTo('PUT', `/api/articles/${row.remoteId}`);
    expect(puts.map((p) => p.body)).toEqual([{ article: { published: false } }]);
    expect(devto.articles.find((a) => String(a.id) === row.remoteId)!.published).toBe(false);
  });

  test("a 422 from DEV ends in failed with DEV's own message, and no retry", async () => {
    const docs = app.strapi.documents(ARTICLE_UID as never) as any;
    // Another DEV user already published this canonical URL: DEV refuses ours.
    devto.apiKeys['someone-else'] = { id: 999, username: 'someone', name: 'Someone' };
    await fetch(`${devto.apiUrl}/articles`, {
      method: 'POST',
      headers: { 'api-key': 'someone-else', 'content-type': 'application/json', accept: 'application/vnd.forem.api-v1+json' },
      body: JSON.stringify({ article: { title: 'Theirs', body_markdown: 'x', published: true, canonical_url: 'https://blog.example.com/posts/taken' } }),
    });
    devto.server.requests.splice(0);

    const doc = await docs.create({ data: { title: 'Taken canonical', slug: 'taken', body: blocksBody('Mine.') } });
    await docs.publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
    expect(row.status).toBe('failed');
    expect(row.lastError).toBe('DEV rejected the article: Canonical url has already been taken. Email yo@dev.to for further details.');
    expect(row.lastErrorKind).toBe('permanent');
    expect(devto.server.requestsTo('POST', '/api/articles')).toHaveLength(1);
    const attempts = await attemptsFor(app.strapi, row.id);
    expect(attempts.map((a) => [a.operation, a.outcome, a.httpStatus])).toEqual([
      ['create', 'permanent', 422],
    ]);
  });
});

describe('an article deleted on DEV by hand', () => {
  test('the next update fails saying so, and retry posts it afresh', async () => {
    const docs = app.strapi.documents(ARTICLE_UID as never) as any;
    const doc = await docs.create({ data: { title: 'Deleted over there', slug: 'deleted-over-there', body: blocksBody('v1') } });
    await docs.publish({ documentId: doc.documentId });
    const first = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
    devto.articles.splice(devto.articles.findIndex((a) => String(a.id) === first.remoteId), 1);

    await docs.update({ documentId: doc.documentId, data: { body: blocksBody('v2') } });
    await docs.publish({ documentId: doc.documentId });
    const failed = await waitForStatus(app.strapi, doc.documentId, 'devto', ['failed']);
    expect(failed.lastError).toBe(`The article ${first.remoteId} no longer exists on DEV, or belongs to another account (404). Retry to post it again.`);
    expect(failed.remoteId).toBeNull();

    const jwt2 = await createAdmin(app);
    await request(app.httpServer).post(`/crosspost/publications/${failed.id}/retry`).set('Authorization', `Bearer ${jwt2}`).expect(200);
    const again = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
    expect(again.remoteId).not.toBe(first.remoteId);
    const copies = devto.articles.filter((a) => a.title === 'Deleted over there');
    expect(copies).toHaveLength(1);
    expect(copies[0].bodyMarkdown).toContain('v2');
  });
});

describe('a content type without Draft & Publish (HTML body, comma-separated tags)', () => {
  test('create is a publish, update is an update', async () => {
    const notes = app.strapi.documents('api::note.note' as never) as any;
    const note = await notes.create({
      data: { headline: 'Quick note', html: '<h2>Heads up</h2><p>Read <a href="/docs">the docs</a> <strong>now</strong>.</p><ul><li>one</li><li>two</li></ul>', keywords: 'News, Release Notes,news' },
    });
    const row = await waitForStatus(app.strapi, note.documentId, 'devto');
    expect(row.status).toBe('published');
    const article = devto.articles.find((a) => String(a.id) === row.remoteId)!;
    expect(article.title).toBe('Quick note');
    expect(article.canonicalUrl).toBe('https://blog.example.com/notes/quick-note');
    expect(article.tags).toEqual(['news', 'releasenotes']);
    expect(article.bodyMarkdown).toContain('## Heads up');
    expect(article.bodyMarkdown).toContain('Read [the docs](https://blog.example.com/docs) **now**.');
    expect(article.bodyMarkdown).toMatch(/- one\n- two/);

    await notes.update({ documentId: note.documentId, data: { html: '<p>Changed.</p>' } });
    await waitFor(async () => {
      const r = await rowFor(app.strapi, note.documentId, 'devto');
      return r?.status === 'published' && r.syncedHash !== row.syncedHash;
    });
    expect(devto.server.requestsTo('PUT', `/api/articles/${row.remoteId}`)).toHaveLength(1);
    expect(devto.articles.find((a) => String(a.id) === row.remoteId)!.bodyMarkdown.trim()).toBe('Changed.');
  });
});
