/**
 * The Medium simulator over real HTTP (Node's global fetch).
 */
import {
  createMediumSimulator,
  MEDIUM_DEFAULT_USER,
  MEDIUM_EDITOR_PUBLICATION_ID,
  MEDIUM_OTHER_PUBLICATION_ID,
  MEDIUM_TEST_TOKEN,
  MEDIUM_WRITER_PUBLICATION_ID,
  type MediumSimulator,
} from '../../simulators/medium';

const RATE_LIMIT_BODY = { errors: [{ message: 'User has reached the rate limit for publishing today.', code: 1007 }] };

interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  authorization?: string;
  headers?: Record<string, string>;
  sim?: MediumSimulator;
  signal?: AbortSignal;
}

let sim: MediumSimulator;

async function call(path: string, opts: CallOptions = {}) {
  const target = opts.sim ?? sim;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'accept-charset': 'utf-8',
    ...(opts.headers ?? {}),
  };
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? MEDIUM_TEST_TOKEN}`;
  const res = await fetch(`${target.url}${path}`, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as any) : undefined };
}

const userPosts = (userId = MEDIUM_DEFAULT_USER.id) => `/users/${userId}/posts`;

function postBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Liverpool FC',
    contentFormat: 'html',
    content: '<h1>Liverpool FC</h1><p>You’ll never walk alone.</p>',
    canonicalUrl: 'http://jamietalbot.com/posts/liverpool-fc',
    tags: ['football', 'sport', 'Liverpool'],
    publishStatus: 'public',
    ...over,
  };
}

beforeAll(async () => {
  sim = createMediumSimulator();
  await sim.listen();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

describe('transport and auth', () => {
  test('url ends in /v1; GET /me answers the {data} envelope with JSON content-type', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const r = await call('/me');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json).toEqual({
      data: {
        id: MEDIUM_DEFAULT_USER.id,
        username: 'alice',
        name: 'Alice Example',
        url: 'https://medium.com/@alice',
        imageUrl: expect.stringMatching(/^https:\/\//),
      },
    });
  });

  test('a missing token → 401 with the verbatim code 6000 body', async () => {
    const r = await call('/me', { token: null });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ errors: [{ message: 'An access token is required.', code: 6000 }] });
  });

  test('a header without Bearer credentials counts as missing', async () => {
    const r = await call('/me', { authorization: MEDIUM_TEST_TOKEN });
    expect(r.status).toBe(401);
    expect(r.json.errors[0].code).toBe(6000);
  });

  test('an unknown token → 401 with the simulator’s invalid-token error', async () => {
    const r = await call('/me', { token: 'revoked' });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ errors: [{ message: 'Token was invalid.', code: 6003 }] });
  });

  test('the Bearer scheme is case-insensitive', async () => {
    const r = await call('/me', { authorization: `bearer ${MEDIUM_TEST_TOKEN}` });
    expect(r.status).toBe(200);
  });

  test('request headers are recorded for the connector’s assertions', async () => {
    await call(userPosts(), { body: postBody() });
    const [rec] = sim.server.requestsTo('POST', `/v1${userPosts()}`);
    expect(rec.headers).toMatchObject({
      authorization: `Bearer ${MEDIUM_TEST_TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-charset': 'utf-8',
    });
  });

  test('a POST whose body is not JSON → 400, nothing created', async () => {
    const form = await call(userPosts(), { body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(400);
    const broken = await call(userPosts(), { body: '{"title": ' });
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0]).toEqual({ message: expect.any(String), code: expect.any(Number) });
    expect(sim.posts.size).toBe(0);
  });
});

