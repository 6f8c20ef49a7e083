/**
 * The Medium connector against the Medium simulator over real HTTP: what render sends (title heading,
 * degraded tables, 3 tags), create as a user or into a publication, the create-only capabilities, and
 * how every failure is classified.
 */
import {
  createMediumSimulator,
  MEDIUM_DEFAULT_USER,
  MEDIUM_EDITOR_PUBLICATION_ID,
  MEDIUM_TEST_TOKEN,
  MEDIUM_WRITER_PUBLICATION_ID,
  MEDIUM_OTHER_PUBLICATION_ID,
  type MediumSimulator,
} from '../../simulators/medium';
import { createMediumConnector, type MediumConfig, type MediumPayload } from '../../../server/src/platforms/medium';
import { PlatformError, type Connector } from '../../../server/src/platforms/types';
import { article, rejection } from './helpers';

let sim: MediumSimulator;
let md: Connector<MediumPayload>;

const TIMEOUT_MS = 300;
const POSTS_PATH = `/v1/users/${MEDIUM_DEFAULT_USER.id}/posts`;

function connector(overrides: Partial<MediumConfig> = {}, s: MediumSimulator = sim): Connector<MediumPayload> {
  return createMediumConnector(
    { token: MEDIUM_TEST_TOKEN, baseUrl: s.url, publishStatus: 'public', license: 'all-rights-reserved', notifyFollowers: false, ...overrides },
    { timeoutMs: TIMEOUT_MS },
  );
}

const calls = () => sim.server.requests.map((r) => `${r.method} ${r.path}`);
const payload = () => md.render(article(), {}).payload;

beforeAll(async () => {
  sim = createMediumSimulator();
  await sim.listen();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  md = connector();
});

describe('render', () => {
  test('markdown body led by the title as a heading, canonical, config publish status, license and notify flag', () => {
    const c = connector({ publishStatus: 'unlisted', license: 'cc-40-by', notifyFollowers: true });
    const { payload: p, warnings, blocking } = c.render(article(), {});
    expect(blocking).toEqual([]);
    expect(warnings).toEqual([]);
    expect(p).toEqual({
      title: 'Shipping a GraphQL API',
      contentFormat: 'markdown',
      content: '# Shipping a GraphQL API\n\n## Intro\n\nSome **bold** text.\n\n```ts\nconst x = 1;\n```\n',
      tags: ['GraphQL', 'TypeScript'],
      canonicalUrl: 'https://blog.example.com/posts/shipping-graphql',
      publishStatus: 'unlisted',
      license: 'cc-40-by',
      notifyFollowers: true,
    });
  });

  test('a body that already starts with the title heading does not get a second one', () => {
    const { payload: p } = md.render(article({ markdown: '# Shipping a GraphQL API\n\nBody.' }), {});
    expect(p.content).toBe('# Shipping a GraphQL API\n\nBody.\n');
  });

  test('tables become lists, with a warning (Medium shows Markdown tables as pipes)', () => {
    const { payload: p, warnings } = md.render(article({ markdown: '| Name | Role |\n| - | - |\n| Ada | Author |\n' }), {});
    expect(p.content).not.toContain('|');
    expect(p.content).toContain('Ada');
    expect(p.content).toContain('**Role:** Author');
    expect(warnings).toEqual(['1 table was turned into lists: this platform does not display Markdown tables.']);
  });

  test('only the first 3 tags of at most 25 characters are sent; the rest are reported', () => {
    const { payload: p, warnings } = md.render(article({ tags: ['one', 'a tag that is far too long for medium', 'two', 'three', 'four'] }), {});
    expect(p.tags).toEqual(['one', 'two', 'three']);
    expect(warnings).toEqual([
      'Medium: tag "a tag that is far too long for medium" is longer than 25 characters and was left out.',
      'Medium uses only the first 3 tags: "four" left out.',
    ]);
  });

  test('the entry draft option makes it a Medium draft; no canonical URL → none sent', () => {
    const { payload: p } = md.render(article({ canonicalUrl: undefined }), { draft: true });
    expect(p.publishStatus).toBe('draft');
    expect('canonicalUrl' in p).toBe(false);
  });

  test('titles over 100 characters are warned about (Medium ignores them)', () => {
    const title = 'T'.repeat(101);
    const { warnings } = md.render(article({ title }), {});
    expect(warnings).toEqual(['Medium ignores titles longer than 100 characters (this one has 101) and makes one from the first line of the text instead.']);
  });
});

