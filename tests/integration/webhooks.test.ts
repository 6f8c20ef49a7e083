/**
 * Plugin webhooks end to end: a real Strapi publishing to the DEV simulator, a real HTTP receiver that
 * verifies every request with the `standardwebhooks` package. Short retry schedule (config) keeps it fast.
 */
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, type DevtoSimulator } from '../simulators/devto';
import { startFaultApp, publishArticle, type FaultApp } from '../helpers/fault';
import { createAdmin, waitFor } from '../helpers/strapi';
import { rowFor } from '../helpers/publications';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';
import { generateSecret, signOne } from '../../server/src/notify/signing';

const DELIVERY = 'plugin::crosspost.webhook-delivery';
const ENDPOINT = 'plugin::crosspost.webhook-endpoint';

let devto: DevtoSimulator;
let app: FaultApp;
let rx: Receiver;
let jwt: string;
const CONFIG_SECRET = generateSecret();

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  rx = await startReceiver();
  app = await startFaultApp({
    env: { CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY, CROSSPOST_DEVTO_BASE_URL: devto.apiUrl },
    pluginConfig: {
      'webhooks.allowPrivateNetworks': true,
      'webhooks.retrySchedule': [0, 300, 300, 300, 300],
      'webhooks.jitter': 0,
      'webhooks.timeoutMs': 1500,
      'webhooks.endpoints': [{ name: 'from-config', url: rx.url('cfg'), secret: CONFIG_SECRET, events: ['crosspost.published'] }],
    },
  });
  jwt = await createAdmin({ strapi: app.strapi, httpServer: app.strapi.server.httpServer } as never);
}, 120000);

afterAll(async () => {
  await app?.stop();
  await rx?.close();
  await devto?.close();
});

const api = () => ({
  get: (p: string) => request(app.strapi.server.httpServer).get(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`),
  post: (p: string, body: object = {}) => request(app.strapi.server.httpServer).post(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).send(body),
  put: (p: string, body: object = {}) => request(app.strapi.server.httpServer).put(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).send(body),
  del: (p: string) => request(app.strapi.server.httpServer).delete(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`),
});

/** An endpoint for this test only; the others are switched off so they get no deliveries. */
async function endpoint(name: string): Promise<{ id: number; secret: string }> {
  await app.strapi.db.query(ENDPOINT).updateMany({ where: {}, data: { enabled: false } });
  const res = await api().post('/webhook-endpoints', { name, url: rx.url(name) }).expect(201);
  rx.secret(name, res.body.secret);
  return { id: res.body.data.id, secret: res.body.secret };
}

const deliveriesOf = (endpointId: number) => app.strapi.db.query(DELIVERY).findMany({ where: { endpointId }, orderBy: { id: 'asc' } });

test('create: whsec_ secret shown once, stored encrypted, never listed; bad input names the field', async () => {
  const res = await api().post('/webhook-endpoints', { name: 'create', url: rx.url('create'), events: ['crosspost.published'] }).expect(201);
  expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const row = await app.strapi.db.query(ENDPOINT).findOne({ where: { id: res.body.data.id } });
  expect(row.secretEnc).toMatch(/^v1:/);
  expect(JSON.stringify(row)).not.toContain(res.body.secret.slice(6));
  const list = await api().get('/webhook-endpoints').expect(200);
  expect(JSON.stringify(list.body)).not.toContain(res.body.secret.slice(6));
  expect(list.body.data.find((e: any) => e.id === res.body.data.id)).toMatchObject({ name: 'create', events: ['crosspost.published'], enabled: true, readOnly: false });
  const bad = await api().post('/webhook-endpoints', { name: 'x', url: 'ftp://nope', events: ['entry.create'] }).expect(400);
  expect(bad.body.error.message).toMatch(/url: must be an http\(s\) URL/);
  expect(bad.body.error.message).toMatch(/events\.0: Invalid enum value/);
  await request(app.strapi.server.httpServer).get('/api/crosspost/webhook-endpoints').expect(404);
});

