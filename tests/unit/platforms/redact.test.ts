/** Platform answers quoted in lastError lose anything that looks like a credential. */
import { PlatformError } from '../../../server/src/platforms/types';
import { redactSecrets } from '../../../server/src/platforms/redact';

test('headers, bearer tokens, API keys, UUIDs and JWTs echoed by a platform are cut out', () => {
  const echoed =
    'DEV rejected the article: {"error":"bad","request":{"headers":{"api-key":"Xk9fQ2mLp8RtZ4vB7nWc3yHd","Authorization":"Bearer abc.def.ghi123456"}},' +
    '"token=5f2b1c7e-4d3a-4b2c-9e8f-0a1b2c3d4e5f", "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"}';
  const out = new PlatformError('devto', 'permanent', echoed).message;
  for (const secret of ['Xk9fQ2mLp8RtZ4vB7nWc3yHd', 'abc.def.ghi123456', '5f2b1c7e-4d3a-4b2c-9e8f-0a1b2c3d4e5f', 'eyJhbGciOiJIUzI1NiJ9']) expect(out).not.toContain(secret);
  expect(out).toMatch(/^DEV rejected the article:/);
});

test('ordinary messages, slugs and lower-case hex post ids stay readable; known credentials go whatever their shape', () => {
  const msg = 'The post 65f0c0ffee00000000009999 at https://dev.to/me/my-long-article-title-2024 answered 404.';
  expect(redactSecrets(msg)).toBe(msg);
  expect(redactSecrets('token was abc', ['abc'])).toBe('token was abc'); // shorter than 4: left alone
  expect(redactSecrets('key medium-tok-1 leaked', ['medium-tok-1'])).toBe('key [redacted] leaked');
  expect(redactSecrets('x'.repeat(5000)).length).toBeLessThanOrEqual(1001);
});
