/**
 * The DEV simulator over real HTTP. Expected values come from shared/reference/platform-apis.md §1.
 * A fake clock drives every time window so the rate-limit and five-minute tests are deterministic.
 */
import {
  createDevtoSimulator,
  parseFrontMatter,
  toSentence,
  DEVTO_DEFAULT_KEY,
  DEVTO_V0_WARNING,
  type DevtoSimulator,
  type DevtoSimulatorOptions,
} from '../../simulators/devto';

const V1 = 'application/vnd.forem.api-v1+json';
const OTHER_KEY = 'devto-other-key';
const USERS = {
  [DEVTO_DEFAULT_KEY]: { id: 1, username: 'alice', name: 'Alice' },
  [OTHER_KEY]: { id: 2, username: 'bob', name: 'Bob' },
};
/** 200 ms into a second, so Rack::Attack's epoch-aligned 1 s window has 800 ms left. */
const T0 = Date.parse('2026-09-03T10:00:00.200Z');

let clock = T0;
let sim: DevtoSimulator;
let base: string;

async function start(options: DevtoSimulatorOptions = {}): Promise<void> {
  clock = T0;
  sim = createDevtoSimulator({ apiKeys: { ...USERS }, limits: false, now: () => clock, ...options });
  base = await sim.listen();
}

afterEach(async () => {
  await sim?.close();
});

