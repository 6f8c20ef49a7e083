/** Which URLs an editor may confirm as a platform's post. */
import { checkPostUrl, postHostsFor } from '../../../server/src/services/post-url';

const ok = (platform: 'devto' | 'hashnode' | 'medium', url: string, cfg = {}) => checkPostUrl(platform, url, postHostsFor(platform, cfg));

test('the platforms\' own hosts pass', () => {
  expect(ok('devto', 'https://dev.to/me/post-1')).toBe('https://dev.to/me/post-1');
  expect(ok('hashnode', 'https://me.hashnode.dev/post')).toBe('https://me.hashnode.dev/post');
  expect(ok('medium', 'https://medium.com/@me/post-123')).toBe('https://medium.com/@me/post-123');
  expect(ok('medium', 'https://me.medium.com/post-123')).toBe('https://me.medium.com/post-123');
});

test.each([
  ['devto', 'javascript:alert(1)'],
  ['devto', 'https://dev.to.evil.com/x'],
  ['devto', 'https://evildev.to/x'],
  ['hashnode', 'https://hashnode.dev.evil.com/x'],
  ['medium', 'https://notmedium.com/x'],
  ['medium', 'https://medium.com@evil.com/x'],
  ['medium', 'not a url'],
] as const)('%s refuses %s', (platform, url) => {
  expect(() => ok(platform, url)).toThrow(/url:/);
});

test('configured hosts (Hashnode custom domain) and a Forem\'s own host are added', () => {
  expect(ok('hashnode', 'https://blog.example.com/post', { postHosts: ['blog.example.com'] })).toBe('https://blog.example.com/post');
  expect(ok('devto', 'https://forem.example.org/me/post', { baseUrl: 'https://forem.example.org/api' })).toBe('https://forem.example.org/me/post');
  expect(() => ok('hashnode', 'https://blog.example.com/post')).toThrow(/postHosts/);
});
