/**
 * Helpers for the fault-injection suite (tests/fault): boot the playground Strapi in this process or in
 * child worker processes against one shared database and Redis prefix, override plugin settings the
 * playground does not read from the environment, start throw-away Redis servers, and summarise the
 * simulators' state (duplicates per canonical URL).
 *
 * The boot mirrors tests/helpers/strapi.ts → startTestApp (same env, same app), with two differences:
 * the database and prefix can be shared between processes, and `pluginConfig` values are set between
 * Strapi's register and bootstrap phases (what `load()` does in one go), so the plugin's bootstrap
 * parses the overridden config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { APP_DIR, APP_ENV_KEYS, REDIS_URL, ROOT, testAppEnv, waitFor } from './strapi';
import { ATTEMPT_UID, PUBLICATION_UID, type Row } from './publications';
import type { RecordedRequest, SimulatorResponse, SimulatorServer } from '../simulators/base';
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, type DevtoSimulator } from '../simulators/devto';
import { createHashnodeSimulator, HASHNODE_DEFAULT_PUBLICATION_ID, HASHNODE_TEST_TOKEN, type HashnodeSimulator } from '../simulators/hashnode';
import { createMediumSimulator, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../simulators/medium';

export { REDIS_URL };

/** The plugin settings every fault app gets unless a test overrides them. */
export const DEFAULT_PLUGIN_CONFIG: Record<string, unknown> = {
  // Medium's documented limit is 10 posts per rolling 24 h; the plugin books slots in that window, so the
  // 11th create of a test would be deferred by a day. The suite compresses it (the limit itself is covered
  // by the fault matrix through Medium's 429 / code 1007).
  'platforms.medium.limits.posts': { max: 100000, durationMs: 1000 },
};

/** Environment of a playground Strapi (startTestApp's), with DEV's limits out of the way, plus `extra`. */
export function appEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...testAppEnv(),
    // DEV's real limits (1 write/s, 9 published creates per 30 s) are compressed; tests that exercise
    // the windows set their own.
    CROSSPOST_DEVTO_LIMIT_WRITES: '1000/1000',
    CROSSPOST_DEVTO_LIMIT_CREATES: '1000/1000',
    CROSSPOST_DEVTO_LIMIT_UPDATES: '1000/1000',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** Replaces this process's plugin/database variables with `env`. */
export function applyEnv(env: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (APP_ENV_KEYS.test(k)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
}

/**
 * Boots the playground with the current process.env: register, plugin config overrides, bootstrap.
 * `pluginConfig` keys are paths under the plugin config (e.g. 'platforms.medium.limits.posts').
 */
export async function bootStrapi(pluginConfig: Record<string, unknown> = {}): Promise<Core.Strapi> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
  const instance = createStrapi({ appDir: APP_DIR, distDir: APP_DIR, autoReload: false, serveAdminPanel: false });
  try {
    await instance.register();
    for (const [key, value] of Object.entries({ ...DEFAULT_PLUGIN_CONFIG, ...pluginConfig })) {
      instance.config.set(`plugin::crosspost.${key}`, value);
    }
    await instance.bootstrap();
    (instance as unknown as { isLoaded: boolean }).isLoaded = true;
  } catch (err) {
    await instance.destroy().catch(() => undefined);
    throw err;
  }
  return instance as Core.Strapi;
}

// ------------------------------------------------------------------------------------------ PostgreSQL