test('a publish is delivered signed per Standard Webhooks; tampered body and a 6-minute-old timestamp are rejected', async () => {
  const { id, secret } = await endpoint('sign');
  const hub: any[] = [];
  const listener = async (e: any) => {
    hub.push(e);
  };
  app.strapi.eventHub.on('crosspost.published', listener);
  const documentId = await publishArticle(app.strapi, 'wh-sign', 'Webhook sign');
  await waitFor(() => rx.for('sign').length >= 1, { what: 'the delivery' });
  // The eventHub emit and the webhook send are independent: neither is promised to come first.
  await waitFor(() => hub.some((e) => e.publication.entryDocumentId === documentId), { what: 'the eventHub event' });
  app.strapi.eventHub.off('crosspost.published', listener);
  const [got] = rx.for('sign');
  expect(got.verifyError).toBeNull();
  expect(Buffer.byteLength(got.body)).toBeLessThan(20 * 1024);
  const body = JSON.parse(got.body);
  const row = await rowFor(app.strapi, documentId, 'devto');
  expect(body).toMatchObject({ id: got.headers['webhook-id'], type: 'crosspost.published', version: 1, data: { publication: { id: row!.id, platform: 'devto', status: 'published', entryDocumentId: documentId, sequence: row!.jobSeq } } });
  expect(got.headers['webhook-id']).toMatch(/^msg_[0-9A-Z]{26}$/);
  expect(got.body).not.toContain('Body of wh-sign');
  expect(got.body).not.toContain(DEVTO_DEFAULT_KEY);
  // The eventHub got the same event id, a version and the sequence.
  expect(hub.find((e) => e.publication.entryDocumentId === documentId)).toMatchObject({ id: got.headers['webhook-id'], version: 1, publication: { sequence: row!.jobSeq } });

  const wh = new Webhook(secret);
  expect(() => wh.verify(got.body, got.headers)).not.toThrow();
  expect(() => wh.verify(got.body.replace('"published"', '"failed"'), got.headers)).toThrow(/signature/i);
  const old = Math.floor(Date.now() / 1000) - 6 * 60;
  const oldHeaders = { ...got.headers, 'webhook-timestamp': String(old), 'webhook-signature': signOne(secret, got.headers['webhook-id'], old, got.body) };
  expect(() => wh.verify(got.body, oldHeaders)).toThrow(/too old/i);
  await waitFor(async () => (await deliveriesOf(id))[0]?.status === 'succeeded', { what: 'succeeded row' });
});

test('a receiver that fails twice then succeeds gets the event exactly once more, with the same webhook-id', async () => {
  const { id } = await endpoint('flaky');
  rx.behave('flaky', 500, 503, 200);
  await publishArticle(app.strapi, 'wh-flaky', 'Webhook flaky');
  const [d] = await waitFor(async () => {
    const rows = await deliveriesOf(id);
    return rows.length && rows[0].status !== 'pending' ? rows : null;
  }, { what: 'the delivery to settle' });
  // Nothing more arrives after the success (three schedule steps of 300 ms).
  await new Promise((r) => setTimeout(r, 1200));
  const got = rx.for('flaky');
  expect(got.map((g) => g.answered)).toEqual([500, 503, 200]);
  expect(new Set(got.map((g) => g.headers['webhook-id']))).toEqual(new Set([d.messageId]));
  expect(got.every((g) => g.verifyError === null)).toBe(true);
  expect(new Set(got.map((g) => g.body)).size).toBe(1);
  expect(d).toMatchObject({ status: 'succeeded', attempts: 3, lastStatus: 200 });
  expect(d.attemptLog.map((a: any) => a.status)).toEqual([500, 503, 200]);
  // Replay: same id and body, new timestamp and signature.
  await api().post(`/webhook-deliveries/${d.id}/replay`).expect(200);
  await waitFor(() => rx.for('flaky').length === 4, { what: 'the replay' });
  expect(rx.for('flaky')[3]).toMatchObject({ verifyError: null, body: got[0].body, headers: expect.objectContaining({ 'webhook-id': d.messageId }) });
  const log = await api().get(`/webhook-deliveries?endpointId=${id}`).expect(200);
  expect(log.body.data[0]).toMatchObject({ messageId: d.messageId, eventType: 'crosspost.published' });
  expect(log.body.data[0]).not.toHaveProperty('payload');
});

