/**
 * Settings → Cross-posting over the admin API: credentials from the environment win and show locked;
 * admin-entered ones are write-only, stored encrypted by Strapi's encryption service, and picked up by
 * the workers without a restart (in this process at once, from another process through the version
 * check before each job); test connection says in words who the account is or what is wrong; a
 * deployment can turn admin editing off; no encryption key → nothing stored; RBAC guards every route.
 */
import request from 'supertest';
import Redis from 'ioredis';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createHashnodeSimulator, HASHNODE_DEFAULT_PUBLICATION_ID, HASHNODE_TEST_TOKEN, type HashnodeSimulator } from '../simulators/hashnode';
import { createMediumSimulator, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../simulators/medium';
import { createAdmin, REDIS_URL, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor, waitForStatus } from '../helpers/publications';

jest.setTimeout(120000);

const DEV_KEY = 'dev-admin-entered-key-7Hq2';
const DEV_KEY_2 = 'dev-second-key-from-elsewhere-9Zx4';
const WRONG_KEY = 'dev-wrong-key-000000000';

let devto: DevtoSimulator;
let hashnode: HashnodeSimulator;
let medium: MediumSimulator;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  hashnode = createHashnodeSimulator();
  medium = createMediumSimulator();
  await Promise.all([devto.listen(), hashnode.listen(), medium.listen()]);
  devto.apiKeys[DEV_KEY] = { id: 41, username: 'settings_user', name: 'Settings User' };
  devto.apiKeys[DEV_KEY_2] = { id: 42, username: 'second_user', name: 'Second User' };
});

afterAll(async () => {
  await Promise.all([devto?.close(), hashnode?.close(), medium?.close()]);
});

/** Every response body the tests saw, to search them for secrets. */
const seen: string[] = [];

function adminClient(app: TestApp, jwt: string) {
  const keep = (res: request.Response) => {
    seen.push(res.text ?? '');
    return res;
  };
  return {
    get: (p: string) => request(app.httpServer).get(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).then(keep),
    put: (p: string, body: object) => request(app.httpServer).put(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).send(body).then(keep),
    post: (p: string, body: object) => request(app.httpServer).post(`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`).send(body).then(keep),
  };
}