/** How long a hook may take to boot a test app: generous, as a busy machine boots Strapi slowly (a deadline, not a speed claim). */
export const BOOT_TIMEOUT_MS = 300_000;

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export async function pgAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: PG.host, port: PG.port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function createPgDatabase(label: string): Promise<string> {
  const name = `crosspost_fault_${label}_${process.pid}_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const pg = new PgClient({ ...PG, database: 'postgres' });
  await pg.connect();
  try {
    await pg.query(`CREATE DATABASE ${name}`);
  } finally {
    await pg.end();
  }
  return name;
}

export async function dropPgDatabase(name: string): Promise<void> {
  const pg = new PgClient({ ...PG, database: 'postgres' });
  await pg.connect();
  try {
    await pg.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await pg.end();
  }
}

export function pgEnv(database: string): Record<string, string> {
  return { DATABASE_CLIENT: 'postgres', DATABASE_NAME: database, DATABASE_USERNAME: PG.user, DATABASE_HOST: PG.host, DATABASE_PORT: String(PG.port) };
}

// ------------------------------------------------------------------------------------------ in-process app

export interface FaultApp {
  strapi: Core.Strapi;
  prefix: string;
  env: Record<string, string>;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface FaultAppOptions {
  env?: Record<string, string | undefined>;
  pluginConfig?: Record<string, unknown>;
  /** Share an existing PostgreSQL database (not dropped on stop); default: a temp SQLite file. */
  pgDatabase?: string;
  /** Share a prefix (default: a fresh one). */
  prefix?: string;
}

let counter = 0;

export function freshPrefix(label = 'fault'): string {
  counter += 1;
  return `cp-${label}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}

/**
 * A playground Strapi in this process: a temp SQLite database (TEST_DB=postgres: a fresh PostgreSQL one), or
 * the database given. `stop({keepData: true})` keeps the database and the Redis keys (a restart test boots a
 * second app on them); otherwise both are removed.
 */
export async function startFaultApp(opts: FaultAppOptions = {}): Promise<FaultApp> {
  const prefix = opts.prefix ?? freshPrefix();
  let tmp: string | undefined;
  let ownPg: string | undefined;
  let dbEnv: Record<string, string>;
  if (opts.pgDatabase) dbEnv = pgEnv(opts.pgDatabase);
  else if (opts.env?.DATABASE_FILENAME) dbEnv = { DATABASE_FILENAME: opts.env.DATABASE_FILENAME };
  else if (process.env.TEST_DB === 'postgres') {
    // Like startTestApp: TEST_DB=postgres gives each app a fresh PostgreSQL database.
    ownPg = await createPgDatabase('app');
    dbEnv = pgEnv(ownPg);
  } else {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crosspost-fault-'));
    dbEnv = { DATABASE_FILENAME: path.join(tmp, 'data.db') };
  }
  const cleanup = async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (ownPg) await dropPgDatabase(ownPg).catch(() => undefined);
  };
  const env = appEnv({ CROSSPOST_QUEUE_PREFIX: prefix, ...dbEnv, ...opts.env });
  applyEnv(env);
  let strapi: Core.Strapi;
  try {
    strapi = await bootStrapi(opts.pluginConfig);
  } catch (err) {
    await cleanup();
    throw err;
  }
  strapi.server.mount();
  const redisUrl = env.CROSSPOST_REDIS_URL;
  return {
    strapi,
    prefix,
    env,
    async stop({ keepData = false } = {}) {
      await strapi.destroy();
      if (!keepData) {
        await deleteKeys(redisUrl, `${prefix}:*`).catch(() => undefined);
        await cleanup();
      }
    },
  };
}

export async function deleteKeys(redisUrl: string, pattern: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  let n = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) n += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return n;
}

// ------------------------------------------------------------------------------------------ rows

export const TERMINAL = ['published', 'unpublished', 'failed', 'outdated', 'unconfirmed', 'canceled'];

export async function allRows(strapi: Core.Strapi): Promise<Row[]> {
  return strapi.db.query(PUBLICATION_UID).findMany({ orderBy: { id: 'asc' } });
}

export async function allAttempts(strapi: Core.Strapi): Promise<Row[]> {
  return strapi.db.query(ATTEMPT_UID).findMany({ orderBy: { id: 'asc' } });
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) {
    const k = key(it);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Keys that occur more than once, with their counts. */
export function duplicates<T>(items: T[], key: (t: T) => string | null | undefined): Record<string, number> {
  const counts = countBy(items.filter((i) => key(i)), (i) => key(i) as string);
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1));
}