describe('users and publications', () => {
  test('GET /users/:me/publications lists editor and writer publications only', async () => {
    const r = await call(`/users/${MEDIUM_DEFAULT_USER.id}/publications`);
    expect(r.status).toBe(200);
    const ids = r.json.data.map((p: any) => p.id).sort();
    expect(ids).toEqual([MEDIUM_EDITOR_PUBLICATION_ID, MEDIUM_WRITER_PUBLICATION_ID].sort());
    expect(Object.keys(r.json.data[0]).sort()).toEqual(['description', 'id', 'imageUrl', 'name', 'url']);
  });

  test("listing another user's publications → 403", async () => {
    const r = await call('/users/someone-else/publications');
    expect(r.status).toBe(403);
    expect(r.json.errors[0]).toEqual({ message: expect.any(String), code: expect.any(Number) });
  });

  test('GET /publications/:id/contributors returns publicationId, userId and role', async () => {
    const r = await call(`/publications/${MEDIUM_WRITER_PUBLICATION_ID}/contributors`);
    expect(r.status).toBe(200);
    expect(r.json.data).toContainEqual({ publicationId: MEDIUM_WRITER_PUBLICATION_ID, userId: MEDIUM_DEFAULT_USER.id, role: 'writer' });
    expect(r.json.data.every((c: any) => c.role === 'editor' || c.role === 'writer')).toBe(true);
  });

  test('contributors of an unknown publication → 404', async () => {
    expect((await call('/publications/nope/contributors')).status).toBe(404);
  });
});

