/**
 * Boots the playground Strapi app in-process, the way the plugin runs for users: real Strapi, real
 * database (temp SQLite by default, a fresh PostgreSQL database when TEST_DB=postgres), real Redis
 * (isolated by a per-run Bull prefix) and the platform simulators over real HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';

export const ROOT = path.resolve(__dirname, '..', '..');
export const APP_DIR = path.join(ROOT, 'playground');
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  strapi: Core.Strapi;
  httpServer: import('http').Server;
  prefix: string;
  stop(): Promise<void>;
}

let counter = 0;

/** Environment every playground Strapi in the tests gets (in-process here, child processes in the fault suite). */
export function testAppEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    APP_KEYS: 'testKeyA,testKeyB',
    API_TOKEN_SALT: 'test-salt',
    ADMIN_JWT_SECRET: 'test-admin-jwt',
    JWT_SECRET: 'test-jwt',
    TRANSFER_TOKEN_SALT: 'test-transfer',
    ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef',
    CROSSPOST_REDIS_URL: REDIS_URL,
    CROSSPOST_PUBLIC_URL: 'https://cms.example.com',
    // Short lock/stall intervals keep crash recovery fast in tests (production defaults are 30 s).
    CROSSPOST_LOCK_MS: '2000',
    CROSSPOST_STALLED_MS: '1000',
    CROSSPOST_RETRY_BASE_MS: '50',
    CROSSPOST_RETRY_MAX_MS: '400',
    CROSSPOST_RECONCILE_MS: '0',
    CROSSPOST_HTTP_TIMEOUT_MS: '2000',
    // The Hashnode simulator serves fresh reads unless a test turns its stale cache on.
    CROSSPOST_HASHNODE_LOOKUP_DELAY_MS: '100',
    // example.com is not reachable from here; tests that check images serve their own.
    CROSSPOST_PREFLIGHT_IMAGES: 'false',
    // Warnings and errors on the console; Strapi's full log in a file per test file (playground/config/logger.js).
    LOG_LEVEL: 'warn',
    // Only under Jest (the benchmarks boot this app too, and must not pay for a file of every request).
    ...(inJest() ? { LOG_FILE: testLogFile() } : {}),
  };
}