/** Waits until every row (and at least `expected` rows) is in a terminal state. */
export async function waitAllTerminal(strapi: Core.Strapi, expected: number, timeoutMs: number): Promise<Row[]> {
  return waitFor(
    async () => {
      const rows = await allRows(strapi);
      return rows.length >= expected && rows.every((r) => TERMINAL.includes(r.status)) ? rows : null;
    },
    { timeoutMs, intervalMs: 250, what: `${expected} publication rows to reach a terminal state` },
  ).catch(async (err) => {
    const rows = await allRows(strapi);
    const stuck = rows.filter((r) => !TERMINAL.includes(r.status)).slice(0, 10);
    throw new Error(`${(err as Error).message}\nstatuses: ${JSON.stringify(countBy(rows, (r) => `${r.platform}:${r.status}`))}\nfirst non-terminal rows: ${JSON.stringify(stuck.map(slimRow))}`);
  });
}

export function slimRow(r: Row) {
  const { id, platform, status, desired, jobSeq, attempts, needsLookup, remoteId, lastError, lastErrorKind, inFlightSince, claimedAt, nextAttemptAt } = r;
  return { id, platform, status, desired, jobSeq, attempts, needsLookup, remoteId, lastErrorKind, lastError, inFlightSince, claimedAt, nextAttemptAt };
}

// ------------------------------------------------------------------------------------------ articles

export const ARTICLE = 'api::article.article';

/** Creates and publishes an article (Document Service: fires entry.publish like the Content Manager). */
export async function publishArticle(strapi: Core.Strapi, slug: string, title = `Fault ${slug}`, body = `Body of ${slug}.`): Promise<string> {
  const docs = strapi.documents(ARTICLE as never) as any;
  const doc = await docs.create({ data: { title, slug, bodyMarkdown: `${body}\n\nSecond paragraph of ${slug}.` } });
  await docs.publish({ documentId: doc.documentId });
  return doc.documentId as string;
}

export const canonicalOf = (slug: string) => `https://blog.example.com/posts/${slug}`;

// ------------------------------------------------------------------------------------------ processes

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface ChildHandle {
  proc: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  logFile: string;
}

/** Ends a child this suite started: SIGTERM, then SIGKILL after `graceMs`. Never touches other processes. */
export async function stopChild(c: ChildHandle | undefined, graceMs = 10000): Promise<void> {
  if (!c || c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  }, graceMs);
  await c.exited;
  clearTimeout(t);
}

// ------------------------------------------------------------------------------------------ a throw-away Redis

export interface TempRedis {
  port: number;
  url: string;
  dir: string;
  /** Current server process. */
  child: ChildHandle;
  /** SIGKILL the server (no shutdown save). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and directory (AOF is replayed). */
  restart(): Promise<void>;
  client(): Redis;
  stop(): Promise<void>;
}

/**
 * A redis-server on a free port with AOF on every write (`appendfsync always`), no RDB snapshots, data
 * in a temp dir. Only this process's own server is ever killed.
 */
