/**
 * Issue 13: the DEV connector held to DEV's published rules, against the (strict) DEV simulator over real
 * HTTP: adoption only of what is certainly ours, a taken title is a wait, paced lookups that resume, and the
 * pre-flight checks (empty body, dot-less canonical host, mentions, cover URL, lengths in characters).
 */
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, DEVTO_V1_ACCEPT, type DevtoSimulator } from '../../simulators/devto';
import { createDevtoConnector, type DevtoConfig, type DevtoPayload } from '../../../server/src/platforms/devto';
import type { Connector } from '../../../server/src/platforms/types';
import { article, rejection } from './helpers';

let sim: DevtoSimulator;
let dev: Connector<DevtoPayload>;

function connector(overrides: Partial<DevtoConfig> = {}): Connector<DevtoPayload> {
  return createDevtoConnector({ apiKey: DEVTO_DEFAULT_KEY, baseUrl: sim.apiUrl, published: true, ...overrides }, { timeoutMs: 2000 });
}

/** An article made directly on DEV (not through the connector), e.g. by the editor or another entry. */
async function postDirect(fields: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${sim.apiUrl}/articles`, {
    method: 'POST',
    headers: { 'api-key': DEVTO_DEFAULT_KEY, 'content-type': 'application/json', accept: DEVTO_V1_ACCEPT },
    body: JSON.stringify({ article: { published: true, ...fields } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
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
  sim.setLimits(null);
  dev = connector();
});

describe('#1 adoption only of what is certainly ours', () => {
  const noCanonical = (overrides = {}) => dev.render(article({ canonicalUrl: undefined, ...overrides }), {}).payload;

  test('without a canonical URL, an older article with the same title (another body) is never adopted', async () => {
    await postDirect({ title: 'Shipping a GraphQL API', body_markdown: 'Somebody else wrote this long ago.' });
    const keys = dev.lookupKeys(noCanonical());
    expect(await dev.findExisting(keys)).toBeNull();
  });

  test('without a canonical URL, an article with our title and body made long before we sent ours is not adopted', async () => {
    const p = noCanonical();
    await postDirect({ title: p.article.title, body_markdown: p.article.body_markdown });
    // We sent ours ten minutes after that one was made (the title was free again by then).
    const keys = { ...dev.lookupKeys(p), sentAt: new Date(Date.now() + 10 * 60_000).toISOString() };
    expect(await dev.findExisting(keys)).toBeNull();
  });

  test('without a canonical URL, our own create (same title, same body, just made) is adopted', async () => {
    const p = noCanonical();
    const keys = dev.lookupKeys(p);
    sim.server.inject({ kind: 'timeout-after', match: { method: 'POST' } });
    await rejection(dev.create(p), 'ambiguous');
    expect(await dev.findExisting(keys)).toMatchObject({ remoteId: String(sim.articles[0].id) });
  });

  test('with a canonical URL, a same-title article with another canonical is not adopted', async () => {
    await postDirect({ title: 'Shipping a GraphQL API', body_markdown: 'x', canonical_url: 'https://blog.example.com/posts/another' });
    expect(await dev.findExisting(dev.lookupKeys(dev.render(article(), {}).payload))).toBeNull();
  });
});

describe('#2 a title taken by another article of the account is a wait, not a failure', () => {
  test('422 "Title has already been used" for a different article → retryable, rate-limited, waits', async () => {
    await postDirect({ title: 'Shipping a GraphQL API', body_markdown: 'The other locale.', canonical_url: 'https://blog.example.com/fr/posts/shipping-graphql' });
    const c = connector({ titleReuseMs: 90_000 });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'retryable');
    expect(err).toMatchObject({ rateLimited: true, retryAfterMs: 90_000, status: 422 });
    expect(err.message).toMatch(/another article of this account has just used "Shipping a GraphQL API"; will post it when DEV allows/);
    expect(sim.articles).toHaveLength(1);
  });

  test('once the window has passed, the same create goes through (both published)', async () => {
    sim.reset();
    const short = createDevtoSimulator({ limits: false, strictness: { titleReuseMs: 300 } });
    await short.listen();
    try {
      const c = createDevtoConnector({ apiKey: DEVTO_DEFAULT_KEY, baseUrl: short.apiUrl, published: true, titleReuseMs: 300 }, { timeoutMs: 2000 });
      await c.create(c.render(article({ canonicalUrl: 'https://blog.example.com/fr/posts/x' }), {}).payload);
      const err = await rejection(c.create(c.render(article(), {}).payload), 'retryable');
      await new Promise((r) => setTimeout(r, err.retryAfterMs));
      await c.create(c.render(article(), {}).payload);
      expect(short.articles.map((a) => a.published)).toEqual([true, true]);
    } finally {
      await short.close();
    }
  });
});

describe('#5 paced lookup that resumes after a 429', () => {
  test('pages /me/all at no more than 3 reads a second: no 429 on a large account', async () => {
    for (let i = 0; i < 9; i++) await postDirect({ title: `Old ${i}`, body_markdown: 'x' });
    sim.setLimits({ readsPerWindow: 3, readWindowMs: 1000, writesPerWindow: 1000 });
    const c = connector({ lookupPageSize: 2 });
    const found = await c.findExisting({ title: 'nope', canonicalUrl: 'https://nowhere.example.com/x' });
    expect(found).toBeNull();
    const statuses = sim.server.requests.filter((r) => r.method === 'GET').map((r) => r.status);
    expect(statuses).toHaveLength(5);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  test('a 429 in the middle asks for the same page again (does not start over)', async () => {
    for (let i = 0; i < 6; i++) await postDirect({ title: `Old ${i}`, body_markdown: 'x' });
    sim.server.requests.splice(0);
    const c = connector({ lookupPageSize: 2, readIntervalMs: 0 });
    sim.server.inject({ kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: 'Retry later\n', match: { method: 'GET' }, times: 1 });
    const found = await c.findExisting({ title: 'nope', canonicalUrl: 'https://nowhere.example.com/x' });
    const pages = sim.server.requests.map((r) => r.query.page);
    expect(found).toBeNull();
    expect(sim.server.requests[0].status).toBe(429);
    // page 1 (429), page 1 again, 2, 3, 4: never page 1 a third time.
    expect(pages.filter((p) => p === '1')).toHaveLength(2);
    expect(pages.slice(-3)).toEqual(['2', '3', '4']);
  });
});

describe('pre-flight (blocking before the queue)', () => {
  test('#9 an empty body blocks, with a message', () => {
    const { blocking } = dev.render(article({ markdown: '' }), {});
    expect(blocking).toContain("DEV needs a body: this entry's body is empty. Write the article (or check the body field in the plugin config) before publishing.");
  });

  test('#9 a body that is only an image is not empty', () => {
    expect(dev.render(article({ markdown: '![](https://cdn.example.com/a.png)\n' }), {}).blocking).toEqual([]);
  });

  test.each(['http://intranet/posts/x', 'https://localhost/x', 'http://blog.localhost/x'])('#10 canonical %s (host without a dot / localhost) blocks', (url) => {
    const { blocking } = dev.render(article({ canonicalUrl: url }), {});
    expect(blocking.join(' ')).toMatch(/DEV rejects the canonical URL .* is not a public address/);
  });

  test('#10 the simulator refuses a dot-less canonical host too', async () => {
    const res = await fetch(`${sim.apiUrl}/articles`, {
      method: 'POST',
      headers: { 'api-key': DEVTO_DEFAULT_KEY, 'content-type': 'application/json', accept: DEVTO_V1_ACCEPT },
      body: JSON.stringify({ article: { title: 'T', body_markdown: 'x', canonical_url: 'http://intranet/posts/x' } }),
    });
    expect(res.status).toBe(422);
  });

  test('#11 a title of 70 emoji is 70 characters, not blocked', async () => {
    const title = '🚀'.repeat(70);
    const { blocking, payload } = dev.render(article({ title }), {});
    expect(blocking).toEqual([]);
    await dev.create(payload);
    expect(sim.articles[0].title).toBe(title);
    expect(dev.render(article({ title: '🚀'.repeat(129) }), {}).blocking.join(' ')).toMatch(/this one has 129/);
  });

  test('#13 more than 7 @mentions outside code blocks; in code they do not count', () => {
    const names = Array.from({ length: 8 }, (_, i) => `@user${i}`).join(' ');
    expect(dev.render(article({ markdown: `Thanks ${names}!\n` }), {}).blocking.join(' ')).toMatch(/DEV allows at most 7 @mentions in a post; this one has 8/);
    expect(dev.render(article({ markdown: `\`\`\`\n${names}\n\`\`\`\n\nThanks \`@a\` and mail a@b.co\n` }), {}).blocking).toEqual([]);
  });

  test('#8 a cover that is not http(s) is left out with a warning; the simulator refuses one', async () => {
    const { payload, warnings } = dev.render(article({ coverUrl: 'ftp://files.example.com/cover.png' }), {});
    expect(payload.article.main_image).toBeUndefined();
    expect(warnings).toContain('DEV: the cover image "ftp://files.example.com/cover.png" was left out: DEV only takes http(s) image addresses.');
    const res = await fetch(`${sim.apiUrl}/articles`, {
      method: 'POST',
      headers: { 'api-key': DEVTO_DEFAULT_KEY, 'content-type': 'application/json', accept: DEVTO_V1_ACCEPT },
      body: JSON.stringify({ article: { title: 'T', body_markdown: 'x', main_image: 'https://cdn.example.com/my cover.png' } }),
    });
    expect(res.status).toBe(422);
  });

  test('#7 non-Latin tags never reach DEV (the strict simulator would refuse the whole article)', async () => {
    const { payload, warnings } = dev.render(article({ tags: ['日本語', 'Программирование', 'Café'] }), {});
    expect(payload.article.tags).toEqual(['cafe']);
    expect(warnings.join(' ')).toMatch(/"日本語" has letters DEV may refuse/);
    await dev.create(payload);
    expect(sim.articles[0].tags).toEqual(['cafe']);
  });
});
