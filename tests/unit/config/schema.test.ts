import { parseConfig } from '../../../server/src/config/schema';
import { buildDefaultConfig } from '../../../server/src/config/defaults';
import { defaultsDeep } from 'lodash';

/** What Strapi does: defaultsDeep(user config, default config) then validate. */
function load(user: Record<string, unknown>, env: Record<string, string> = {}) {
  const envFn = Object.assign((k: string) => env[k], {}) as never;
  return parseConfig(defaultsDeep({}, user, buildDefaultConfig({ env: envFn })));
}

const article = { 'api::article.article': { fields: { title: 'title', body: 'body' } } };

describe('plugin config', () => {
  test('defaults come from the contract env vars', () => {
    const c = load({ contentTypes: article }, {
      CROSSPOST_REDIS_URL: 'redis://cache:6380',
      CROSSPOST_WORKER: 'false',
      CROSSPOST_PUBLIC_URL: 'https://site.example.com/',
      CROSSPOST_DEVTO_API_KEY: 'k',
      CROSSPOST_HASHNODE_TOKEN: 't',
      CROSSPOST_HASHNODE_PUBLICATION_ID: '65f0c0ffee0000000000abcd',
      CROSSPOST_MEDIUM_TOKEN: 'm',
      CROSSPOST_MEDIUM_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(c.redis.url).toBe('redis://cache:6380');
    expect(c.worker).toBe(false);
    expect(c.publicUrl).toBe('https://site.example.com');
    expect(c.platforms.devto).toMatchObject({ apiKey: 'k', baseUrl: 'https://dev.to/api', published: true });
    expect(c.platforms.hashnode).toMatchObject({ token: 't', baseUrl: 'https://gql-beta.hashnode.com', mode: 'publish' });
    expect(c.platforms.medium).toMatchObject({ token: 'm', baseUrl: 'http://127.0.0.1:9/v1', publishStatus: 'public' });
    expect(c.platforms.devto.limits).toEqual({ writes: { max: 1, durationMs: 1000 }, creates: { max: 9, durationMs: 30000 }, updates: { max: 30, durationMs: 30000 } });
  });

  test('REDIS_URL is the fallback for CROSSPOST_REDIS_URL, then localhost', () => {
    expect(load({}, { REDIS_URL: 'redis://other:1' }).redis.url).toBe('redis://other:1');
    expect(load({}).redis.url).toBe('redis://127.0.0.1:6379');
  });

  test('user config wins over env defaults', () => {
    const c = load({ platforms: { devto: { apiKey: 'from-config', published: false } } }, { CROSSPOST_DEVTO_API_KEY: 'from-env' });
    expect(c.platforms.devto.apiKey).toBe('from-config');
    expect(c.platforms.devto.published).toBe(false);
  });

  test('tags mapping: a string is shorthand for an auto-detected field', () => {
    const c = load({ contentTypes: { 'api::post.post': { fields: { tags: 'keywords' } } } });
    expect(c.contentTypes['api::post.post'].fields.tags).toEqual({ field: 'keywords', format: 'auto', nameField: 'name', separator: ',' });
    expect(c.contentTypes['api::post.post'].fields.body).toBe('body');
  });

  test.each([
    [{ worker: 'sometimes' }, /"worker" must be true or false \(CROSSPOST_WORKER\), got "sometimes"/],
    [{ redis: { url: 'http://localhost:6379' } }, /"redis\.url" must be a redis:\/\/ or rediss:\/\/ URL \(CROSSPOST_REDIS_URL\)/],
    [{ contentTypes: { article: {} } }, /content type keys must be UIDs like "api::article\.article"/],
    [{ contentTypes: { 'api::a.a': { fields: { tags: { field: 'tags', format: 'csv' } } } } }, /"contentTypes\.api::a\.a\.fields\.tags\.format" must be one of "auto", "string", "json", "relation", "component" \(got "csv"\)/],
    [{ contentTypes: { 'api::a.a': { canonicalUrl: '/posts/{slug}' } } }, /must be an absolute http\(s\) URL template/],
    [{ contentTypes: { 'api::a.a': { titel: 'x' } } }, /"contentTypes\.api::a\.a\.titel" is not a known option of "contentTypes\.api::a\.a"/],
    [{ platforms: { medium: { publishStatus: 'secret' } } }, /"platforms\.medium\.publishStatus" must be one of "public", "draft", "unlisted" \(got "secret"\)/],
    [{ platforms: { hashnode: { publicationId: 'abc' } } }, /must be the 24-character hex id of the Hashnode publication/],
    [{ retry: { maxAttempts: 0 } }, /"retry\.maxAttempts"/],
    [{ queue: { concurrency: 'many' } }, /"queue\.concurrency" must be a number \(got string\)/],
  ])('rejects %j with a message naming the key', (user, message) => {
    expect(() => load(user as Record<string, unknown>)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    let msg = '';
    try {
      load({ worker: 'x', redis: { url: 'nope' } });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^Invalid crosspost plugin config/);
    expect(msg.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(2);
  });

  test('webhooks, metrics and health: defaults, and config endpoints checked', () => {
    const c = load({});
    expect(c.webhooks).toMatchObject({ endpoints: [], timeoutMs: 15000, jitter: 0.2, allowPrivateNetworks: false, disableAfterMs: 72 * 3600000, retentionMs: 30 * 24 * 3600000 });
    expect(c.webhooks.retrySchedule).toEqual([0, 5000, 300000, 1800000, 7200000, 18000000, 36000000, 50400000, 72000000, 86400000]);
    expect(c.metrics).toMatchObject({ enabled: false, defaultMetrics: true });
    expect(c.health).toEqual({ maxQueueAgeSeconds: 900, failingStreak: 5 });
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(load({ webhooks: { endpoints: [{ name: 'a', url: 'https://h.example.com/x', secret }] } }).webhooks.endpoints[0].events).toEqual(['crosspost.*']);
    expect(() => load({ webhooks: { endpoints: [{ name: 'a', url: 'https://h.example.com/x', secret: 'hunter2' }] } })).toThrow(/"webhooks\.endpoints\.0\.secret" must be a Standard Webhooks secret/);
    const twice = { name: 'a', url: 'https://h.example.com/x', secret };
    expect(() => load({ webhooks: { endpoints: [twice, twice] } })).toThrow(/names must be unique/);
  });
});
