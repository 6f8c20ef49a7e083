/** Pure parts of the webhooks: signing (checked against the standardwebhooks package), schedule, address guard. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { generateSecret, signatureHeader } from '../../../server/src/notify/signing';
import { nextDelayMs } from '../../../server/src/notify/schedule';
import { isInternalAddress } from '../../../server/src/notify/address-guard';
import { send, parseRetryAfter } from '../../../server/src/notify/send';
import { newMessageId, webhookBody } from '../../../server/src/notify/message';

test('our signature verifies with standardwebhooks, for each of two secrets', () => {
  const a = generateSecret();
  const b = generateSecret();
  const id = newMessageId();
  const ts = Math.floor(Date.now() / 1000);
  const body = webhookBody('crosspost.published', id, { x: 1 });
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signatureHeader([a, b], id, ts, body) };
  expect(() => new Webhook(a).verify(body, headers)).not.toThrow();
  expect(() => new Webhook(b).verify(body, headers)).not.toThrow();
  expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
});

test('message ids are msg_ + 26 Crockford characters and sort by time', () => {
  const a = newMessageId(1000);
  const b = newMessageId(2000);
  expect(a).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(a < b).toBe(true);
});

test('retry schedule: jitter bounds, Retry-After wins when longer and is capped, exhausted → null', () => {
  const schedule = [0, 5000, 300000];
  const opts = { jitter: 0.2, maxRetryAfterMs: 60000 };
  expect(nextDelayMs(schedule, 1, opts, () => 0)).toBe(4000);
  expect(nextDelayMs(schedule, 1, opts, () => 1)).toBe(6000);
  expect(nextDelayMs(schedule, 1, { ...opts, retryAfterMs: 30000 }, () => 0.5)).toBe(30000);
  expect(nextDelayMs(schedule, 1, { ...opts, retryAfterMs: 999999 }, () => 0.5)).toBe(60000);
  expect(nextDelayMs(schedule, 3, opts)).toBeNull();
  expect(parseRetryAfter('7')).toBe(7000);
  expect(parseRetryAfter(new Date(Date.now() + 10000).toUTCString())).toBeGreaterThan(8000);
});

test('internal addresses', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) {
    expect([a, isInternalAddress(a)]).toEqual([a, true]);
  }
  for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) expect([a, isInternalAddress(a)]).toEqual([a, false]);
});

test('send: loopback refused unless allowed (also through a name), redirects not followed', async () => {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(302, { location: 'http://example.com/' }).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    const base = { headers: {}, body: '{}', timeoutMs: 2000 };
    const refused = await send({ ...base, url: `http://127.0.0.1:${port}/`, allowPrivate: false });
    expect(refused).toMatchObject({ status: null, error: expect.stringMatching(/internal address/) });
    const byName = await send({ ...base, url: `http://localhost:${port}/`, allowPrivate: false });
    expect(byName).toMatchObject({ status: null, error: expect.stringMatching(/internal address/) });
    expect(hits).toBe(0);
    const allowed = await send({ ...base, url: `http://127.0.0.1:${port}/`, allowPrivate: true });
    expect(allowed).toMatchObject({ status: 302, error: expect.stringMatching(/redirects are not followed/) });
    expect(hits).toBe(1);
  } finally {
    server.close();
  }
});
