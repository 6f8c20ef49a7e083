/**
 * SSRF: the image pre-flight must never reach an internal service, whatever the URL's spelling, and
 * must not tell what it found there. A real listener on 127.0.0.1 counts every connection it gets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { imageWarnings } from '../../../server/src/planner/preflight';
import { isBlockedLiteral, isPublicAddress } from '../../../server/src/http/ssrf';

let listener: http.Server;
let hits = 0;
let port = 0;
let redirector: http.Server;
let redirectTo = '';
let redirectPort = 0;
const NOT_REACHABLE = /is not reachable from the internet; DEV, Hashnode and Medium will show it broken\.$/;

beforeAll(async () => {
  listener = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'image/png' }).end();
  });
  listener.on('connection', () => (hits += 1));
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  port = (listener.address() as AddressInfo).port;
  // Stands for an allowed (public) host that redirects inside.
  redirector = http.createServer((_req, res) => res.writeHead(302, { location: redirectTo }).end());
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.2', r));
  redirectPort = (redirector.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => listener.close(r));
  await new Promise((r) => redirector.close(r));
});

const check = (url: string, extra: object = {}) => imageWarnings({ markdown: `![x](${url})`, coverUrl: null } as never, { timeoutMs: 2000, ...extra });

test.each([
  'http://localhost:PORT/a.png',
  'http://localhost.:PORT/a.png',
  'http://127.0.0.1:PORT/a.png',
  'http://127.1:PORT/a.png',
  'http://2130706433:PORT/a.png',
  'http://[::ffff:127.0.0.1]:PORT/a.png',
  'http://[::ffff:7f00:1]:PORT/a.png',
  'http://[::]:PORT/a.png',
  'http://0.0.0.0:PORT/a.png',
  'http://[::1]:PORT/a.png',
  'http://[fe80::1]:PORT/a.png',
  'http://10.0.0.1:PORT/a.png',
  'http://169.254.169.254:PORT/latest/meta-data',
])('%s: the listener gets nothing and the warning says only "not reachable"', async (form) => {
  const url = form.replace('PORT', String(port)) + `?${Math.random()}`;
  const warnings = await check(url);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(NOT_REACHABLE);
  expect(hits).toBe(0);
});

test.each(['http://127.0.0.1:PORT/a.png', 'http://localhost:PORT/b.png', 'http://[::ffff:127.0.0.1]:PORT/c.png'])(
  'a redirect from an allowed host to %s is not followed inside',
  async (target) => {
    redirectTo = target.replace('PORT', String(port));
    // 127.0.0.2 plays the public host here; everything else keeps the default rule.
    const allowed = (ip: string) => ip === '127.0.0.2' || isPublicAddress(ip);
    const warnings = await check(`http://127.0.0.2:${redirectPort}/img.png?${Math.random()}`, { isAllowedAddress: allowed });
    expect(warnings).toEqual([expect.stringMatching(NOT_REACHABLE)]);
    expect(hits).toBe(0);
  },
);

test('control: with private hosts allowed (tests only) the same listener is reached and passes', async () => {
  expect(await check(`http://127.0.0.1:${port}/ok.png?${Math.random()}`, { allowPrivateHosts: true })).toEqual([]);
  expect(hits).toBeGreaterThan(0);
  hits = 0;
});

test('a server that drips its headers is cut at the total time cap', async () => {
  const slow = http.createServer((_req, res) => {
    const t = setInterval(() => res.socket?.write('X'), 100);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  const started = Date.now();
  const warnings = await check(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/drip.png`, { allowPrivateHosts: true, timeoutMs: 500 });
  expect(Date.now() - started).toBeLessThan(3000);
  expect(warnings).toEqual([expect.stringMatching(NOT_REACHABLE)]);
  slow.closeAllConnections();
  await new Promise((r) => slow.close(r));
});

test('images under the app\'s /uploads/ are looked up in the media library, not fetched', async () => {
  const asked: string[] = [];
  const uploadExists = async (p: string) => (asked.push(p), p === '/uploads/here.png');
  const opts = { publicUrl: `http://127.0.0.1:${port}`, uploadExists };
  expect(await check(`http://127.0.0.1:${port}/uploads/here.png`, opts)).toEqual([]);
  expect(await check(`http://127.0.0.1:${port}/uploads/gone.png`, opts)).toEqual([expect.stringMatching(/not in the media library/)]);
  expect(asked).toEqual(['/uploads/here.png', '/uploads/gone.png']);
  expect(hits).toBe(0);
});

test('address rule', () => {
  for (const ip of ['127.0.0.1', '::1', '::', '0.0.0.0', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '100.64.0.1', '224.0.0.1']) {
    expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
  }
  for (const ip of ['93.184.216.34', '2606:4700::1111', '::ffff:93.184.216.34']) expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
  expect(isBlockedLiteral('[::ffff:127.0.0.1]')).toBe(true);
  expect(isBlockedLiteral('example.com')).toBe(false);
});