const jestState = () => (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.();
const inJest = () => Boolean(jestState()?.testPath);

/**
 * The file this test file's Strapi apps log into: one folder per run (jest.config.js or `npm test` names it),
 * one file per test file; tests/helpers/log-reporter.js prints it next to a failure. Same naming there.
 */
export function testLogFile(): string {
  const dir = process.env.TEST_LOG_DIR ?? path.join(os.tmpdir(), 'crosspost-test-logs', 'adhoc');
  const testPath = jestState()?.testPath;
  const name = testPath ? path.relative(ROOT, testPath).replace(/[\\/]/g, '_') : `process-${process.pid}`;
  return path.join(dir, `${name}.log`);
}

/**
 * TEST_PLUGIN_LOAD=folder: the app loads the plugin from a copy of the package folder (package.json,
 * strapi-server.js, dist/server) that has its OWN copy of @strapi/utils, the way a `file:` install or a
 * monorepo does. Strapi's error middleware then does not recognise errors thrown with the plugin's copy's
 * classes (they become 500s): the route tests run this way too, so answers must go through the context.
 * Default ("dist"): the playground's own `resolve` of this repository, one copy of everything.
 */
let pluginFolder: string | undefined;
export function pluginFolderCopy(): string {
  if (pluginFolder) return pluginFolder;
  const parent = path.join(ROOT, '.tmp');
  // Copies left by earlier runs (Jest's sandbox may not run exit handlers): remove those whose process is gone.
  for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
    const pid = Number(/^plugin-folder-(\d+)$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const dir = path.join(parent, `plugin-folder-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'node_modules', '@strapi'), { recursive: true });
  for (const f of ['package.json', 'strapi-server.js']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server'))) throw new Error('dist/server is missing: run `npm run build` first');
  fs.cpSync(path.join(ROOT, 'dist', 'server'), path.join(dir, 'dist', 'server'), { recursive: true });
  // A real copy (not a link: Node would resolve a link back to the shared one); its own dependencies
  // resolve upwards to this repository's node_modules.
  fs.cpSync(fs.realpathSync(path.join(ROOT, 'node_modules', '@strapi', 'utils')), path.join(dir, 'node_modules', '@strapi', 'utils'), { recursive: true, dereference: true });
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  pluginFolder = dir;
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const pluginLoadMode = (): 'dist' | 'folder' => (process.env.TEST_PLUGIN_LOAD === 'folder' ? 'folder' : 'dist');

/** Variables a test app owns: cleared before each app gets its own. */
export const APP_ENV_KEYS = /^(CROSSPOST_|REDIS_URL$|DATABASE_)/;

/** `serveAdminPanel`: serve the built admin (playground/build) too, for the browser tests. */
export async function startTestApp(extraEnv: Record<string, string | undefined> = {}, opts: { serveAdminPanel?: boolean } = {}): Promise<TestApp> {
  counter += 1;
  const id = `${process.pid}-${counter}-${Date.now().toString(36)}`;
  const prefix = `cp-test-${id}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crosspost-test-'));
  const dbFile = path.join(tmp, 'data.db');

  // Each app starts from a clean slate of plugin variables, then gets its own.
  for (const k of Object.keys(process.env)) if (APP_ENV_KEYS.test(k)) delete process.env[k];
  const env: Record<string, string | undefined> = {
    ...testAppEnv(),
    DATABASE_FILENAME: dbFile,
    CROSSPOST_QUEUE_PREFIX: prefix,
    ...(pluginLoadMode() === 'folder' ? { CROSSPOST_PLUGIN_DIR: pluginFolderCopy() } : {}),
    ...extraEnv,
  };
  let pgDatabase: string | undefined;
  if ((process.env.TEST_DB ?? 'sqlite') === 'postgres' && !extraEnv.DATABASE_CLIENT) {
    pgDatabase = `crosspost_test_${id.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
    const pg = new PgClient({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    await pg.connect();
    await pg.query(`CREATE DATABASE ${pgDatabase}`);
    await pg.end();
    Object.assign(env, { DATABASE_CLIENT: 'postgres', DATABASE_NAME: pgDatabase, DATABASE_USERNAME: 'postgres' });
  }
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }

  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
  const instance = createStrapi({ appDir: APP_DIR, distDir: APP_DIR, autoReload: false, serveAdminPanel: opts.serveAdminPanel ?? false });
  const cleanupFiles = async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (pgDatabase) await dropPgDatabase(pgDatabase);
  };
  let strapi: Core.Strapi;
  try {
    strapi = (await instance.load()) as Core.Strapi;
  } catch (err) {
    // A failed start (bad config, no Redis) must not leave a database connection behind.
    await instance.destroy().catch(() => undefined);
    await cleanupFiles();
    throw err;
  }
  strapi.server.mount();

  return {
    strapi,
    httpServer: strapi.server.httpServer,
    prefix,
    async stop() {
      await strapi.destroy();
      await deleteRedisKeys(`${prefix}:*`);
      await cleanupFiles();
    },
  };
}

async function dropPgDatabase(name: string): Promise<void> {
  const pg = new PgClient({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await pg.connect();
  await pg.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await pg.end();
}

export async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `fn` returns a truthy value (or throws after `timeoutMs` with the last value seen). */
export async function waitFor<T>(fn: () => Promise<T> | T, { timeoutMs = 15000, intervalMs = 50, what = 'condition' } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A super-admin and its JWT, for admin and Content Manager routes. */
/** The super admin createAdmin makes unless told otherwise (the benchmarks log in with it in a browser). */
export const DEFAULT_ADMIN = { email: 'admin@example.com', password: 'Admin-Passw0rd!' };

export async function createAdmin(app: TestApp, email = DEFAULT_ADMIN.email, password = DEFAULT_ADMIN.password): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const request = require('supertest') as typeof import('supertest');
  const role = await app.strapi.service('admin::role').getSuperAdmin();
  const existing = await app.strapi.db.query('admin::user').findOne({ where: { email } });
  if (!existing) {
    await app.strapi.service('admin::user').create({ email, firstname: 'Test', lastname: 'Admin', password, isActive: true, registrationToken: null, roles: [role.id] });
  }
  const res = await request(app.httpServer).post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
}

/** A full-access content-API token (REST as scripts use it). */
export async function createApiToken(app: TestApp, name = `full-${Date.now()}`): Promise<string> {
  const token = await app.strapi.service('admin::api-token').create({ name, description: '', type: 'full-access', kind: 'content-api', lifespan: null });
  return token.accessKey as string;
}
