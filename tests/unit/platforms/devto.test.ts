/**
 * The DEV connector against the DEV simulator over real HTTP: render, create / update / unpublish, the
 * lookup that adopts an earlier create, and how failures are classified.
 */
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, DEVTO_V1_ACCEPT, type DevtoSimulator } from '../../simulators/devto';
import { createDevtoConnector, type DevtoConfig, type DevtoPayload } from '../../../server/src/platforms/devto';
import type { Connector } from '../../../server/src/platforms/types';
import { article, rejection } from './helpers';

let sim: DevtoSimulator;
let dev: Connector<DevtoPayload>;

const TIMEOUT_MS = 300;
const OTHER_KEY = 'someone-elses-key';

function connector(overrides: Partial<DevtoConfig> = {}): Connector<DevtoPayload> {
  return createDevtoConnector({ apiKey: DEVTO_DEFAULT_KEY, baseUrl: sim.apiUrl, published: true, ...overrides }, { timeoutMs: TIMEOUT_MS });
}

const calls = () => sim.server.requests.map((r) => `${r.method} ${r.path}`);
const payload = (overrides = {}) => dev.render(article(overrides), {}).payload;

/** Another DEV account publishes `canonical` first. */
async function publishAsSomeoneElse(canonical: string): Promise<void> {
  const res = await fetch(`${sim.apiUrl}/articles`, {
    method: 'POST',
    headers: { 'api-key': OTHER_KEY, 'content-type': 'application/json', accept: DEVTO_V1_ACCEPT },
    body: JSON.stringify({ article: { title: 'Theirs', body_markdown: 'x', published: true, canonical_url: canonical } }),
  });
  expect(res.status).toBe(201);
  sim.server.requests.splice(0);
}

beforeAll(async () => {
  sim = createDevtoSimulator({ limits: false });
  await sim.listen();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.apiKeys[OTHER_KEY] = { id: 999, username: 'someone', name: 'Someone' };
  dev = connector();
});

describe('render', () => {
  test('DEV fields: normalized tags, canonical, cover, description; tables kept; no title heading', () => {
    const { payload: p, warnings, blocking } = dev.render(article({ tags: ['GitHub Actions', 'TypeScript'] }), {});
    expect(blocking).toEqual([]);
    expect(warnings).toEqual(['DEV: tag "GitHub Actions" is sent as "githubactions".']);
    expect(p).toEqual({
      article: {
        title: 'Shipping a GraphQL API',
        body_markdown: '## Intro\n\nSome **bold** text.\n\n```ts\nconst x = 1;\n```\n',
        published: true,
        tags: ['githubactions', 'typescript'],
        canonical_url: 'https://blog.example.com/posts/shipping-graphql',
        main_image: 'https://cms.example.com/uploads/cover.png',
        description: 'What we learned',
      },
    });
  });

  test('draft option → published:false; a title over 128 characters blocks', () => {
    expect(dev.render(article(), { draft: true }).payload.article.published).toBe(false);
    const r = dev.render(article({ title: 'A'.repeat(129) }), {});
    expect(r.blocking).toEqual(['DEV titles are limited to 128 characters; this one has 129. Shorten the title.']);
  });
});