describe('create', () => {
  test('GET /me once for the author id, then POST /users/{id}/posts with the payload; the id is cached', async () => {
    const ref = await md.create(payload());
    expect(calls()).toEqual(['GET /v1/me', `POST ${POSTS_PATH}`]);
    const req = sim.server.requests[1];
    expect(req.headers.authorization).toBe(`Bearer ${MEDIUM_TEST_TOKEN}`);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.body).toEqual(payload());

    expect(sim.posts.size).toBe(1);
    const post = [...sim.posts.values()][0];
    expect(ref).toEqual({ remoteId: post.id, remoteUrl: post.url, remoteState: 'published' });
    expect(post.content.startsWith('# Shipping a GraphQL API\n')).toBe(true);
    expect(post.canonicalUrl).toBe('https://blog.example.com/posts/shipping-graphql');
    expect(post.tags).toEqual(['GraphQL', 'TypeScript']);
    expect(post.contentFormat).toBe('markdown');

    await md.create(md.render(article({ title: 'Second' }), {}).payload);
    expect(calls()).toEqual(['GET /v1/me', `POST ${POSTS_PATH}`, `POST ${POSTS_PATH}`]);
  });

  test('draft publish status → remote state draft', async () => {
    const ref = await md.create(md.render(article(), { draft: true }).payload);
    expect(ref.remoteState).toBe('draft');
    expect([...sim.posts.values()][0].publishStatus).toBe('draft');
  });

  test('a configured publication → role checked, then POST /publications/{id}/posts', async () => {
    const c = connector({ publicationId: MEDIUM_EDITOR_PUBLICATION_ID });
    const ref = await c.create(c.render(article(), {}).payload);
    // The role is checked first (issue 13 #17): one read of the contributors, one of /me.
    expect(calls()).toEqual([
      `GET /v1/publications/${MEDIUM_EDITOR_PUBLICATION_ID}/contributors`,
      'GET /v1/me',
      `POST /v1/publications/${MEDIUM_EDITOR_PUBLICATION_ID}/posts`,
    ]);
    expect(sim.posts.get(ref.remoteId)!.publicationId).toBe(MEDIUM_EDITOR_PUBLICATION_ID);
  });

  test('issue 13 #17: a public post into a publication where the account is only a writer → permanent, said in words, nothing posted', async () => {
    const c = connector({ publicationId: MEDIUM_WRITER_PUBLICATION_ID });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent');
    // Issue 13 #17: found through the contributors list before posting, and said in words (no 403 from a POST).
    expect(err.message).toBe(
      `The Medium account is a writer (not an editor) of the publication ${MEDIUM_WRITER_PUBLICATION_ID}: Medium lets writers submit drafts only, so it cannot publish "public" there. Ask for the editor role, or set Medium's publishStatus to "draft" and have an editor publish it.`,
    );
    expect(calls().filter((c) => c.startsWith('POST'))).toEqual([]);
    expect(sim.posts.size).toBe(0);
  });

  test('issue 13 #17: a writer may still send a draft into the publication', async () => {
    const c = connector({ publicationId: MEDIUM_WRITER_PUBLICATION_ID });
    const ref = await c.create(c.render(article(), { draft: true }).payload);
    expect(ref.remoteState).toBe('draft');
  });

  test('issue 13 #17: an account that is no contributor of the publication is told so before posting', async () => {
    const c = connector({ publicationId: MEDIUM_OTHER_PUBLICATION_ID });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent');
    expect(err.message).toMatch(/is not a contributor of the publication c0ffee123456/);
    expect(calls().filter((c) => c.startsWith('POST'))).toEqual([]);
  });
});

