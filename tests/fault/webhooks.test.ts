/**
 * Webhook deliveries survive crashes and Redis loss (the outbox):
 * (a) kill -9 of the worker process while its deliveries are in flight (a receiver that hangs) and
 *     queued behind them, after the publications' status changes committed: a second worker delivers
 *     every one (at least once, same webhook-id), none lost.
 * (b) FLUSHALL of Redis while deliveries wait for a retry: the reconciler re-adds a job for every pending
 *     delivery from its row; every delivery still arrives.
 * (c) Redis stopped: the health route answers 503 "down".
 * Worker processes share one PostgreSQL database; (b) and (c) use a throw-away redis-server of their own.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createDevtoSimulator, DEVTO_DEFAULT_KEY, type DevtoSimulator } from '../simulators/devto';
import {
  appEnv,
  createPgDatabase,
  dropPgDatabase,
  freshPrefix,
  pgAvailable,
  pgEnv,
  publishArticle,
  startFaultApp,
  startTempRedis,
  stopChild,
  TSX,
  type ChildHandle,
  type FaultApp,
  type TempRedis,
} from '../helpers/fault';
import { createAdmin, createApiToken, ROOT, waitFor } from '../helpers/strapi';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

jest.setTimeout(300_000);

const DELIVERY = 'plugin::crosspost.webhook-delivery';

let devto: DevtoSimulator;
let rx: Receiver;
let logDir: string;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  rx = await startReceiver();
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosspost-wh-fault-'));
});

afterAll(async () => {
  await rx?.close();
  await devto?.close();
  fs.rmSync(logDir, { recursive: true, force: true });
});

async function addEndpoint(app: FaultApp, name: string): Promise<string> {
  const jwt = await createAdmin({ strapi: app.strapi, httpServer: app.strapi.server.httpServer } as never);
  const res = await request(app.strapi.server.httpServer).post('/crosspost/webhook-endpoints').set('Authorization', `Bearer ${jwt}`).send({ name, url: rx.url(name) });
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${JSON.stringify(res.body)}`);
  rx.secret(name, res.body.secret);
  return jwt;
}

/** Every delivery row has reached the receiver with a 2xx, under its own webhook-id, verified. */
function expectAllArrived(rows: Array<{ messageId: string }>, name: string) {
  const ok = new Set(rx.for(name).filter((r) => r.answered && r.answered < 300 && r.verifyError === null).map((r) => r.headers['webhook-id']));
  expect(rows.filter((r) => !ok.has(r.messageId)).map((r) => r.messageId)).toEqual([]);
}

const WEBHOOK_CONFIG = { 'webhooks.allowPrivateNetworks': true, 'webhooks.retrySchedule': [0, 300, 300, 300, 300, 300], 'webhooks.jitter': 0, 'webhooks.timeoutMs': 60000 };