test('410 Gone disables the endpoint at once, with an event and a reason', async () => {
  const { id } = await endpoint('gone');
  rx.behave('gone', 410);
  const disabled: any[] = [];
  const listener = async (e: any) => {
    disabled.push(e);
  };
  app.strapi.eventHub.on('crosspost.webhook.disabled', listener);
  await publishArticle(app.strapi, 'wh-gone', 'Webhook gone');
  // The event follows the row update, so wait for the event itself.
  await waitFor(() => disabled.length > 0, { what: 'crosspost.webhook.disabled event' });
  app.strapi.eventHub.off('crosspost.webhook.disabled', listener);
  expect((await app.strapi.db.query(ENDPOINT).findOne({ where: { id } })).enabled).toBe(false);
  expect(rx.for('gone')).toHaveLength(1);
  expect(disabled).toEqual([expect.objectContaining({ endpoint: { id, name: 'gone' }, reason: expect.stringMatching(/410/) })]);
  const [d] = await deliveriesOf(id);
  expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 410 });
  // A later event for a disabled endpoint is kept as canceled (replayable), not sent.
  await publishArticle(app.strapi, 'wh-gone-2', 'Webhook gone 2');
  await waitFor(async () => (await deliveriesOf(id)).length === 2, { what: 'canceled row' });
  expect((await deliveriesOf(id))[1].status).toBe('canceled');
  const ep = (await api().get('/webhook-endpoints').expect(200)).body.data.find((e: any) => e.id === id);
  expect(ep).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410/) });
  // The health check says so (degraded), naming the endpoint.
  const health = await api().get('/health').expect(200);
  expect(health.body.status).toBe('degraded');
  expect(health.body.problems.join(' ')).toMatch(/Webhook endpoint "gone" is disabled/);
});

test('failing with no success for webhooks.disableAfterMs disables the endpoint', async () => {
  const { id } = await endpoint('down');
  rx.behave('down', 500);
  // Pretend it has been failing for longer than the limit (72 h by default).
  await app.strapi.db.query(ENDPOINT).update({ where: { id }, data: { failingSince: new Date(Date.now() - 73 * 3600 * 1000) } });
  await publishArticle(app.strapi, 'wh-down', 'Webhook down');
  await waitFor(async () => (await app.strapi.db.query(ENDPOINT).findOne({ where: { id } })).enabled === false, { what: 'endpoint disabled' });
  const ep = await app.strapi.db.query(ENDPOINT).findOne({ where: { id } });
  expect(ep.disabledReason).toMatch(/Every delivery failed for 72 h/);
  expect(rx.for('down')).toHaveLength(1);
});

test('a hanging receiver does not delay publishing', async () => {
  await endpoint('hang');
  rx.behave('hang', 'hang');
  const started = Date.now();
  const documentId = await publishArticle(app.strapi, 'wh-hang', 'Webhook hang');
  await waitFor(async () => (await rowFor(app.strapi, documentId, 'devto'))?.status === 'published', { what: 'published' });
  await waitFor(() => rx.for('hang').length >= 1, { what: 'the hanging request' });
  // The article went live while its webhook still hangs; the next one is not held up either.
  const second = await publishArticle(app.strapi, 'wh-hang-2', 'Webhook hang 2');
  await waitFor(async () => (await rowFor(app.strapi, second, 'devto'))?.status === 'published', { what: 'second published', timeoutMs: 5000 });
  expect(Date.now() - started).toBeLessThan(10000);
});