describe('with admin editing on and an encryption key', () => {
  let app: TestApp;
  let admin: ReturnType<typeof adminClient>;
  const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;

  beforeAll(async () => {
    // Hashnode comes from the environment; DEV and Medium only get what an admin enters.
    app = await startTestApp({
      CROSSPOST_HASHNODE_TOKEN: HASHNODE_TEST_TOKEN,
      CROSSPOST_HASHNODE_PUBLICATION_ID: HASHNODE_DEFAULT_PUBLICATION_ID,
      CROSSPOST_HASHNODE_BASE_URL: hashnode.url,
      CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
      CROSSPOST_MEDIUM_BASE_URL: medium.url,
    });
    admin = adminClient(app, await createAdmin(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function publish(title: string) {
    const doc = await docs().create({ data: { title, slug: title.toLowerCase().replace(/\W+/g, '-'), body: blocksBody(`${title} body`) } });
    await docs().publish({ documentId: doc.documentId });
    return doc;
  }

  test('read: an environment credential is locked and names its variable; the others are not configured', async () => {
    const res = await admin.get('/settings');
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data).toMatchObject({ credentialsEditable: true, encryptionAvailable: true, defaults: { platforms: ['devto', 'hashnode', 'medium'] } });
    expect(data.platforms.hashnode.credentials.token).toEqual({
      configured: true, source: 'env', envVar: 'CROSSPOST_HASHNODE_TOKEN', locked: true, last4: 'oken', problem: null,
    });
    expect(data.platforms.hashnode).toMatchObject({ enabled: true, configured: true, offReason: null, defaults: { mode: 'publish', delayMs: 0 } });
    expect(data.platforms.devto.credentials.apiKey).toEqual({ configured: false, source: null, envVar: 'CROSSPOST_DEVTO_API_KEY', locked: false, last4: null, problem: null });
    expect(data.platforms.devto).toMatchObject({ configured: false, offReason: 'DEV is not configured: no apiKey. Set CROSSPOST_DEVTO_API_KEY, or enter it in Settings → Cross-posting, then retry.' });
    expect(res.text).not.toContain(HASHNODE_TEST_TOKEN);
  });

  test('an environment credential cannot be overwritten from the admin', async () => {
    const res = await admin.put('/settings', { platforms: { hashnode: { credentials: { token: 'another-token-123456' } } } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Hashnode token is set by CROSSPOST_HASHNODE_TOKEN, which wins over the admin; change it there.');
  });

  test('set a credential: encrypted at rest, never returned, last4 shown, used by the next publish without a restart', async () => {
    const before = await publish('Settings before key');
    await waitForStatus(app.strapi, before.documentId, 'hashnode', ['published']);
    expect(await rowFor(app.strapi, before.documentId, 'devto')).toBeNull();

    const res = await admin.put('/settings', { platforms: { devto: { credentials: { apiKey: DEV_KEY } } } });
    expect(res.status).toBe(200);
    expect(res.body.data.platforms.devto.credentials.apiKey).toEqual({ configured: true, source: 'admin', envVar: 'CROSSPOST_DEVTO_API_KEY', locked: false, last4: '7Hq2', problem: null });
    expect(res.body.data.platforms.devto).toMatchObject({ configured: true, offReason: null });

    // The raw row: the key is not there in clear, only Strapi's encryption output.
    const raw = await app.strapi.db.connection('crosspost_settings').select('*');
    expect(raw).toHaveLength(1);
    const rawText = JSON.stringify(raw);
    expect(rawText).not.toContain(DEV_KEY);
    // PostgreSQL's jsonb prints a space after the colon; SQLite keeps the text as written.
    expect(rawText).toMatch(/"encrypted\\?":\s*\\?"v1:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+/);

    const doc = await publish('Settings after key');
    const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
    expect(row.status).toBe('published');
    const creates = devto.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/articles');
    expect(creates.at(-1)!.headers['api-key']).toBe(DEV_KEY);
  });

  test('another process changes the key: a worker here picks it up before its next job (version check), no restart', async () => {
    // Write the way another process would: the row (encrypted, version + 1), then the Redis version key.
    const encryption = app.strapi.service('admin::encryption') as { encrypt(v: string): string };
    const table = app.strapi.db.connection('crosspost_settings');
    const [current] = await table.select('*');
    const creds = typeof current.credentials === 'string' ? JSON.parse(current.credentials) : current.credentials;
    creds.devto.apiKey = { encrypted: encryption.encrypt(DEV_KEY_2), last4: 'Zx4x', updatedAt: new Date().toISOString() };
    const version = Number(current.version) + 1;
    await table.where({ id: current.id }).update({ credentials: JSON.stringify(creds), version });
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(`${app.prefix}:crosspost:settings-version`, String(version));
    } finally {
      redis.disconnect();
    }

    const doc = await publish('Settings other process');
    const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
    expect(row.status).toBe('published');
    const creates = devto.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/articles');
    expect(creates.at(-1)!.headers['api-key']).toBe(DEV_KEY_2);

    // Back to the first key through the route.
    expect((await admin.put('/settings', { platforms: { devto: { credentials: { apiKey: DEV_KEY } } } })).status).toBe(200);
  });

  test('test connection: who the account is, or what is wrong, in words', async () => {
    const good = await admin.post('/settings/test-connection', { platform: 'devto' });
    expect(good.status).toBe(200);
    expect(good.body.data).toEqual({ ok: true, account: '@settings_user (Settings User)', message: 'Connected to DEV as @settings_user (Settings User).' });

    const bad = await admin.post('/settings/test-connection', { platform: 'devto', credentials: { apiKey: WRONG_KEY } });
    expect(bad.body.data).toEqual({
      ok: false, account: null,
      message: 'DEV did not accept this API key (401): it is wrong, revoked, or its account is suspended. Create a key at https://dev.to/settings/extensions.',
    });

    const hn = await admin.post('/settings/test-connection', { platform: 'hashnode' });
    expect(hn.body.data).toMatchObject({ ok: true, account: '@alice (Alice)' });
    expect(hn.body.data.message).toMatch(/^Connected to Hashnode as @alice \(Alice\), publication ".+"/);

    const free = hashnode.addPublication({ pro: false });
    const noPro = await admin.post('/settings/test-connection', { platform: 'hashnode', credentials: { publicationId: free.id } });
    expect(noPro.body.data.ok).toBe(false);
    expect(noPro.body.data.message).toMatch(/^The token works \(@alice \(Alice\)\), but: Hashnode's API needs an active Hashnode Pro plan on this publication/);

    const missing = await admin.post('/settings/test-connection', { platform: 'hashnode', credentials: { publicationId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } });
    expect(missing.body.data.message).toBe(
      'The token works (@alice (Alice)), but the Hashnode publication aaaaaaaaaaaaaaaaaaaaaaaa was not found: check the publication id (CROSSPOST_HASHNODE_PUBLICATION_ID).',
    );

    const badHn = await admin.post('/settings/test-connection', { platform: 'hashnode', credentials: { token: 'not-a-hashnode-token' } });
    expect(badHn.body.data.message).toMatch(/^Hashnode did not accept the token/);

    const noMedium = await admin.post('/settings/test-connection', { platform: 'medium' });
    expect(noMedium.body.data).toEqual({ ok: false, account: null, message: 'Medium has no token yet: enter it here, or set CROSSPOST_MEDIUM_TOKEN.' });
    const badMedium = await admin.post('/settings/test-connection', { platform: 'medium', credentials: { token: 'medium-wrong-token-1234' } });
    expect(badMedium.body.data.ok).toBe(false);
    expect(badMedium.body.data.message).toMatch(/^Medium rejected the integration token \(401/);
    const goodMedium = await admin.post('/settings/test-connection', { platform: 'medium', credentials: { token: MEDIUM_TEST_TOKEN } });
    expect(goodMedium.body.data).toMatchObject({ ok: true });
    expect(goodMedium.body.data.message).toMatch(/^Connected to Medium as @/);
  });

  test('bad input → 400 naming the field', async () => {
    const empty = await admin.put('/settings', { platforms: { devto: { credentials: { apiKey: '' } } } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/platforms\.devto\.credentials\.apiKey: must not be empty/);
    const unknown = await admin.put('/settings', { platforms: { devto: { credentials: { token: 'x' } } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unrecognized key\(s\) in object: 'token'/);
    const pub = await admin.put('/settings', { platforms: { hashnode: { credentials: { publicationId: 'nope' } } } });
    expect(pub.body.error.message).toMatch(/platforms\.hashnode\.credentials\.publicationId: must be the 24-character hex id/);
    const platform = await admin.post('/settings/test-connection', { platform: 'myspace' });
    expect(platform.status).toBe(400);
  });

  test('defaults: new entries go to the default platforms in the default mode; GET /entry-settings shows them', async () => {
    const res = await admin.put('/settings', { defaults: { platforms: ['devto'] }, platforms: { devto: { defaults: { mode: 'draft' } } } });
    expect(res.body.data.defaults).toEqual({ platforms: ['devto'] });
    expect(res.body.data.platforms.devto.defaults).toEqual({ mode: 'draft', delayMs: 0 });

    const doc = await docs().create({ data: { title: 'Settings defaults', slug: 'settings-defaults', body: blocksBody('d') } });
    const es = await admin.get(`/entry-settings?contentType=${ARTICLE_UID}&documentId=${doc.documentId}`);
    expect(es.body.data.platforms).toEqual({});
    expect(es.body.data.defaults.platforms.devto).toEqual({ enabled: true, mode: 'draft', draft: true, delayMs: 0 });
    expect(es.body.data.defaults.platforms.hashnode).toMatchObject({ enabled: false });

    await docs().publish({ documentId: doc.documentId });
    const row = await waitForStatus(app.strapi, doc.documentId, 'devto');
    expect(row).toMatchObject({ status: 'published', remoteState: 'draft' });
    expect(await rowFor(app.strapi, doc.documentId, 'hashnode')).toBeNull();

    await admin.put('/settings', { defaults: { platforms: ['devto', 'hashnode', 'medium'] }, platforms: { devto: { defaults: { mode: 'publish' } } } });
  });

  test('switching a platform off: no new plans for it; a job already queued for it fails with the reason in words', async () => {
    const doc = await docs().create({ data: { title: 'Settings switched off', slug: 'settings-switched-off', body: blocksBody('off') } });
    await admin.put('/entry-settings', { contentType: ARTICLE_UID, documentId: doc.documentId, platforms: { devto: { delayMs: 2500 } } });
    await docs().publish({ documentId: doc.documentId });
    await waitForStatus(app.strapi, doc.documentId, 'devto', ['queued']);
    const off = await admin.put('/settings', { platforms: { devto: { enabled: false } } });
    expect(off.body.data.platforms.devto).toMatchObject({ enabled: false, configured: false, offReason: 'DEV is switched off in Settings → Cross-posting. Switch it on there, then retry.' });

    const failed = await waitForStatus(app.strapi, doc.documentId, 'devto', ['failed']);
    expect(failed.lastError).toBe('DEV is switched off in Settings → Cross-posting. Switch it on there, then retry.');

    const next = await publish('Settings while off');
    await waitForStatus(app.strapi, next.documentId, 'hashnode', ['published']);
    expect(await rowFor(app.strapi, next.documentId, 'devto')).toBeNull();

    const refused = await admin.post(`/publications/${failed.id}/retry`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('devto cannot be retried now: DEV is switched off in Settings → Cross-posting. Switch it on there, then retry.');

    await admin.put('/settings', { platforms: { devto: { enabled: true } } });
    const retried = await admin.post(`/publications/${failed.id}/retry`, {});
    expect(retried.status).toBe(200);
    await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  });

  test('removing an admin credential (null) turns the platform off again', async () => {
    const res = await admin.put('/settings', { platforms: { devto: { credentials: { apiKey: null } } } });
    expect(res.body.data.platforms.devto.credentials.apiKey).toMatchObject({ configured: false, source: null, last4: null });
    expect(res.body.data.platforms.devto.configured).toBe(false);
  });

  test('RBAC: a role without plugin::crosspost.settings gets 403 on every settings route', async () => {
    const roles = app.strapi.service('admin::role') as any;
    const role = await roles.create({ name: 'Crosspost reader', description: 'read only' });
    await roles.assignPermissions(role.id, [{ action: 'plugin::crosspost.read', subject: null, properties: {}, conditions: [] }]);
    const email = 'reader@example.com';
    const password = 'Reader-Passw0rd!';
    await app.strapi.service('admin::user').create({ email, firstname: 'Read', lastname: 'Er', password, isActive: true, registrationToken: null, roles: [role.id] });
    const login = await request(app.httpServer).post('/admin/login').send({ email, password });
    expect(login.status).toBe(200);
    const reader = adminClient(app, login.body.data.token);
    expect((await reader.get('/settings')).status).toBe(403);
    expect((await reader.put('/settings', { platforms: { devto: { enabled: false } } })).status).toBe(403);
    expect((await reader.post('/settings/test-connection', { platform: 'devto' })).status).toBe(403);
    // The read action still works for what it covers.
    expect((await reader.get('/publications')).status).toBe(200);
    // And the settings routes are not on the content API at all.
    expect((await request(app.httpServer).get('/api/crosspost/settings')).status).toBe(404);
  });

  test('no response ever carried an admin-entered credential', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const secret of [DEV_KEY, DEV_KEY_2, WRONG_KEY, HASHNODE_TEST_TOKEN, MEDIUM_TEST_TOKEN]) {
      expect(seen.filter((text) => text.includes(secret))).toHaveLength(0);
    }
  });
});

describe('locked-down deployment (CROSSPOST_ADMIN_CREDENTIALS=false)', () => {
  let app: TestApp;
  let admin: ReturnType<typeof adminClient>;

  beforeAll(async () => {
    app = await startTestApp({ CROSSPOST_ADMIN_CREDENTIALS: 'false', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
    admin = adminClient(app, await createAdmin(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  test('credentials show locked and cannot be entered or tried; other settings still can be changed', async () => {
    const res = await admin.get('/settings');
    expect(res.body.data.credentialsEditable).toBe(false);
    expect(res.body.data.platforms.devto.credentials.apiKey).toMatchObject({ configured: false, locked: true });
    const put = await admin.put('/settings', { platforms: { devto: { credentials: { apiKey: DEV_KEY } } } });
    expect(put.status).toBe(403);
    expect(put.body.error.message).toBe(
      'Credentials cannot be changed in the admin on this deployment (crosspost.config.settings.editableCredentials is false, or CROSSPOST_ADMIN_CREDENTIALS=false). Set them in the environment instead.',
    );
    const tried = await admin.post('/settings/test-connection', { platform: 'devto', credentials: { apiKey: DEV_KEY } });
    expect(tried.status).toBe(403);
    const raw = await app.strapi.db.connection('crosspost_settings').select('*');
    expect(JSON.stringify(raw)).not.toContain(DEV_KEY);
    expect((await admin.put('/settings', { platforms: { medium: { defaults: { delayMs: 60000 } } } })).status).toBe(200);
  });
});

describe('no encryption key configured', () => {
  let app: TestApp;
  let admin: ReturnType<typeof adminClient>;

  beforeAll(async () => {
    app = await startTestApp({ ENCRYPTION_KEY: '', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
    admin = adminClient(app, await createAdmin(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  test('a credential is refused with a message that says how to set the key; nothing is stored', async () => {
    const res = await admin.get('/settings');
    expect(res.body.data.encryptionAvailable).toBe(false);
    const put = await admin.put('/settings', { platforms: { devto: { credentials: { apiKey: DEV_KEY } } } });
    expect(put.status).toBe(409);
    expect(put.body.error.message).toMatch(/^Credentials cannot be stored: Strapi has no encryption key\. Set ENCRYPTION_KEY in the environment/);
    const raw = await app.strapi.db.connection('crosspost_settings').select('*');
    expect(JSON.stringify(raw)).not.toContain(DEV_KEY);
    await waitFor(async () => (await admin.get('/settings')).body.data.platforms.devto.configured === false);
  });
});