test('(a) kill -9 of the worker with deliveries in flight and queued: a new worker delivers every one', async () => {
  if (!(await pgAvailable())) throw new Error('needs PostgreSQL on 127.0.0.1:5432 (worker processes share one database)');
  const database = await createPgDatabase('whkill');
  const prefix = freshPrefix('whkill');
  const shared = {
    ...pgEnv(database),
    CROSSPOST_QUEUE_PREFIX: prefix,
    CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY,
    CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
    CROSSPOST_LOCK_MS: '2000',
    CROSSPOST_STALLED_MS: '1000',
    CROSSPOST_RECONCILE_MS: '1000',
  };
  const app = await startFaultApp({ pgDatabase: database, prefix, env: { ...shared, CROSSPOST_WORKER: 'false' }, pluginConfig: WEBHOOK_CONFIG });
  const workers: Array<ChildHandle & { inner?: number }> = [];
  const startWorker = async (n: number) => {
    const logFile = path.join(logDir, `worker-${n}.log`);
    const proc = spawn(TSX, [path.join(ROOT, 'tests', 'fault', 'worker-process.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...appEnv({ ...shared, CROSSPOST_WORKER: 'true' }), FAULT_PARENT_PID: String(process.pid), FAULT_PLUGIN_CONFIG: JSON.stringify(WEBHOOK_CONFIG) },
      stdio: ['ignore', 'pipe', fs.openSync(logFile, 'a')],
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const w: ChildHandle & { inner?: number } = { proc, pid: proc.pid!, exited, logFile };
    workers.push(w);
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      proc.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const m = /FAULT-WORKER-READY (\d+)/.exec(buf);
        if (m && !w.inner) {
          w.inner = Number(m[1]);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`worker ${n} exited before it was ready; see ${logFile}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`)));
    });
    return w;
  };
  try {
    await addEndpoint(app, 'kill');
    rx.behave('kill', 'hang');
    const w1 = await startWorker(1);
    const N = 6;
    for (let i = 0; i < N; i++) await publishArticle(app.strapi, `wh-kill-${i}`, `Webhook kill ${i}`);
    // Every status change has committed (with its delivery rows); the worker is stuck sending the first ones.
    await waitFor(async () => (await app.strapi.db.query(DELIVERY).count({ where: {} })) === N, { timeoutMs: 60000, what: `${N} delivery rows` });
    await waitFor(() => rx.for('kill').length >= 1, { timeoutMs: 30000, what: 'a delivery in flight' });
    const before = await app.strapi.db.query(DELIVERY).findMany({});
    expect(before.every((d: any) => d.status === 'pending')).toBe(true);
    process.kill(w1.inner!, 'SIGKILL');
    w1.proc.kill('SIGKILL');
    await w1.exited;
    rx.behave('kill', 200);
    await startWorker(2);
    const rows = await waitFor(
      async () => {
        const all = await app.strapi.db.query(DELIVERY).findMany({});
        return all.length === N && all.every((d: any) => d.status === 'succeeded') ? all : null;
      },
      { timeoutMs: 90000, what: 'every delivery to succeed' },
    );
    expectAllArrived(rows, 'kill');
    console.log(`(a) ${N} deliveries, ${rx.for('kill').length} requests received (in-flight ones were hanging when the worker died)`);
  } finally {
    for (const w of workers) await stopChild(w, 15000);
    await app.stop().catch(() => undefined);
    await dropPgDatabase(database).catch(() => undefined);
  }
});

describe('on a throw-away Redis', () => {
  let redis: TempRedis;
  let app: FaultApp | undefined;
  beforeAll(async () => {
    redis = await startTempRedis('wh');
  });
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    await redis?.stop();
  });

  test('(b) FLUSHALL with deliveries waiting for a retry: the reconciler re-adds them from the rows; all arrive', async () => {
    app = await startFaultApp({
      env: { CROSSPOST_DEVTO_API_KEY: DEVTO_DEFAULT_KEY, CROSSPOST_DEVTO_BASE_URL: devto.apiUrl, CROSSPOST_REDIS_URL: redis.url, CROSSPOST_RECONCILE_MS: '500' },
      pluginConfig: { ...WEBHOOK_CONFIG, 'webhooks.retrySchedule': [0, 3000, 3000], 'webhooks.timeoutMs': 2000 },
    });
    await addEndpoint(app, 'flush');
    rx.behave('flush', 503);
    const N = 5;
    for (let i = 0; i < N; i++) await publishArticle(app.strapi, `wh-flush-${i}`, `Webhook flush ${i}`);
    // Each delivery failed once and waits (a delayed job) for its retry.
    await waitFor(async () => {
      const all = await app!.strapi.db.query(DELIVERY).findMany({});
      return all.length === N && all.every((d: any) => d.attempts === 1 && d.status === 'pending');
    }, { timeoutMs: 30000, what: 'every delivery to wait for a retry' });
    const c = redis.client();
    await c.flushall();
    c.disconnect();
    rx.behave('flush', 200);
    const rows = await waitFor(
      async () => {
        const all = await app!.strapi.db.query(DELIVERY).findMany({});
        return all.every((d: any) => d.status === 'succeeded') ? all : null;
      },
      { timeoutMs: 30000, what: 'every delivery to succeed after the flush' },
    );
    expectAllArrived(rows, 'flush');
  });

  test('(c) health: ok, then down (503) when Redis stops', async () => {
    const token = await createApiToken({ strapi: app!.strapi } as never);
    const health = () => request(app!.strapi.server.httpServer).get('/api/crosspost/health').set('Authorization', `Bearer ${token}`);
    const ok = await health();
    expect([ok.status, ok.body.status, ok.body.problems]).toEqual([200, 'ok', []]);
    await redis.kill();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'down', checks: { redis: { ok: false }, db: { ok: true } } });
    await redis.restart();
  });
});
