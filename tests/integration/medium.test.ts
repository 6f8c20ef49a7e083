/**
 * Medium end to end: a real Strapi (the playground app), real Redis, the Medium simulator over HTTP.
 * Medium can only create: an edit must become `outdated` (never a second post), an unpublish must fail
 * asking for removal by hand, and a create whose answer was lost must become `unconfirmed` and never be
 * retried automatically (a blind retry would publish a duplicate that the API cannot delete).
 */
import { createMediumSimulator, MEDIUM_DEFAULT_USER, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../simulators/medium';
import { startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, attemptsFor, blocksBody, rowFor, waitForReplan, waitForStatus } from '../helpers/publications';

jest.setTimeout(90000);

let sim: MediumSimulator;
let app: TestApp;

const POSTS_PATH = `/v1/users/${MEDIUM_DEFAULT_USER.id}/posts`;
const env = (extra: Record<string, string> = {}) => ({
  CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN,
  CROSSPOST_MEDIUM_BASE_URL: sim.url,
  // The lost-answer test waits for the client timeout.
  CROSSPOST_HTTP_TIMEOUT_MS: '1000',
  ...extra,
});
const postCalls = () => sim.server.requestsTo('POST', POSTS_PATH);
const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;
const settle = (ms = 1000) => new Promise((r) => setTimeout(r, ms));
const postFor = (remoteId: string) => sim.posts.get(remoteId)!;

beforeAll(async () => {
  sim = createMediumSimulator();
  await sim.listen();
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(() => sim.server.requests.splice(0));

describe('Medium (publishStatus public)', () => {
  let tagIds: string[];

  beforeAll(async () => {
    app = await startTestApp(env());
    tagIds = [];
    for (const name of ['JavaScript', 'Strapi', 'Headless CMS', 'Publishing']) {
      const tag = await app.strapi.documents('api::tag.tag' as never).create({ data: { name } as never });
      tagIds.push((tag as { documentId: string }).documentId);
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  test('publish → one post: title repeated as heading, canonical URL, first 3 tags; warning about the 4th', async () => {
    const doc = await docs().create({
      data: { title: 'Hello Medium', slug: 'hello-medium', body: blocksBody('Hello readers.'), tags: { connect: tagIds } },
    });
    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'medium');

    expect(row.status).toBe('published');
    expect(row.remoteState).toBe('published');
    expect(postCalls()).toHaveLength(1);
    expect(postCalls()[0].headers.authorization).toBe(`Bearer ${MEDIUM_TEST_TOKEN}`);
    const post = postFor(row.remoteId);
    expect(row.remoteUrl).toBe(post.url);
    expect(post).toMatchObject({ title: 'Hello Medium', contentFormat: 'markdown', publishStatus: 'public', canonicalUrl: 'https://blog.example.com/posts/hello-medium' });
    expect(post.content).toBe('# Hello Medium\n\nHello readers.\n');
    expect(post.requestedTags).toHaveLength(3);
    expect(row.warnings).toEqual([expect.stringMatching(/^Medium uses only the first 3 tags: "[^"]+" left out\.$/)]);
    const attempts = await attemptsFor(app.strapi, row.id);
    expect(attempts.map((a) => [a.operation, a.outcome])).toEqual([['create', 'success']]);
  });

  test('edit + publish again → outdated with an explanation and the URL; no second post', async () => {
    const doc = await docs().create({ data: { title: 'Medium edit', slug: 'medium-edit', body: blocksBody('Version one.') } });
    await docs().publish({ documentId: doc.documentId });
    const first = await waitForStatus(app.strapi, doc.documentId, 'medium', ['published']);

    await docs().update({ documentId: doc.documentId, data: { body: blocksBody('Version two.') } });
    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'medium', ['outdated']);
    await settle();

    expect(row.lastError).toBe(`Medium has no API to update a post. Edit it by hand at ${first.remoteUrl}, then confirm.`);
    expect(row.remoteId).toBe(first.remoteId);
    expect(postCalls()).toHaveLength(1);
    expect(postFor(first.remoteId).content).toContain('Version one.');
    expect((await rowFor(app.strapi, doc.documentId, 'medium'))!.status).toBe('outdated');
  });

  test('unpublish in Strapi → failed, asking to remove it by hand at its URL; no call to Medium', async () => {
    const doc = await docs().create({ data: { title: 'Medium unpublish', slug: 'medium-unpublish', body: blocksBody('Here today.') } });
    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'medium', ['published']);
    sim.server.requests.splice(0);

    await docs().unpublish({ documentId: doc.documentId });
    const failed = await waitFor(async () => {
      const r = await rowFor(app.strapi, doc.documentId, 'medium');
      return r?.desired === 'unpublished' && r.status === 'failed' ? r : null;
    });
    expect(failed.lastError).toBe(`Medium has no API to unpublish or delete a post. Remove it by hand at ${row.remoteUrl}, then confirm.`);
    expect(failed.lastError).toMatch(/remove it by hand/i);
    expect(sim.server.requests).toHaveLength(0);
    expect(postFor(row.remoteId).publishStatus).toBe('public');
  });

  test('the answer to the create is lost (timeout after commit) → unconfirmed, exactly one post, never retried automatically', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { method: 'POST', path: POSTS_PATH } });
    const before = sim.posts.size;
    const doc = await docs().create({ data: { title: 'Lost on Medium', slug: 'lost-on-medium', body: blocksBody('Did it arrive?') } });
    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'medium');
    expect(row.status).toBe('unconfirmed');
    expect(row.lastErrorKind).toBe('ambiguous');
    expect(row.lastError).toContain('Medium did not answer in time after the article was sent; it may or may not have been created.');
    expect(row.lastError).toContain('will not be retried automatically');
    expect(row.remoteId).toBeNull();

    // Well past several retry delays (50–400 ms in tests): still one post and one create call.
    await settle(2500);
    expect(sim.posts.size).toBe(before + 1);
    expect(postCalls()).toHaveLength(1);
    const after = await rowFor(app.strapi, doc.documentId, 'medium');
    expect(after!.status).toBe('unconfirmed');
    const attempts = await attemptsFor(app.strapi, row.id);
    expect(attempts.map((a) => [a.operation, a.outcome])).toEqual([['create', 'ambiguous']]);

    // Publishing the same entry again does not retry it either: the editor decides.
    await docs().update({ documentId: doc.documentId, data: { body: blocksBody('Did it arrive? Edited.') } });
    await docs().publish({ documentId: doc.documentId });
    const replanned = await waitForReplan(app.strapi, doc.documentId, 'medium', after!);
    expect(postCalls()).toHaveLength(1);
    expect(replanned.status).toBe('unconfirmed');
  });

  test('a revoked integration token (401) → failed, naming CROSSPOST_MEDIUM_TOKEN, no retry', async () => {
    sim.tokens.delete(MEDIUM_TEST_TOKEN);
    try {
      const doc = await docs().create({ data: { title: 'Medium bad token', slug: 'medium-bad-token', body: blocksBody('Nope.') } });
      await docs().publish({ documentId: doc.documentId });
      const row = await waitForStatus(app.strapi, doc.documentId, 'medium');
      await settle();
      expect(row.status).toBe('failed');
      expect(row.lastErrorKind).toBe('permanent');
      expect(row.lastError).toContain('check the integration token (CROSSPOST_MEDIUM_TOKEN)');
      expect(row.lastError).not.toContain(MEDIUM_TEST_TOKEN);
      // One 401 (on /me, or on the post when the author id is already cached), and nothing after it.
      expect(sim.server.requests.filter((r) => r.status === 401)).toHaveLength(1);
      const attempts = await attemptsFor(app.strapi, row.id);
      expect(attempts.map((a) => [a.operation, a.outcome, a.httpStatus])).toEqual([['create', 'permanent', 401]]);
    } finally {
      sim.tokens.set(MEDIUM_TEST_TOKEN, { ...MEDIUM_DEFAULT_USER });
    }
  });
});

describe('Medium drafts (CROSSPOST_MEDIUM_PUBLISH_STATUS=draft)', () => {
  beforeAll(async () => {
    app = await startTestApp(env({ CROSSPOST_MEDIUM_PUBLISH_STATUS: 'draft' }));
  });

  afterAll(async () => {
    await app?.stop();
  });

  test('publish → a Medium draft; the row is published with remote state draft; an edit becomes outdated', async () => {
    const doc = await docs().create({ data: { title: 'Medium draft', slug: 'medium-draft', body: blocksBody('Private for now.') } });
    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'medium');

    expect(row.status).toBe('published');
    expect(row.remoteState).toBe('draft');
    const post = postFor(row.remoteId);
    expect(post.publishStatus).toBe('draft');
    expect(post.publishedAt).toBeUndefined();
    expect((postCalls()[0].body as { publishStatus: string }).publishStatus).toBe('draft');

    await docs().update({ documentId: doc.documentId, data: { body: blocksBody('Private, edited.') } });
    await docs().publish({ documentId: doc.documentId });
    const outdated = await waitForStatus(app.strapi, doc.documentId, 'medium', ['outdated']);
    expect(outdated.lastError).toBe(`Medium has no API to update a post. Edit it by hand at ${row.remoteUrl}, then confirm.`);
    expect(postCalls()).toHaveLength(1);
  });
});