describe('POST /users/:authorId/posts', () => {
  test('201 with the post in the {data} envelope', async () => {
    const before = Date.now();
    const r = await call(userPosts(), { body: postBody() });
    expect(r.status).toBe(201);
    const p = r.json.data;
    expect(Object.keys(p).sort()).toEqual(['authorId', 'canonicalUrl', 'id', 'license', 'licenseUrl', 'publishStatus', 'publishedAt', 'tags', 'title', 'url']);
    expect(p).toMatchObject({
      title: 'Liverpool FC',
      authorId: MEDIUM_DEFAULT_USER.id,
      tags: ['football', 'sport', 'Liverpool'],
      canonicalUrl: 'http://jamietalbot.com/posts/liverpool-fc',
      publishStatus: 'public',
      license: 'all-rights-reserved',
      licenseUrl: 'https://medium.com/policy/9db0094a1e0f',
    });
    expect(p.url).toBe(`https://medium.com/@alice/liverpool-fc-${p.id}`);
    expect(typeof p.publishedAt).toBe('number');
    expect(p.publishedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(sim.posts.get(p.id)).toMatchObject({ content: '<h1>Liverpool FC</h1><p>You’ll never walk alone.</p>', contentFormat: 'html' });
  });

  test('canonicalUrl is omitted when not set; publishedAt is omitted for drafts', async () => {
    const { canonicalUrl: _omit, ...noCanonical } = postBody();
    const r = await call(userPosts(), { body: { ...noCanonical, publishStatus: 'draft' } });
    expect(r.status).toBe(201);
    expect(r.json.data).not.toHaveProperty('canonicalUrl');
    expect(r.json.data).not.toHaveProperty('publishedAt');
    expect(r.json.data.publishStatus).toBe('draft');
  });

  test('publishStatus defaults to public; unlisted gets a publishedAt', async () => {
    const { publishStatus: _omit, ...body } = postBody();
    expect((await call(userPosts(), { body })).json.data.publishStatus).toBe('public');
    const unlisted = await call(userPosts(), { body: postBody({ publishStatus: 'unlisted' }) });
    expect(unlisted.json.data).toMatchObject({ publishStatus: 'unlisted', publishedAt: expect.any(Number) });
  });

  test('a license from the enum is kept with its URL', async () => {
    const r = await call(userPosts(), { body: postBody({ license: 'cc-40-by' }) });
    expect(r.json.data).toMatchObject({ license: 'cc-40-by', licenseUrl: 'https://creativecommons.org/licenses/by/4.0/' });
  });

  test("another user's authorId → 403, nothing created", async () => {
    const r = await call(userPosts('1c9c63b15b874d3e354340b7d7458d55e'), { body: postBody() });
    expect(r.status).toBe(403);
    expect(sim.posts.size).toBe(0);
  });

  test.each([
    ['title missing', { title: undefined }],
    ['title empty', { title: '' }],
    ['contentFormat missing', { contentFormat: undefined }],
    ['contentFormat not html|markdown', { contentFormat: 'rtf' }],
    ['content missing', { content: undefined }],
    ['publishStatus outside the enum', { publishStatus: 'published' }],
    ['license outside the enum', { license: 'mit' }],
    ['tags not an array', { tags: 'a,b' }],
  ])('%s → 400 {errors:[{message, code}]}, nothing created', async (_label, over) => {
    const r = await call(userPosts(), { body: postBody(over) });
    expect(r.status).toBe(400);
    expect(r.json.errors).toHaveLength(1);
    expect(r.json.errors[0]).toEqual({ message: expect.any(String), code: 2004 });
    expect(sim.posts.size).toBe(0);
  });

  test('only the first 3 tags of at most 25 characters are kept', async () => {
    const long = 'a'.repeat(26);
    const exactly25 = 'b'.repeat(25);
    const r = await call(userPosts(), { body: postBody({ tags: ['one', long, exactly25, 'three', 'four', 'five'] }) });
    expect(r.status).toBe(201);
    expect(r.json.data.tags).toEqual(['one', exactly25, 'three']);
    expect(sim.posts.get(r.json.data.id)!.requestedTags).toHaveLength(6);
  });

  test('the title need not appear as a heading in the content', async () => {
    const r = await call(userPosts(), {
      body: postBody({ title: 'Not in the body', contentFormat: 'markdown', content: 'Just a paragraph, no heading at all.' }),
    });
    expect(r.status).toBe(201);
    expect(r.json.data.title).toBe('Not in the body');
    expect(sim.posts.get(r.json.data.id)!.content).not.toContain('Not in the body');
  });

  test('a title over 100 characters is ignored and one is synthesized from the content', async () => {
    const tooLong = 'T'.repeat(101);
    const r = await call(userPosts(), { body: postBody({ title: tooLong, content: '<h2>The real heading</h2><p>Text</p>' }) });
    expect(r.status).toBe(201);
    expect(r.json.data.title).toBe('The real heading');
    expect(sim.posts.get(r.json.data.id)!.requestedTitle).toBe(tooLong);
    // Exactly 100 is still used.
    const hundred = 'H'.repeat(100);
    expect((await call(userPosts(), { body: postBody({ title: hundred }) })).json.data.title).toBe(hundred);
  });

  test('markdown content synthesizes from its first line without heading markers', async () => {
    const r = await call(userPosts(), { body: postBody({ title: 'x'.repeat(150), contentFormat: 'markdown', content: '\n# Markdown *heading*\n\nBody' }) });
    expect(r.json.data.title).toBe('Markdown heading');
  });
});

describe('POST /publications/:id/posts', () => {
  test('an editor may publish: 201 with publicationId', async () => {
    const r = await call(`/publications/${MEDIUM_EDITOR_PUBLICATION_ID}/posts`, { body: postBody() });
    expect(r.status).toBe(201);
    expect(r.json.data.publicationId).toBe(MEDIUM_EDITOR_PUBLICATION_ID);
    expect(r.json.data.url).toMatch(/^https:\/\/medium\.com\/developers\/liverpool-fc-[0-9a-f]{12}$/);
  });

  test('a writer may only create drafts (pending approval)', async () => {
    const path = `/publications/${MEDIUM_WRITER_PUBLICATION_ID}/posts`;
    const pub = await call(path, { body: postBody({ publishStatus: 'public' }) });
    expect(pub.status).toBe(403);
    const draft = await call(path, { body: postBody({ publishStatus: 'draft' }) });
    expect(draft.status).toBe(201);
    expect(draft.json.data).toMatchObject({ publicationId: MEDIUM_WRITER_PUBLICATION_ID, publishStatus: 'draft' });
    expect(draft.json.data).not.toHaveProperty('publishedAt');
    expect(sim.posts.get(draft.json.data.id)!.pendingApproval).toBe(true);
    expect(sim.posts.size).toBe(1);
  });

  test('a non-member or an unknown publication → 403', async () => {
    expect((await call(`/publications/${MEDIUM_OTHER_PUBLICATION_ID}/posts`, { body: postBody() })).status).toBe(403);
    expect((await call('/publications/doesnotexist/posts', { body: postBody() })).status).toBe(403);
    expect(sim.posts.size).toBe(0);
  });

  test('added publications and contributors are honoured', async () => {
    sim.addPublication({ id: 'feedfacecafe', name: 'New Pub', contributors: [{ userId: MEDIUM_DEFAULT_USER.id, role: 'editor' }] });
    const r = await call('/publications/feedfacecafe/posts', { body: postBody({ publishStatus: 'unlisted' }) });
    expect(r.status).toBe(201);
    expect(r.json.data.publicationId).toBe('feedfacecafe');
  });
});

describe('no read, list, update or delete endpoints', () => {
  test.each([
    ['GET', '/users/ME/posts'],
    ['GET', '/posts/POST'],
    ['PUT', '/posts/POST'],
    ['PATCH', '/posts/POST'],
    ['DELETE', '/posts/POST'],
    ['GET', '/publications/' + MEDIUM_EDITOR_PUBLICATION_ID + '/posts'],
    ['PUT', '/users/ME/posts/POST'],
    ['DELETE', '/users/ME/posts/POST'],
  ])('%s %s → 404', async (method, template) => {
    const created = await call(userPosts(), { body: postBody() });
    const path = template.replace('ME', MEDIUM_DEFAULT_USER.id).replace('POST', created.json.data.id);
    const r = await call(path, { method, body: method === 'GET' || method === 'DELETE' ? undefined : postBody({ title: 'Edited' }) });
    expect(r.status).toBe(404);
    expect(r.json.errors[0]).toEqual({ message: expect.any(String), code: expect.any(Number) });
    expect(sim.posts.get(created.json.data.id)!.title).toBe('Liverpool FC');
  });

  test('paths outside /v1 → 404', async () => {
    const res = await fetch(sim.url.replace(/\/v1$/, '/v2/me'), { headers: { authorization: `Bearer ${MEDIUM_TEST_TOKEN}` } });
    expect(res.status).toBe(404);
  });
});

describe('image upload', () => {
  test('POST /images takes one multipart image and answers 201 {url, md5}', async () => {
    const boundary = 'FormBoundaryXYZ';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--${boundary}--\r\n`;
    const r = await call('/images', { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(r.status).toBe(201);
    expect(r.json.data).toEqual({ url: expect.stringMatching(/\.png$/), md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(sim.images).toHaveLength(1);
    const svg = body.replace('image/png', 'image/svg+xml');
    expect((await call('/images', { body: svg, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })).status).toBe(400);
  });
});

describe('rolling daily limit', () => {
  test('default: 10 posts per user per 24 h, then 429 code 1007 without Retry-After; resets 24 h after the first', async () => {
    for (let i = 0; i < 10; i++) expect((await call(userPosts(), { body: postBody({ title: `Post ${i}` }) })).status).toBe(201);
    const over = await call(userPosts(), { body: postBody({ title: 'Eleven' }) });
    expect(over.status).toBe(429);
    expect(over.json).toEqual(RATE_LIMIT_BODY);
    expect(over.headers.get('retry-after')).toBeNull();
    expect(sim.posts.size).toBe(10);
    sim.advanceTime(23 * 3600 * 1000);
    expect((await call(userPosts(), { body: postBody() })).status).toBe(429);
    sim.advanceTime(3600 * 1000 + 1000);
    expect((await call(userPosts(), { body: postBody({ title: 'Next day' }) })).status).toBe(201);
  });

  test('compressed window (3 per 2 s) is rolling, per user, and counts drafts and publication posts', async () => {
    let t = 1_000_000;
    const fast = createMediumSimulator({ dailyLimit: { max: 3, windowMs: 2_000 }, now: () => t });
    await fast.listen();
    try {
      fast.addUser('bob-token', { id: 'bob', username: 'bob', name: 'Bob' });
      const post = (body = postBody()) => call(userPosts(), { sim: fast, body });
      expect((await post()).status).toBe(201); // t=0
      t += 1_000;
      expect((await post(postBody({ publishStatus: 'draft' }))).status).toBe(201); // t=1000
      t += 500;
      expect((await call(`/publications/${MEDIUM_EDITOR_PUBLICATION_ID}/posts`, { sim: fast, body: postBody() })).status).toBe(201); // t=1500
      t += 300;
      const limited = await post(); // t=1800: 3 in the window
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual(RATE_LIMIT_BODY);
      expect(fast.postsInWindow(MEDIUM_DEFAULT_USER.id)).toBe(3);
      // Another user has their own window.
      expect((await call('/users/bob/posts', { sim: fast, token: 'bob-token', body: postBody() })).status).toBe(201);
      t += 201; // t=2001: the first post has left the window
      expect((await post()).status).toBe(201);
      t += 99; // t=2100: 1000, 1500, 2001 are in the window again
      expect((await post()).status).toBe(429);
      // advanceTime moves the same clock.
      fast.advanceTime(2_000);
      expect((await post()).status).toBe(201);
    } finally {
      await fast.close();
    }
  });

  test('rejected requests do not use a slot', async () => {
    const fast = createMediumSimulator({ dailyLimit: { max: 1, windowMs: 60_000 } });
    await fast.listen();
    try {
      expect((await call(userPosts(), { sim: fast, body: postBody({ contentFormat: 'rtf' }) })).status).toBe(400);
      expect((await call(userPosts('someone'), { sim: fast, body: postBody() })).status).toBe(403);
      expect((await call(userPosts(), { sim: fast, body: postBody() })).status).toBe(201);
      expect((await call(userPosts(), { sim: fast, body: postBody() })).status).toBe(429);
    } finally {
      await fast.close();
    }
  });

  test('Retry-After can be switched on', async () => {
    const fast = createMediumSimulator({ dailyLimit: { max: 1, windowMs: 10_000 }, retryAfter: true });
    await fast.listen();
    try {
      await call(userPosts(), { sim: fast, body: postBody() });
      const r = await call(userPosts(), { sim: fast, body: postBody() });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    } finally {
      await fast.close();
    }
  });

  test('reset() clears the counters and the clock offset', async () => {
    const fast = createMediumSimulator({ dailyLimit: { max: 1, windowMs: 60_000 } });
    await fast.listen();
    try {
      await call(userPosts(), { sim: fast, body: postBody() });
      fast.advanceTime(5_000);
      expect((await call(userPosts(), { sim: fast, body: postBody() })).status).toBe(429);
      fast.reset();
      expect(fast.clockOffsetMs).toBe(0);
      expect(fast.posts.size).toBe(0);
      expect((await call(userPosts(), { sim: fast, body: postBody() })).status).toBe(201);
    } finally {
      await fast.close();
    }
  });
});

describe('fault injection by path', () => {
  test('a status fault on the create path hits only that path, once', async () => {
    sim.server.inject({ kind: 'status', match: { method: 'POST', path: `/v1${userPosts()}` }, status: 503, body: { errors: [{ message: 'Service unavailable', code: -1 }] } });
    expect((await call('/me')).status).toBe(200);
    const r = await call(userPosts(), { body: postBody() });
    expect(r.status).toBe(503);
    expect(sim.posts.size).toBe(0);
    expect((await call(userPosts(), { body: postBody() })).status).toBe(201);
  });

  test('timeout-after on create commits the post (and uses a daily slot) while the client times out', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { path: /\/posts$/ } });
    await expect(call(userPosts(), { body: postBody(), signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(sim.posts.size).toBe(1);
    expect(sim.postsInWindow(MEDIUM_DEFAULT_USER.id)).toBe(1);
  });

  test('a malformed-body fault answers 200 with invalid JSON', async () => {
    sim.server.inject({ kind: 'malformed', match: { path: '/v1/me' } });
    const res = await fetch(`${sim.url}/me`, { headers: { authorization: `Bearer ${MEDIUM_TEST_TOKEN}` } });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });
});