export async function startTempRedis(label = 'redis'): Promise<TempRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `crosspost-${label}-`));
  const logFile = path.join(dir, 'server.log');
  const launch = async (): Promise<ChildHandle> => {
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--save', '', '--logfile', logFile, '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const handle: ChildHandle = { proc, pid: proc.pid!, exited, logFile };
    await waitFor(
      async () => {
        const c = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        c.on('error', () => undefined);
        try {
          await c.connect();
          // AOF loaded and accepting writes.
          return (await c.ping()) === 'PONG' && !(await c.info('persistence')).includes('loading:1');
        } catch {
          return false;
        } finally {
          c.disconnect();
        }
      },
      { timeoutMs: 10000, intervalMs: 50, what: `redis-server on port ${port}` },
    );
    return handle;
  };
  const r: TempRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    child: await launch(),
    async kill() {
      r.child.proc.kill('SIGKILL');
      await r.child.exited;
    },
    async restart() {
      r.child = await launch();
    },
    client() {
      const c = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      return c;
    },
    async stop() {
      if (r.child.proc.exitCode === null && r.child.proc.signalCode === null) {
        r.child.proc.kill('SIGKILL');
        await r.child.exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return r;
}

export const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

// ------------------------------------------------------------------------------------------ dist guard

const DIST_ENTRY = path.join(ROOT, 'dist', 'server', 'index.js');

/**
 * The apps load the plugin from dist/. A rebuild in the middle of a run (another `npm run build`) gives
 * processes that boot later a different plugin, and Strapi then migrates the shared schema under the
 * running ones: the run proves nothing. Take a stamp before, check it after.
 */
export function distStamp(): string {
  const st = fs.statSync(DIST_ENTRY);
  return `${st.mtimeMs}:${st.size}`;
}

export function assertDistUnchanged(stamp: string): void {
  if (distStamp() !== stamp) {
    throw new Error('dist/ was rebuilt while this test ran (npm run build in another shell): processes ran different plugin builds. Rerun the test.');
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------ simulator faults

export interface AfterCommitFault {
  match: { method?: string; path?: string | RegExp; operation?: string };
  times?: number;
  /** What the client gets once the platform has done the work: a status answer, or a broken JSON body. */
  respond: SimulatorResponse | 'malformed';
}

/**
 * The simulators' own `status` and `malformed` faults answer without running the platform's handler (nothing
 * is saved). This one runs the handler first, so the article IS created, then answers with `respond`: a 5xx
 * or a broken body after the commit, the case where only a lookup can avoid a duplicate. Wraps the server's
 * handler (test code only); faults are taken in the order they were added, before the normal handler.
 */
export function injectAfterCommit(server: SimulatorServer, fault: AfterCommitFault): void {
  const s = server as unknown as { handler: (r: { req: unknown; record: RecordedRequest }) => Promise<SimulatorResponse> | SimulatorResponse; afterCommit?: Array<AfterCommitFault & { remaining: number }> };
  if (!s.afterCommit) {
    const faults: Array<AfterCommitFault & { remaining: number }> = [];
    s.afterCommit = faults;
    const original = s.handler;
    s.handler = async (r) => {
      const out = await original(r);
      const m = (f: AfterCommitFault & { remaining: number }) =>
        f.remaining > 0 &&
        (!f.match.method || f.match.method === r.record.method) &&
        (!f.match.path || (typeof f.match.path === 'string' ? f.match.path === r.record.path : f.match.path.test(r.record.path))) &&
        (!f.match.operation || f.match.operation === r.record.operation);
      const f = faults.find(m);
      if (!f) return out;
      f.remaining -= 1;
      if (f.remaining <= 0) faults.splice(faults.indexOf(f), 1);
      if (f.respond === 'malformed') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": {"id": ' };
      return f.respond;
    };
  }
  s.afterCommit.push({ ...fault, remaining: fault.times ?? 1 });
}

export function clearAfterCommit(server: SimulatorServer): void {
  const s = server as unknown as { afterCommit?: unknown[] };
  if (s.afterCommit) s.afterCommit.length = 0;
}

/** The three platform simulators a multi-platform fault test runs against. */
export interface Simulators {
  devto: DevtoSimulator;
  hashnode: HashnodeSimulator;
  medium: MediumSimulator;
  /** Credentials and base URLs that point the plugin at them. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startSimulators(): Promise<Simulators> {
  const devto = createDevtoSimulator({ limits: false });
  const hashnode = createHashnodeSimulator();
  // Medium's daily limit is exercised by the fault matrix; here it would only stall the 11th post.
  const medium = createMediumSimulator({ dailyLimit: { max: 100000, windowMs: 1000 } });
  await Promise.all([devto.listen(), hashnode.listen(), medium.listen()]);
  return {
    devto,
    hashnode,
    medium,
    env: () => ({
      CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY,
      CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
      CROSSPOST_HASHNODE_TOKEN: HASHNODE_TEST_TOKEN,
      CROSSPOST_HASHNODE_PUBLICATION_ID: HASHNODE_DEFAULT_PUBLICATION_ID,
      CROSSPOST_HASHNODE_BASE_URL: hashnode.url,
      CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN,
      CROSSPOST_MEDIUM_BASE_URL: medium.url,
    }),
    close: async () => {
      await Promise.all([devto.close(), hashnode.close(), medium.close()]);
    },
  };
}
