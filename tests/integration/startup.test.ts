/**
 * Starting the plugin with a broken environment must fail fast with a message that says what to fix:
 * no hang, no stack trace to decode, no secret in the message.
 */
import { startTestApp } from '../helpers/strapi';

describe('startup', () => {
  test('Redis unreachable → a clear error within the connect timeout, password redacted', async () => {
    const started = Date.now();
    await expect(
      startTestApp({ CROSSPOST_REDIS_URL: 'redis://:s3cret-pass@127.0.0.1:6399', CROSSPOST_DEVTO_API_KEY: 'devto-test-key' }),
    ).rejects.toThrow(/crosspost: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:6399\/? \(ECONNREFUSED\)\. Start Redis/);
    expect(Date.now() - started).toBeLessThan(30000);
  });

  test('the error never contains the Redis password', async () => {
    const err = await startTestApp({ CROSSPOST_REDIS_URL: 'redis://:s3cret-pass@127.0.0.1:6399' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).not.toContain('s3cret-pass');
    expect(String((err as Error).stack)).not.toContain('s3cret-pass');
  });

  test('a non-boolean CROSSPOST_WORKER stops startup naming the variable', async () => {
    await expect(startTestApp({ CROSSPOST_WORKER: 'maybe' })).rejects.toThrow(/"worker" must be true or false \(CROSSPOST_WORKER\), got "maybe"/);
  });

  test('a malformed base URL stops startup naming the key', async () => {
    await expect(startTestApp({ CROSSPOST_DEVTO_BASE_URL: 'dev.to/api' })).rejects.toThrow(/"platforms\.devto\.baseUrl" must be an absolute http\(s\) URL such as https:\/\/example\.com \(CROSSPOST_DEVTO_BASE_URL\)/);
  });

  test('a platform without credentials is simply off; the app starts', async () => {
    const app = await startTestApp({});
    try {
      const res = await app.strapi.plugin('crosspost').service('publications').list({ page: 1, pageSize: 10, sort: 'updatedAt:desc' });
      expect(res.results).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