describe('create, update, unpublish', () => {
  test('create = one POST /articles with the v1 Accept header and the api-key', async () => {
    const ref = await dev.create(payload());
    expect(calls()).toEqual(['POST /api/articles']);
    expect(sim.server.requests[0].headers['api-key']).toBe(DEVTO_DEFAULT_KEY);
    expect(sim.server.requests[0].headers.accept).toBe(DEVTO_V1_ACCEPT);
    expect(sim.articles).toHaveLength(1);
    expect(ref).toEqual({ remoteId: String(sim.articles[0].id), remoteUrl: expect.stringMatching(/^https:\/\/dev\.to\//), remoteState: 'published' });
    expect(sim.specViolations).toEqual([]);
  });

  test('update = one PUT on the same article', async () => {
    const ref = await dev.create(payload());
    const updated = await dev.update(ref.remoteId, payload({ markdown: 'Version two.' }));
    expect(calls()).toEqual(['POST /api/articles', `PUT /api/articles/${ref.remoteId}`]);
    expect(updated.remoteId).toBe(ref.remoteId);
    expect(sim.articles[0].bodyMarkdown).toBe('Version two.\n');
  });

  test('unpublish = PUT published:false; an article already gone counts as unpublished', async () => {
    const ref = await dev.create(payload());
    expect(await dev.unpublish(ref.remoteId)).toMatchObject({ remoteId: ref.remoteId, remoteState: 'unpublished' });
    expect(sim.articles[0].published).toBe(false);
    expect(await dev.unpublish('424242')).toEqual({ remoteId: '424242', remoteState: 'unpublished' });
  });
});

describe('errors', () => {
  test("422 keeps DEV's own message and is permanent", async () => {
    await publishAsSomeoneElse('https://blog.example.com/posts/shipping-graphql');
    const err = await rejection(dev.create(payload()), 'permanent');
    expect(err.message).toBe('DEV rejected the article: Canonical url has already been taken. Email yo@dev.to for further details.');
    expect(err.status).toBe(422);
    // It looked for an earlier create of ours before failing, and found none (the article is someone else's).
    expect(calls()).toEqual(['POST /api/articles', 'GET /api/articles/me/all']);
  });

  test('canonical URL taken by our own earlier create → adopted through findExisting, no duplicate', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { method: 'POST' } });
    await rejection(dev.create(payload()), 'ambiguous');
    expect(sim.articles).toHaveLength(1);

    const ref = await dev.create(payload());
    expect(ref).toMatchObject({ remoteId: String(sim.articles[0].id), remoteState: 'published' });
    expect(sim.articles).toHaveLength(1);
  });

  test('401 → permanent, never the key itself', async () => {
    const secret = 'devto-secret-key-never-shown';
    const c = connector({ apiKey: secret });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent', [secret]);
    expect(err.status).toBe(401);
    expect(err.message).toBe('DEV rejected the credentials (401). Check the API key/token in the plugin config.');
  });

  test('404 on update → permanent, explaining the article is gone', async () => {
    const err = await rejection(dev.update('424242', payload()), 'permanent');
    expect(err.message).toBe('The article 424242 no longer exists on DEV, or belongs to another account (404).');
    expect(err.remoteGone).toBe(true);
  });

  test('timeout after the create was committed → ambiguous; findExisting finds it by canonical URL', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { method: 'POST' } });
    const err = await rejection(dev.create(payload()), 'ambiguous');
    expect(err.message).toBe('DEV did not answer in time after the article was sent; it may or may not have been created.');
    const found = await dev.findExisting(dev.lookupKeys(payload()));
    expect(found).toMatchObject({ remoteId: String(sim.articles[0].id), remoteState: 'published' });
  });

  test('findExisting returns null when nothing of ours is there', async () => {
    await publishAsSomeoneElse('https://blog.example.com/posts/shipping-graphql');
    expect(await dev.findExisting(dev.lookupKeys(payload()))).toBeNull();
  });

  test('timeout on update → retryable', async () => {
    const ref = await dev.create(payload());
    sim.server.inject({ kind: 'timeout-after', match: { method: 'PUT' } });
    const err = await rejection(dev.update(ref.remoteId, payload()), 'retryable');
    expect(err.message).toBe('DEV did not answer in time; will retry.');
  });

  test.each([500, 502, 503, 504])('HTTP %i → ambiguous on create, retryable on update', async (status) => {
    sim.server.inject({ kind: 'status', status, body: '', match: { method: 'POST' } });
    expect((await rejection(dev.create(payload()), 'ambiguous')).status).toBe(status);
    const ref = await dev.create(payload());
    sim.server.inject({ kind: 'status', status, body: '', match: { method: 'PUT' } });
    expect((await rejection(dev.update(ref.remoteId, payload()), 'retryable')).status).toBe(status);
  });

  test('429 with and without Retry-After → retryable, rate-limited', async () => {
    sim.server.inject({ kind: 'status', status: 429, headers: { 'retry-after': '2' }, body: { error: 'Rate limit reached, try again in 2 seconds', status: 429 } });
    const a = await rejection(dev.create(payload()), 'retryable');
    expect(a).toMatchObject({ rateLimited: true, retryAfterMs: 2000 });
    sim.server.inject({ kind: 'status', status: 429, body: 'Retry later\n', headers: { 'content-type': 'text/plain' } });
    const b = await rejection(dev.create(payload()), 'retryable');
    expect(b).toMatchObject({ rateLimited: true, retryAfterMs: undefined });
  });

  test('malformed 2xx body → ambiguous on create', async () => {
    sim.server.inject({ kind: 'malformed', match: { method: 'POST' } });
    await rejection(dev.create(payload()), 'ambiguous');
  });

  test('301 to HTML → permanent, not followed', async () => {
    sim.server.inject({ kind: 'html-redirect' });
    const err = await rejection(dev.create(payload()), 'permanent');
    expect(err.status).toBe(301);
    expect(sim.server.requests).toHaveLength(1);
  });
});