test('rotation: for 24 h both the new and the old secret sign, and either verifies', async () => {
  const { id, secret: oldSecret } = await endpoint('rotate');
  const res = await api().post(`/webhook-endpoints/${id}/rotate-secret`).expect(200);
  const newSecret = res.body.secret as string;
  expect(newSecret).not.toBe(oldSecret);
  expect(res.body.data.rotationOverlapUntil).toBeTruthy();
  await publishArticle(app.strapi, 'wh-rotate', 'Webhook rotate');
  await waitFor(() => rx.for('rotate').length >= 1, { what: 'delivery' });
  const [got] = rx.for('rotate');
  expect(got.headers['webhook-signature'].split(' ')).toHaveLength(2);
  expect(() => new Webhook(newSecret).verify(got.body, got.headers)).not.toThrow();
  expect(() => new Webhook(oldSecret).verify(got.body, got.headers)).not.toThrow();
});

test('send a test; delete', async () => {
  const { id } = await endpoint('ping');
  const res = await api().post(`/webhook-endpoints/${id}/test`).expect(200);
  expect(res.body.data).toMatchObject({ ok: true, status: 200 });
  const [got] = rx.for('ping');
  expect(got.verifyError).toBeNull();
  expect(JSON.parse(got.body).type).toBe('crosspost.test');
  // The test is in the delivery log, delivered, with its one attempt.
  const log = (await api().get(`/webhook-deliveries?endpointId=${id}`).expect(200)).body.data;
  expect(log).toHaveLength(1);
  expect(log[0]).toMatchObject({ id: res.body.data.deliveryId, messageId: res.body.data.messageId, eventType: 'crosspost.test', status: 'succeeded', attempts: 1, lastStatus: 200 });
  expect(log[0].attemptLog).toHaveLength(1);
  await api().del(`/webhook-endpoints/${id}`).expect(200);
  await api().get('/webhook-endpoints').expect(200).then((r) => expect(r.body.data.some((e: any) => e.id === id)).toBe(false));
});

test('an endpoint from the config: listed read-only, delivered to with the config secret, only re-enabling allowed', async () => {
  const list = (await api().get('/webhook-endpoints').expect(200)).body.data;
  const cfg = list.find((e: any) => e.name === 'from-config');
  expect(cfg).toMatchObject({ readOnly: true, url: rx.url('cfg'), events: ['crosspost.published'] });
  await api().put(`/webhook-endpoints/${cfg.id}`, { url: rx.url('elsewhere') }).expect(409);
  await api().del(`/webhook-endpoints/${cfg.id}`).expect(409);
  await api().post(`/webhook-endpoints/${cfg.id}/rotate-secret`).expect(409);
  await app.strapi.db.query(ENDPOINT).updateMany({ where: {}, data: { enabled: false } });
  await api().put(`/webhook-endpoints/${cfg.id}`, { enabled: true }).expect(200);
  rx.secret('cfg', CONFIG_SECRET);
  await publishArticle(app.strapi, 'wh-config', 'Webhook config');
  await waitFor(() => rx.for('cfg').length >= 1, { what: 'config delivery' });
  expect(rx.for('cfg')[0].verifyError).toBeNull();
});

test('Retry-After from the receiver is honoured over a shorter schedule step', async () => {
  const { id } = await endpoint('later');
  rx.behave('later', { status: 503, headers: { 'retry-after': '2' } }, 200);
  await publishArticle(app.strapi, 'wh-later', 'Webhook later');
  await waitFor(async () => (await deliveriesOf(id))[0]?.status === 'succeeded', { what: 'delivered after the wait', timeoutMs: 20000 });
  const [first, second] = rx.for('later');
  // The schedule says 300 ms; the receiver asked for 2 s.
  expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
});
