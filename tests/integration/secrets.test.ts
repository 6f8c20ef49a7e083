/**
 * Secret scan: with known credentials, a full publish / update / unpublish / failure cycle on DEV and
 * Medium (the failure's answer echoes the API key back), then every response, every captured log line,
 * every Redis key and value under the run's prefix and the whole database file are searched for the
 * credentials (and for the unsalted digest older versions used as a Redis key): 0 hits.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import request from 'supertest';
import Redis from 'ioredis';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createMediumSimulator, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../simulators/medium';
import { createAdmin, createApiToken, REDIS_URL, startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, rowFor, waitForStatus } from '../helpers/publications';

const DEV_KEY = 'Sk7dEvQ9xLm2Rt5Yb8Nc4Wp1';
let devto: DevtoSimulator;
let medium: MediumSimulator;
let app: TestApp;
let dbFile: string;
const responses: string[] = [];
const logs: string[] = [];

/** The whole database as text: the SQLite file (and its WAL), or every table of the PostgreSQL database. */
async function databaseDump(): Promise<string[]> {
  if (process.env.DATABASE_CLIENT !== 'postgres') {
    return [fs.readFileSync(dbFile).toString('latin1'), ...(fs.existsSync(`${dbFile}-wal`) ? [fs.readFileSync(`${dbFile}-wal`).toString('latin1')] : [])];
  }
  const knex = app.strapi.db.connection;
  const tables = (await knex('pg_tables').select('tablename').where({ schemaname: 'public' })) as Array<{ tablename: string }>;
  expect(tables.length).toBeGreaterThan(10);
  const out: string[] = [];
  for (const { tablename } of tables) out.push(JSON.stringify(await knex(tablename).select('*')));
  return out;
}

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  medium = createMediumSimulator();
  await medium.listen();
  app = await startTestApp({
    CROSSPOST_DEVTO_API_KEY: DEV_KEY,
    CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
    CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN,
    CROSSPOST_MEDIUM_BASE_URL: medium.url,
    CROSSPOST_RETRY_ATTEMPTS: '1',
    LOG_LEVEL: 'debug',
  });
  dbFile = process.env.DATABASE_FILENAME!;
  devto.apiKeys[DEV_KEY] = { id: 5, username: 'secret', name: 'Secret' };
  // Everything the app logs from here on.
  const log = app.strapi.log as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug']) {
    const original = log[level]?.bind(log);
    if (original) log[level] = (...a: unknown[]) => (logs.push(a.map(String).join(' ')), original(...a));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    (stream as any).write = (chunk: unknown, ...rest: unknown[]) => (logs.push(String(chunk)), write(chunk as never, ...(rest as [])));
  }
}, 400000);

afterAll(async () => {
  await app?.stop();
  await devto?.close();
  await medium?.close();
});

const keep = (res: request.Response) => (responses.push(JSON.stringify(res.headers) + res.text), res);

async function redisDump(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const k of keys) {
        out.push(k);
        const type = await redis.type(k);
        if (type === 'string') out.push(String(await redis.get(k)));
        else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(k)));
        else if (type === 'list') out.push(JSON.stringify(await redis.lrange(k, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await redis.smembers(k)));
        else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(k, 0, -1, 'WITHSCORES')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out;
}

test('publish, update, unpublish and a failure that echoes the key: the credentials are nowhere', async () => {
  const jwt = await createAdmin(app);
  const token = await createApiToken(app);
  const admin = (m: 'get' | 'post' | 'put', p: string, body?: object) => {
    const r = (request(app.httpServer) as any)[m](`/crosspost${p}`).set('Authorization', `Bearer ${jwt}`);
    return (body ? r.send(body) : r).then(keep);
  };
  const docs = app.strapi.documents(ARTICLE_UID as never) as any;

  // Publish to both, then update, then unpublish.
  const doc = await docs.create({ data: { title: 'Secret cycle', slug: 'secret-cycle', body: blocksBody('one') } });
  await docs.publish({ documentId: doc.documentId });
  await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  await waitForStatus(app.strapi, doc.documentId, 'medium');
  await docs.update({ documentId: doc.documentId, data: { body: blocksBody('two') } });
  await docs.publish({ documentId: doc.documentId });
  await waitFor(async () => (await rowFor(app.strapi, doc.documentId, 'devto'))?.syncedHash === (await rowFor(app.strapi, doc.documentId, 'devto'))?.payloadHash, { what: 'DEV update' });
  await docs.unpublish({ documentId: doc.documentId });
  await waitForStatus(app.strapi, doc.documentId, 'devto', ['unpublished']);

  // A failure whose answer quotes the key (as a platform or proxy echoing headers would).
  devto.server.inject({ kind: 'status', status: 422, match: { method: 'POST' }, times: Infinity, body: { error: `Invalid request, headers: {"api-key": "${DEV_KEY}"} api-key=${DEV_KEY}`, status: 422 } });
  const bad = await docs.create({ data: { title: 'Secret failure', slug: 'secret-failure', body: blocksBody('x') } });
  await docs.publish({ documentId: bad.documentId });
  const failed = await waitForStatus(app.strapi, bad.documentId, 'devto', ['failed']);
  expect(failed.lastError).toMatch(/DEV rejected the article/);
  devto.server.clearFaults();

  // Read everything back the ways a user can.
  for (const p of ['/publications', `/publications/${failed.id}`, `/entry-settings?contentType=${ARTICLE_UID}&documentId=${bad.documentId}`]) await admin('get', p);
  keep(await request(app.httpServer).get('/api/crosspost/publications').set('Authorization', `Bearer ${token}`));
  await admin('post', `/publications/${failed.id}/retry`);
  await waitForStatus(app.strapi, bad.documentId, 'devto');

  const secrets = [DEV_KEY, MEDIUM_TEST_TOKEN];
  const oldDigests = secrets.map((s) => createHash('sha256').update(s).digest('hex').slice(0, 12));
  const haystacks: Record<string, string[]> = {
    responses,
    logs,
    redis: await redisDump(app.prefix),
    database: await databaseDump(),
  };
  expect(haystacks.responses.length).toBeGreaterThan(4);
  expect(haystacks.redis.some((k) => k.includes(':crosspost:rate:'))).toBe(true); // the scan does see the rate keys
  const hits: string[] = [];
  for (const [where, texts] of Object.entries(haystacks)) {
    for (const needle of [...secrets, ...oldDigests]) {
      const n = texts.filter((t) => t.includes(needle)).length;
      if (n) hits.push(`${where}: ${n} × ${needle.slice(0, 4)}…`);
    }
  }
  expect(hits).toEqual([]);
}, 300000);