describe('create-only platform', () => {
  test('capabilities: no update, no unpublish, no lookup', () => {
    expect(md.capabilities).toEqual({ update: false, unpublish: false, lookup: false });
  });

  test('update and unpublish throw permanent errors without calling Medium', async () => {
    const u = await rejection(md.update('abc', payload()), 'permanent');
    expect(u.message).toBe('Medium has no API to update a post. Do it by hand on Medium, then confirm.');
    const d = await rejection(md.unpublish('abc'), 'permanent');
    expect(d.message).toBe('Medium has no API to unpublish or delete a post. Do it by hand on Medium, then confirm.');
    expect(sim.server.requests).toHaveLength(0);
  });

  test('findExisting throws a plain Error (the worker never calls it when lookup is false)', async () => {
    await expect(md.findExisting(md.lookupKeys(payload()))).rejects.toThrow(/^Medium has no API to list or search posts/);
    await expect(md.findExisting(md.lookupKeys(payload()))).rejects.not.toBeInstanceOf(PlatformError);
    expect(md.lookupKeys(payload())).toEqual({ title: 'Shipping a GraphQL API', canonicalUrl: 'https://blog.example.com/posts/shipping-graphql' });
  });
});

describe('errors', () => {
  test('401 (bad token) → permanent, "check the integration token", never the token itself', async () => {
    const secret = 'medium-secret-token-never-shown';
    const c = connector({ token: secret });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent', [secret]);
    expect(err.message).toBe(
      'Medium did not accept the integration token (401: "Token was invalid."): check the integration token (CROSSPOST_MEDIUM_TOKEN). Medium no longer issues new integration tokens, so a revoked one cannot be replaced.',
    );
    expect(err.status).toBe(401);
    expect(calls()).toEqual(['GET /v1/me']);
  });

  test('401 on the post itself → permanent too', async () => {
    await md.create(payload());
    sim.server.inject({ kind: 'status', status: 401, body: { errors: [{ message: 'An access token is required.', code: 6000 }] }, match: { method: 'POST' } });
    const err = await rejection(md.create(payload()), 'permanent');
    expect(err.message).toContain('check the integration token (CROSSPOST_MEDIUM_TOKEN)');
  });

  test('a failed /me is not cached: the next create asks again', async () => {
    sim.server.inject({ kind: 'status', status: 503, body: '', match: { path: '/v1/me' } });
    const err = await rejection(md.create(payload()), 'retryable');
    expect(err.message).toBe('Medium is unavailable (503); will retry.');
    expect(sim.posts.size).toBe(0);
    await md.create(payload());
    expect(calls()).toEqual(['GET /v1/me', 'GET /v1/me', `POST ${POSTS_PATH}`]);
  });

  test('daily limit (429, code 1007, no Retry-After) → retryable, rate-limited, no wait given', async () => {
    const limited = createMediumSimulator({ dailyLimit: { max: 1 } });
    await limited.listen();
    try {
      const c = connector({}, limited);
      await c.create(c.render(article(), {}).payload);
      const err = await rejection(c.create(c.render(article({ title: 'Two' }), {}).payload), 'retryable');
      expect(err).toMatchObject({ rateLimited: true, retryAfterMs: undefined, status: 429 });
      expect(err.message).toBe("Medium's daily publishing limit is reached (10 posts per 24 hours); will retry when it allows.");
      expect(limited.posts.size).toBe(1);

      limited.advanceTime(24 * 3600 * 1000 + 1);
      await c.create(c.render(article({ title: 'Two' }), {}).payload);
      expect(limited.posts.size).toBe(2);
    } finally {
      await limited.close();
    }
  });

  test('daily limit with a Retry-After header → the wait is passed on', async () => {
    const limited = createMediumSimulator({ dailyLimit: { max: 1, windowMs: 60_000 }, retryAfter: true });
    await limited.listen();
    try {
      const c = connector({}, limited);
      await c.create(c.render(article(), {}).payload);
      const err = await rejection(c.create(c.render(article(), {}).payload), 'retryable');
      expect(err.rateLimited).toBe(true);
      expect(err.retryAfterMs).toBeGreaterThan(50_000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
    } finally {
      await limited.close();
    }
  });

  test('429 without Medium\'s code → still a rate limit', async () => {
    sim.server.inject({ kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: '', match: { method: 'POST' } });
    const err = await rejection(md.create(payload()), 'retryable');
    expect(err).toMatchObject({ rateLimited: true, retryAfterMs: 3000 });
    expect(err.message).toBe('Medium rate limit reached; will retry when it allows.');
  });

  test('400 → permanent with Medium\'s message', async () => {
    sim.server.inject({ kind: 'status', status: 400, body: { errors: [{ message: 'Missing or invalid field: content.', code: 2004 }] }, match: { method: 'POST' } });
    const err = await rejection(md.create(payload()), 'permanent');
    expect(err.message).toBe('Medium rejected the post: Missing or invalid field: content.');
  });

  test('timeout after the post was created → ambiguous, and the post exists (exactly one)', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { method: 'POST' } });
    const err = await rejection(md.create(payload()), 'ambiguous');
    expect(err.message).toBe('Medium did not answer in time after the article was sent; it may or may not have been created.');
    expect(sim.posts.size).toBe(1);
  });

  test('timeout on GET /me → retryable (nothing was posted)', async () => {
    sim.server.inject({ kind: 'timeout-before', match: { path: '/v1/me' } });
    const err = await rejection(md.create(payload()), 'retryable');
    expect(err.message).toBe('Medium did not answer in time; will retry.');
    expect(sim.posts.size).toBe(0);
  });

  test('connection reset after posting → ambiguous', async () => {
    sim.server.inject({ kind: 'reset-after', match: { method: 'POST' } });
    await rejection(md.create(payload()), 'ambiguous');
    expect(sim.posts.size).toBe(1);
  });

  test.each([500, 502, 503, 504])('HTTP %i on the post → ambiguous', async (status) => {
    sim.server.inject({ kind: 'status', status, body: '', match: { method: 'POST' } });
    const err = await rejection(md.create(payload()), 'ambiguous');
    expect(err.status).toBe(status);
    expect(err.message).toBe(`Medium failed with ${status} after the article was sent; it may or may not have been created.`);
  });

  test('malformed JSON on a 2xx create → ambiguous', async () => {
    await md.create(payload()); // caches /me
    sim.server.inject({ kind: 'malformed', match: { method: 'POST' } });
    const err = await rejection(md.create(payload()), 'ambiguous');
    expect(err.message).toBe('Medium answered with an unreadable body after the article was sent; it may or may not have been created.');
  });

  test('301 to an HTML page → permanent naming CROSSPOST_MEDIUM_BASE_URL; not followed', async () => {
    sim.server.inject({ kind: 'html-redirect' });
    const err = await rejection(md.create(payload()), 'permanent');
    expect(err.message).toBe(
      'Medium answered 301 (moved to https://example.invalid/changelog): the API endpoint has moved. Check CROSSPOST_MEDIUM_BASE_URL (default https://api.medium.com/v1).',
    );
    expect(sim.server.requests).toHaveLength(1);
  });

  test('a base URL without /v1 → 404 → permanent explaining the base URL', async () => {
    const c = createMediumConnector(
      { token: MEDIUM_TEST_TOKEN, baseUrl: sim.url.replace(/\/v1$/, ''), publishStatus: 'public', license: 'all-rights-reserved', notifyFollowers: false },
      { timeoutMs: TIMEOUT_MS },
    );
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent');
    expect(err.message).toBe('Medium answered 404 for /me: CROSSPOST_MEDIUM_BASE_URL does not point to the API (it should end in /v1).');
  });
});
