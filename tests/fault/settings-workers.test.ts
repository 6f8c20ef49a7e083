/**
 * Settings changed in the admin reach a worker in ANOTHER process without a restart. This test process runs
 * an enqueue-only Strapi (CROSSPOST_WORKER=false, the web node the admin talks to); the jobs run in a
 * separate worker process (tests/fault/worker-process.ts) on the same PostgreSQL database and Redis prefix.
 * DEV has no key in the environment: the admin enters one, later replaces it, then switches DEV off, and the
 * worker follows each change (its version check before each plan and each job), never restarted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createMediumSimulator, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../simulators/medium';
import {
  appEnv,
  createPgDatabase,
  dropPgDatabase,
  freshPrefix,
  pgAvailable,
  pgEnv,
  publishArticle,
  startFaultApp,
  stopChild,
  TSX,
  type ChildHandle,
  type FaultApp,
} from '../helpers/fault';
import { ROOT } from '../helpers/strapi';
import { rowFor, waitForStatus } from '../helpers/publications';

jest.setTimeout(180_000);

const KEY_1 = 'dev-key-entered-in-admin-0001';
const KEY_2 = 'dev-key-replaced-in-admin-0002';

let devto: DevtoSimulator;
let medium: MediumSimulator;
let app: FaultApp | undefined;
let database: string | undefined;
let worker: (ChildHandle & { ready: Promise<boolean> }) | undefined;
let logDir: string;

const settingsService = () => app!.strapi.plugin('crosspost').service('settings') as {
  update(input: object): Promise<{ platforms: Record<string, { configured: boolean }> }>;
};
const lastKey = () => devto.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/articles').at(-1)?.headers['api-key'];

beforeAll(async () => {
  if (!(await pgAvailable())) throw new Error('This test needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth): the worker process shares one database with the test process.');
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosspost-settings-'));
  devto = createDevtoSimulator({ limits: false });
  // Medium's key comes from the environment: its row shows that an entry was planned at all.
  medium = createMediumSimulator({ dailyLimit: { max: 100000, windowMs: 1000 } });
  await Promise.all([devto.listen(), medium.listen()]);
  devto.apiKeys[KEY_1] = { id: 51, username: 'first', name: 'First' };
  devto.apiKeys[KEY_2] = { id: 52, username: 'second', name: 'Second' };

  database = await createPgDatabase('settings');
  const shared = { ...pgEnv(database), CROSSPOST_QUEUE_PREFIX: freshPrefix('settings'), CROSSPOST_DEVTO_BASE_URL: devto.apiUrl, CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN, CROSSPOST_MEDIUM_BASE_URL: medium.url };
  // The enqueue-only app boots first: it creates the schema the worker then shares.
  app = await startFaultApp({ pgDatabase: database, prefix: shared.CROSSPOST_QUEUE_PREFIX, env: { ...shared, CROSSPOST_WORKER: 'false' } });

  const logFile = path.join(logDir, 'worker.log');
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(TSX, [path.join(__dirname, 'worker-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...appEnv({ ...shared, CROSSPOST_WORKER: 'true' }), FAULT_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', out],
  });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = new Promise<boolean>((resolve) => {
    let buf = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      if (/FAULT-WORKER-READY \d+/.test(buf)) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  worker = { proc, pid: proc.pid!, exited, logFile, ready };
  if (!(await ready)) throw new Error(`the worker process did not start; see ${logFile}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
});

afterAll(async () => {
  await stopChild(worker, 15000);
  await app?.stop().catch(() => undefined);
  if (database) await dropPgDatabase(database).catch(() => undefined);
  await Promise.all([devto?.close(), medium?.close()]);
  fs.rmSync(logDir, { recursive: true, force: true });
});

test('a key entered, replaced, then DEV switched off in the admin: the worker process follows each change without a restart', async () => {
  const strapi = app!.strapi;
  const saved = await settingsService().update({ platforms: { devto: { credentials: { apiKey: KEY_1 } } } });
  expect(saved.platforms.devto.configured).toBe(true);

  const first = await publishArticle(strapi, 'settings-first');
  expect(await waitForStatus(strapi, first, 'devto', ['published', 'failed'], 30000)).toMatchObject({ status: 'published' });
  expect(lastKey()).toBe(KEY_1);

  await settingsService().update({ platforms: { devto: { credentials: { apiKey: KEY_2 } } } });
  const second = await publishArticle(strapi, 'settings-second');
  expect(await waitForStatus(strapi, second, 'devto', ['published', 'failed'], 30000)).toMatchObject({ status: 'published' });
  expect(lastKey()).toBe(KEY_2);

  await settingsService().update({ platforms: { devto: { enabled: false } } });
  const posts = devto.server.requests.filter((r) => r.method === 'POST').length;
  const third = await publishArticle(strapi, 'settings-third');
  // The worker planned it (Medium got its row and its post), and left DEV out.
  await waitForStatus(strapi, third, 'medium', ['published', 'failed'], 30000);
  expect(await rowFor(strapi, third, 'devto')).toBeNull();
  expect(devto.server.requests.filter((r) => r.method === 'POST')).toHaveLength(posts);
});