interface CallOptions {
  method?: string;
  body?: unknown;
  key?: string | null;
  accept?: string | null;
  contentType?: string | null;
  signal?: AbortSignal;
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(path: string, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (o.key !== null) headers['api-key'] = o.key ?? DEVTO_DEFAULT_KEY;
  if (o.accept !== null) headers.accept = o.accept ?? V1;
  if (o.body !== undefined && o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/json';
  const res = await fetch(`${base}/api${path}`, {
    method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
    headers,
    body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
    signal: o.signal,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const post = (article: unknown, o: CallOptions = {}) => call('/articles', { method: 'POST', body: { article }, ...o });
const put = (id: number, article: unknown, o: CallOptions = {}) => call(`/articles/${id}`, { method: 'PUT', body: { article }, ...o });

async function expect422(article: Record<string, unknown>, message: string): Promise<void> {
  const res = await post({ body_markdown: 'Body', ...article });
  expect(res.status).toBe(422);
  expect(res.json).toEqual({ error: message, status: 422 });
}

const SHOW_KEYS = [
  'type_of', 'id', 'title', 'description', 'readable_publish_date', 'slug', 'path', 'url', 'comments_count',
  'public_reactions_count', 'collection_id', 'published_timestamp', 'positive_reactions_count', 'cover_image',
  'social_image', 'canonical_url', 'created_at', 'edited_at', 'crossposted_at', 'published_at', 'last_comment_at',
  'reading_time_minutes', 'tag_list', 'tags', 'body_html', 'body_markdown', 'user',
].sort();
const ME_KEYS = [
  'type_of', 'id', 'title', 'description', 'published', 'published_at', 'slug', 'path', 'url', 'comments_count',
  'public_reactions_count', 'page_views_count', 'published_timestamp', 'body_markdown', 'positive_reactions_count',
  'cover_image', 'tag_list', 'canonical_url', 'reading_time_minutes', 'user',
].sort();

describe('auth and headers', () => {
  beforeEach(() => start());

  test('a missing api-key is 401 with Cache-Control: no-store', async () => {
    const res = await post({ title: 'T' }, { key: null });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'unauthorized', status: 401 });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(sim.articles).toHaveLength(0);
  });

  test('an unknown key is 401, and Authorization: Bearer is ignored', async () => {
    expect((await call('/articles/me/all', { key: 'nope' })).json).toEqual({ error: 'unauthorized', status: 401 });
    const bearer = await fetch(`${base}/api/articles/me/all`, { headers: { authorization: `Bearer ${DEVTO_DEFAULT_KEY}`, accept: V1 } });
    expect(bearer.status).toBe(401);
  });

  test('without the v1 Accept header the request succeeds with the v0 Warning header, and is recorded', async () => {
    const old = await post({ title: 'Old client', body_markdown: 'x' }, { accept: null });
    expect(old.status).toBe(201);
    expect(old.headers.get('warning')).toBe(DEVTO_V0_WARNING);
    expect(DEVTO_V0_WARNING).toBe(
      '299 - This endpoint will require the `api-key` header and the `Accept` header to be set to `application/vnd.forem.api-v1+json` in future.',
    );
    const modern = await call('/articles/me/all');
    expect(modern.headers.get('warning')).toBeNull();
    expect(sim.requestsWithoutV1Accept().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/articles']);
  });

  test('the public show endpoint needs no key; unknown routes are 404', async () => {
    const created = await post({ title: 'Public', body_markdown: 'x', published: true });
    const show = await call(`/articles/${created.json.id}`, { key: null });
    expect(show.status).toBe(200);
    expect(show.json.id).toBe(created.json.id);
    expect(await call('/nothing-here')).toMatchObject({ status: 404, json: { error: 'not found', status: 404 } });
  });
});

describe('create', () => {
  beforeEach(() => start());

  test('201 with the show body, exact field names, no `published`, and Location = url', async () => {
    const res = await post({
      title: 'Hello   World',
      body_markdown: 'Some text here',
      published: true,
      tags: ['WebDev', 'javascript'],
      canonical_url: 'https://example.com/hello',
      main_image: 'https://example.com/cover.png',
      series: 'Intro',
    });
    expect(res.status).toBe(201);
    const body = res.json;
    expect(Object.keys(body).sort()).toEqual(SHOW_KEYS);
    expect(body).not.toHaveProperty('published');
    expect(res.headers.get('location')).toBe(body.url);
    expect(body.url).toBe(`https://dev.to/alice/${body.slug}`);
    expect(body.path).toBe(`/alice/${body.slug}`);
    expect(body.slug).toMatch(/^hello-world-[0-9a-p]+$/);
    expect(body.title).toBe('Hello World'); // whitespace runs collapse
    expect(body.tag_list).toBe('webdev, javascript');
    expect(body.tags).toEqual(['webdev', 'javascript']);
    expect(body.published_at).toBe('2026-09-03T10:00:00Z');
    expect(body.published_timestamp).toBe('2026-09-03T10:00:00Z');
    expect(body.readable_publish_date).toBe('Sep 3');
    expect(body.canonical_url).toBe('https://example.com/hello');
    expect(body.cover_image).not.toBe('https://example.com/cover.png'); // rewritten by the optimizer
    expect(body.cover_image).toContain(encodeURIComponent('https://example.com/cover.png'));
    expect(typeof body.collection_id).toBe('number');
    expect(body.description).toBe('Some text here');
    expect(body.user).toMatchObject({ username: 'alice', name: 'Alice', user_id: 1 });
    expect(sim.articles).toHaveLength(1);
    expect(sim.articles[0]).toMatchObject({ id: body.id, userId: 1, published: true });
  });

  test('a draft gets a temp slug and no publish date; canonical_url falls back to the url', async () => {
    const res = await post({ title: 'My Draft', body_markdown: 'x' });
    expect(res.status).toBe(201);
    expect(res.json.slug).toMatch(/^my-draft-[0-9a-p]+-temp-slug-\d+$/);
    expect(res.json.published_at).toBeNull();
    expect(res.json.published_timestamp).toBe('');
    expect(res.json.readable_publish_date).toBeNull();
    expect(res.json.canonical_url).toBe(res.json.url);
  });

  test('a non-object `article` is 422 naming the Ruby class', async () => {
    const nil = await call('/articles', { method: 'POST', body: { title: 'no wrapper' } });
    expect(nil.status).toBe(422);
    expect(nil.json).toEqual({ error: 'article param must be a JSON object. You provided article as a NilClass', status: 422 });
    const str = await call('/articles', { method: 'POST', body: { article: 'text' } });
    expect(str.json.error).toBe('article param must be a JSON object. You provided article as a String');
    const arr = await call('/articles', { method: 'POST', body: { article: [] } });
    expect(arr.json.error).toBe('article param must be a JSON object. You provided article as a Array');
    expect(sim.articles).toHaveLength(0);
  });

  test('a JSON body without a JSON content-type is not parsed (article is nil)', async () => {
    const res = await post({ title: 'T', body_markdown: 'x' }, { contentType: 'text/plain' });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('article param must be a JSON object. You provided article as a NilClass');
  });
});

describe('update', () => {
  beforeEach(() => start());

  test('200 with the show body; changes only the given fields', async () => {
    const created = await post({ title: 'First', body_markdown: 'one', tags: ['a'], published: true });
    const res = await put(created.json.id, { title: 'Second' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(SHOW_KEYS);
    expect(res.json).toMatchObject({ id: created.json.id, title: 'Second', body_markdown: 'one', tags: ['a'], slug: created.json.slug });
    expect(sim.articles[0].title).toBe('Second');
  });

  test("another user's article and an unknown id are both 404", async () => {
    const created = await post({ title: 'Mine', body_markdown: 'x' });
    const other = await put(created.json.id, { title: 'Stolen' }, { key: OTHER_KEY });
    expect(other.status).toBe(404);
    expect(other.json).toEqual({ error: 'not found', status: 404 });
    expect((await put(999, { title: 'x' })).json).toEqual({ error: 'not found', status: 404 });
    expect(sim.articles[0].title).toBe('Mine');
  });

  test('publishing a draft regenerates slug and url; published:false unpublishes', async () => {
    const draft = await post({ title: 'Going Live', body_markdown: 'x' });
    const live = await put(draft.json.id, { published: true });
    expect(live.status).toBe(200);
    expect(live.json.slug).toMatch(/^going-live-[0-9a-p]+$/);
    expect(live.json.slug).not.toBe(draft.json.slug);
    expect(live.json.url).toBe(`https://dev.to/alice/${live.json.slug}`);
    expect(live.json.published_at).toBe('2026-09-03T10:00:00Z');
    expect((await call(`/articles/${draft.json.id}`)).status).toBe(200);

    const down = await put(draft.json.id, { published: false });
    expect(down.status).toBe(200);
    expect(sim.articles[0].published).toBe(false);
    expect((await call(`/articles/${draft.json.id}`)).json).toEqual({ error: 'not found', status: 404 });
    const unpublished = await call('/articles/me/unpublished');
    expect(unpublished.json.map((a: { id: number }) => a.id)).toEqual([draft.json.id]);
  });

  test('published_at of a published article is immutable beyond 60 s', async () => {
    const created = await post({ title: 'Dated', body_markdown: 'x', published: true });
    clock += 120_000;
    const res = await put(created.json.id, { published_at: '2026-09-04T10:00:00Z' });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('Published at updating published_at for articles that have already been published is not allowed');
  });
});

describe('validation (422, messages verbatim)', () => {
  beforeEach(() => start());

  test('title blank and title too long', async () => {
    await expect422({ title: '   ' }, "Title can't be blank");
    await expect422({ title: 'x'.repeat(129) }, 'Title is too long (maximum is 128 characters for full_post)');
    expect((await post({ title: 'y'.repeat(128), body_markdown: 'b' })).status).toBe(201);
  });

  test('tag count, tag characters and tag length', async () => {
    await expect422({ title: 'A', tags: ['a', 'b', 'c', 'd', 'e'] }, 'Tag list exceed the maximum of 4 tags');
    await expect422({ title: 'B', tags: ['github-actions'] }, 'Tag "github-actions" contains non-alphanumeric or prohibited unicode characters');
    await expect422({ title: 'C', tags: ['a'.repeat(31)] }, `Tag "${'a'.repeat(31)}" is too long (maximum is 30 characters)`);
    const ok = await post({ title: 'D', body_markdown: 'x', tags: ['a'.repeat(30), 'Uber'] });
    expect(ok.status).toBe(201);
    expect(ok.json.tags).toEqual(['a'.repeat(30), 'uber']);
    // Letters outside ASCII: DEV's rule is undocumented ("prohibited unicode characters"); strict by default.
    await expect422({ title: 'E', tags: ['über'] }, 'Tag "über" contains non-alphanumeric or prohibited unicode characters');
    await expect422({ title: 'F', tags: ['日本語'] }, 'Tag "日本語" contains non-alphanumeric or prohibited unicode characters');
  });

  test('canonical url with spaces, and body markdown over 800 KB', async () => {
    await expect422({ title: 'E', canonical_url: 'https://example.com/a b' }, 'Canonical url must not have spaces');
    await expect422({ title: 'F', body_markdown: 'x'.repeat(800 * 1024 + 1) }, 'Body markdown is too long.');
    // Bytes, not characters: 300k three-byte characters are 900 KB.
    await expect422({ title: 'G', body_markdown: '€'.repeat(300_000) }, 'Body markdown is too long.');
    expect((await post({ title: 'H', body_markdown: 'x'.repeat(800 * 1024) })).status).toBe(201);
  });

  test('several errors join like Rails to_sentence', async () => {
    await expect422({ title: '', tags: ['a-b'] }, 'Title can\'t be blank and Tag "a-b" contains non-alphanumeric or prohibited unicode characters');
    await expect422(
      { title: '', tags: ['a-b'], canonical_url: 'https://x.com/a b' },
      'Title can\'t be blank, Canonical url must not have spaces and Tag "a-b" contains non-alphanumeric or prohibited unicode characters',
    );
    expect(toSentence(['A'])).toBe('A');
    expect(toSentence(['A', 'B'])).toBe('A and B');
    expect(toSentence(['A', 'B', 'C'])).toBe('A, B and C');
    expect(sim.articles).toHaveLength(0);
  });

  test('the same title within five minutes is refused on create only, per user', async () => {
    const first = await post({ title: 'Repeat Me', body_markdown: 'x' });
    expect(first.status).toBe(201);
    clock += 4 * 60_000;
    await expect422({ title: 'Repeat Me' }, 'Title has already been used in the last five minutes');
    expect((await post({ title: 'Repeat Me', body_markdown: 'x' }, { key: OTHER_KEY })).status).toBe(201);
    expect((await put(first.json.id, { title: 'Repeat Me', body_markdown: 'edited' })).status).toBe(200);
    clock += 60_001;
    expect((await post({ title: 'Repeat Me', body_markdown: 'x' })).status).toBe(201);
  });

  test('a canonical url is taken only by PUBLISHED articles, of any user', async () => {
    const canonical = 'https://blog.example.com/post';
    const taken = 'Canonical url has already been taken. Email yo@dev.to for further details.';
    const bobDraft = await post({ title: 'Bob draft', body_markdown: 'x', canonical_url: canonical }, { key: OTHER_KEY });
    expect(bobDraft.status).toBe(201);
    const aliceDraft = await post({ title: 'Alice draft', body_markdown: 'x', canonical_url: canonical });
    expect(aliceDraft.status).toBe(201); // drafts never collide

    const bobLive = await put(bobDraft.json.id, { published: true }, { key: OTHER_KEY });
    expect(bobLive.status).toBe(200);
    await expect422({ title: 'Alice live', canonical_url: canonical, published: true }, taken);
    expect((await put(aliceDraft.json.id, { published: true })).json).toEqual({ error: taken, status: 422 });

    expect((await put(bobDraft.json.id, { published: false }, { key: OTHER_KEY })).status).toBe(200);
    expect((await put(aliceDraft.json.id, { published: true })).status).toBe(200);
  });
});

describe('front matter', () => {
  beforeEach(() => start());

  test('overrides title, tags, published, canonical_url, description, cover_image and series', async () => {
    const markdown = [
      '---',
      'title: "From: Front Matter"',
      'tags: Alpha, beta',
      'published: true',
      'canonical_url: https://example.com/fm',
      "description: 'It''s short'",
      'cover_image: https://example.com/fm.png',
      'series: Saga # a comment',
      '---',
      '',
      'Body text',
    ].join('\n');
    const res = await post({ title: 'JSON title', tags: ['json'], published: false, canonical_url: 'https://example.com/json', description: 'JSON', body_markdown: markdown });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      title: 'From: Front Matter',
      tags: ['alpha', 'beta'],
      canonical_url: 'https://example.com/fm',
      description: "It's short",
      published_at: '2026-09-03T10:00:00Z',
      body_markdown: markdown,
    });
    expect(res.json.cover_image).toContain(encodeURIComponent('https://example.com/fm.png'));
    expect(sim.articles[0]).toMatchObject({ published: true, series: 'Saga', mainImageFromFrontMatter: true });
    expect(res.json.body_html).toBe('<p>Body text</p>');
  });

  test('is applied before validation, both ways', async () => {
    const rescued = await post({ title: '', body_markdown: '---\ntitle: Saved by YAML\n---\nx' });
    expect(rescued.status).toBe(201);
    expect(rescued.json.title).toBe('Saved by YAML');
    await expect422({ title: 'Fine', body_markdown: '---\ntags: [a, b, c, d, e]\n---\nx' }, 'Tag list exceed the maximum of 4 tags');
  });

  test('cover_image from front matter is sticky: a later body without it clears the cover', async () => {
    const created = await post({ title: 'Cover', body_markdown: '---\ncover_image: https://example.com/c.png\n---\nx' });
    expect(created.json.cover_image).not.toBeNull();
    const updated = await put(created.json.id, { body_markdown: 'no front matter', main_image: 'https://example.com/json.png' });
    expect(updated.json.cover_image).toBeNull();
  });

  test('parseFrontMatter reads the YAML subset', () => {
    expect(parseFrontMatter('---\ntitle: A\ntags:\n  - one\n  - two\npublished: false\nseries:\n---\nbody')).toEqual({
      title: 'A',
      tags: ['one', 'two'],
      published: false,
      series: null,
    });
    expect(parseFrontMatter('no front matter')).toBeNull();
    expect(parseFrontMatter('text\n---\ntitle: late\n---')).toBeNull();
  });
});

describe('GET /articles/me*', () => {
  beforeEach(() => start());

  async function seed(): Promise<Record<string, number>> {
    const ids: Record<string, number> = {};
    for (const [name, published] of [['old', true], ['draft1', false], ['new', true], ['draft2', false]] as const) {
      clock += 10_000;
      ids[name] = (await post({ title: name, body_markdown: 'x', published })).json.id;
    }
    clock += 10_000;
    ids.scheduled = (await post({ title: 'scheduled', body_markdown: 'x', published: true, published_at: '2026-12-01T00:00:00Z' })).json.id;
    await post({ title: 'bob', body_markdown: 'x', published: true }, { key: OTHER_KEY });
    return ids;
  }

  test('/me/all orders published_at DESC, created_at DESC with NULLs (drafts) first; item shape per §1.6', async () => {
    const ids = await seed();
    const res = await call('/articles/me/all');
    expect(res.status).toBe(200);
    expect(res.json.map((a: { id: number }) => a.id)).toEqual([ids.draft2, ids.draft1, ids.scheduled, ids.new, ids.old]);
    const item = res.json[3];
    expect(Object.keys(item).sort()).toEqual(ME_KEYS);
    expect(item).toMatchObject({ published: true, tag_list: [] });
    expect(Array.isArray(item.tag_list)).toBe(true);
  });

  test('scopes: /me = /me/published (live only), /me/unpublished, and scheduled only in /all', async () => {
    const ids = await seed();
    const idsOf = async (p: string) => (await call(p)).json.map((a: { id: number }) => a.id);
    expect(await idsOf('/articles/me')).toEqual([ids.new, ids.old]);
    expect(await idsOf('/articles/me/published')).toEqual([ids.new, ids.old]);
    expect(await idsOf('/articles/me/unpublished')).toEqual([ids.draft2, ids.draft1]);
  });

  test('paging: page is 1-based, per_page defaults to 30 and is capped at 1000', async () => {
    for (let i = 0; i < 31; i++) {
      clock += 1000;
      await post({ title: `Post ${i}`, body_markdown: 'x', published: true });
    }
    const first = await call('/articles/me/all');
    expect(first.json).toHaveLength(30);
    expect(first.json[0].title).toBe('Post 30');
    const second = await call('/articles/me/all?page=2');
    expect(second.json.map((a: { title: string }) => a.title)).toEqual(['Post 0']);
    const small = await call('/articles/me/all?page=3&per_page=4');
    expect(small.json.map((a: { title: string }) => a.title)).toEqual(['Post 22', 'Post 21', 'Post 20', 'Post 19']);

    // Cap: add stored articles directly rather than 1000 more requests.
    const template = sim.articles[0];
    for (let i = 0; i < 1000; i++) sim.articles.push({ ...template, id: 5_000_000 + i, canonicalUrl: null });
    expect((await call('/articles/me/all?per_page=5000')).json).toHaveLength(1000);
    expect((await call('/articles/me/all?per_page=5000&page=2')).json).toHaveLength(31);
  });
});

describe('rate limits', () => {
  test('edge: a second write inside the 1 s window gets the plain-text 429, before auth and validation', async () => {
    await start({ limits: {} });
    expect((await post({ title: 'One', body_markdown: 'x' })).status).toBe(201);
    clock += 100;
    const limited = await post({ title: '' }); // invalid, but throttled first
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('Retry later\n');
    expect(limited.headers.get('content-type')).toBe('text/plain');
    expect(limited.headers.get('retry-after')).toBe('1');
    // Per IP + api-key: another key is counted separately, even an invalid one.
    expect((await post({ title: 'x' }, { key: 'bogus' })).status).toBe(401);
    clock += 700; // 10:00:01.000 — next window
    expect((await post({ title: 'Two', body_markdown: 'x' })).status).toBe(201);
  });

  test('edge: Retry-After counts the seconds to the end of the fixed window', async () => {
    await start({ limits: { writesPerWindow: 2, writeWindowMs: 10_000 } });
    clock = Date.parse('2026-09-03T10:00:02.500Z');
    expect((await post({ title: 'a', body_markdown: 'x' })).status).toBe(201);
    expect((await post({ title: 'b', body_markdown: 'x' })).status).toBe(201);
    const limited = await post({ title: 'c', body_markdown: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('8');
  });

  test('edge: more than 3 GETs per second per IP are throttled', async () => {
    await start({ limits: {} });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('/articles/me/all')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  test('app: the 11th published create within 30 s is a JSON 429 with Retry-After: 30; drafts do not count', async () => {
    await start({ limits: { writesPerWindow: Infinity } });
    for (let i = 0; i < 5; i++) expect((await post({ title: `Draft ${i}`, body_markdown: 'x' })).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      clock += 1000;
      expect((await post({ title: `Live ${i}`, body_markdown: 'x', published: true })).status).toBe(201);
    }
    const limited = await post({ title: 'Live 10', body_markdown: 'x', published: true });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: 'Rate limit reached, try again in 30 seconds', status: 429 });
    expect(limited.headers.get('retry-after')).toBe('30');
    // Checked on every create and before validation.
    expect((await post({ title: '' })).status).toBe(429);
    expect(sim.articles).toHaveLength(15);
    clock += 21_000; // the first published create (T0+1 s) is now 30 s old
    expect((await post({ title: 'Live 10', body_markdown: 'x', published: true })).status).toBe(201);
  });

  test('app: updates above 30 within 30 s get the JSON 429', async () => {
    await start({ limits: { writesPerWindow: Infinity } });
    const id = (await post({ title: 'Busy', body_markdown: 'x' })).json.id;
    for (let i = 0; i < 31; i++) expect((await put(id, { body_markdown: `v${i}` })).status).toBe(200);
    const limited = await put(id, { body_markdown: 'v31' });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: 'Rate limit reached, try again in 30 seconds', status: 429 });
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(sim.articles[0].bodyMarkdown).toBe('v30');
    clock += 30_000;
    expect((await put(id, { body_markdown: 'v31' })).status).toBe(200);
  });

  test('app: new accounts get the antispam limit (more than 1 published in 5 min, Retry-After: 300)', async () => {
    await start({ limits: { writesPerWindow: Infinity, newAccount: true } });
    expect((await post({ title: 'n1', body_markdown: 'x', published: true })).status).toBe(201);
    expect((await post({ title: 'n2', body_markdown: 'x', published: true })).status).toBe(201);
    const limited = await post({ title: 'n3', body_markdown: 'x', published: true });
    expect(limited.json).toEqual({ error: 'Rate limit reached, try again in 300 seconds', status: 429 });
    expect(limited.headers.get('retry-after')).toBe('300');
  });

  test('limits off: `limits: false` and setLimits(null) allow bursts', async () => {
    await start({ limits: false });
    expect(sim.limits).toBeNull();
    for (let i = 0; i < 15; i++) expect((await post({ title: `Burst ${i}`, body_markdown: 'x', published: true })).status).toBe(201);

    // Back on at runtime: the 15 published creates now trip the app limit, the next write the edge.
    sim.setLimits({});
    expect(sim.limits?.writesPerWindow).toBe(1);
    expect((await post({ title: 'a', body_markdown: 'x' })).json).toEqual({ error: 'Rate limit reached, try again in 30 seconds', status: 429 });
    expect((await post({ title: 'a', body_markdown: 'x' })).text).toBe('Retry later\n');
    sim.setLimits(null);
    expect((await post({ title: 'b', body_markdown: 'x', published: true })).status).toBe(201);
  });
});

describe('fault injection', () => {
  beforeEach(() => start());

  test('timeout-after commits the article but never answers; a blind retry hits the title check', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { method: 'POST', path: '/api/articles' } });
    await expect(post({ title: 'Ambiguous', body_markdown: 'x', published: true }, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(sim.articles).toHaveLength(1);
    const mine = await call('/articles/me/all?per_page=1000');
    expect(mine.json.map((a: { title: string }) => a.title)).toEqual(['Ambiguous']);
    await expect422({ title: 'Ambiguous' }, 'Title has already been used in the last five minutes');
  });

  test('timeout-before leaves no article; a status fault answers as told, once', async () => {
    sim.server.inject({ kind: 'timeout-before', match: { method: 'POST' } });
    await expect(post({ title: 'Lost', body_markdown: 'x' }, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(sim.articles).toHaveLength(0);

    sim.server.inject({ kind: 'status', status: 503, body: { error: 'down' } });
    const down = await post({ title: 'Later', body_markdown: 'x' });
    expect(down).toMatchObject({ status: 503, json: { error: 'down' } });
    expect((await post({ title: 'Later', body_markdown: 'x' })).status).toBe(201);
    expect(sim.server.requestsTo('POST', '/api/articles').map((r) => r.status)).toEqual([undefined, 503, 201]);
  });

  test('reset() clears articles, requests, faults and counters', async () => {
    await post({ title: 'Before', body_markdown: 'x' });
    sim.server.inject({ kind: 'status', status: 500, times: Infinity });
    sim.reset();
    expect(sim.articles).toHaveLength(0);
    expect(sim.server.requests).toHaveLength(0);
    const again = await post({ title: 'Before', body_markdown: 'x' });
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(1_000_001);
  });
});

describe('request schema', () => {
  test('`tags` sent as a string is dropped (as strong params do) and flagged', async () => {
    await start({ validateSpec: false });
    const res = await post({ title: 'String tags', body_markdown: 'x', tags: 'javascript, webdev' });
    expect(res.status).toBe(201);
    expect(res.json.tags).toEqual([]);
    expect(sim.warnings).toEqual(['tags sent as a string ("javascript, webdev") are dropped by DEV; send an array']);
  });

  const probe = createDevtoSimulator().specValidation;
  if (!probe.active) {
    // eslint-disable-next-line no-console
    console.warn(`DEV simulator: OpenAPI request validation tests skipped: ${probe.reason}`);
  }
  const specTest = probe.active ? test : test.skip;

  specTest('bodies that break the OpenAPI request schema are rejected and recorded', async () => {
    await start();
    expect(sim.specValidation.active).toBe(true);
    const res = await post({ title: 'Typed', body_markdown: 'x', published: 'yes', ai_disclosure_level: 'lots' });
    expect(res.status).toBe(422);
    expect(res.json.error).toContain('/article/published must be boolean');
    expect(res.json.error).toContain('/article/ai_disclosure_level must be equal to one of the allowed values');
    expect(sim.specViolations).toEqual([
      { method: 'POST', path: '/api/articles', errors: expect.arrayContaining(['/article/published must be boolean']) },
    ]);
    expect(sim.articles).toHaveLength(0);

    const id = (await post({ title: 'Typed', body_markdown: 'x', tags: ['ok'], series: null })).json.id;
    expect((await put(id, { organization_id: 'acme' })).json.error).toContain('/article/organization_id must be integer');
  });

  specTest('tags as an array passes (DEV needs it); as a string passes the spec but is dropped', async () => {
    await start();
    expect((await post({ title: 'Array', body_markdown: 'x', tags: ['a', 'b'] })).json.tags).toEqual(['a', 'b']);
    const str = await post({ title: 'String', body_markdown: 'x', tags: 'a, b' });
    expect(str.status).toBe(201);
    expect(str.json.tags).toEqual([]);
    expect(sim.warnings).toHaveLength(1);
    expect(sim.specViolations).toHaveLength(0);
  });

  test('validateSpec: false turns schema validation off', async () => {
    await start({ validateSpec: false });
    expect(sim.specValidation).toEqual({ active: false, reason: 'disabled by option' });
    const res = await post({ title: 'Loose', body_markdown: 'x', published: 'yes' });
    expect(res.status).toBe(201);
    expect(res.json.published_at).toBeNull();
  });
});

describe('GET /api/users/me (who a key belongs to: the settings page test connection)', () => {
  test('the key\'s user; 401 for an unknown or missing key', async () => {
    await start();
    const me = await call('/users/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ type_of: 'user', id: 1, username: 'alice', name: 'Alice' });
    expect((await call('/users/me', { key: OTHER_KEY })).json).toMatchObject({ username: 'bob' });
    const bad = await call('/users/me', { key: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: 'unauthorized', status: 401 });
    expect((await call('/users/me', { key: null })).status).toBe(401);
  });
});
