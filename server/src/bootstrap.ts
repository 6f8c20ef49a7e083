import type { Core } from '@strapi/strapi';
import { parseConfig } from './config/schema';
import { checkConfigAgainstApp } from './config/check-app';
import { buildConnectors } from './platforms';
import type { Connector } from './platforms/types';
import { createPublicationStore } from './store/publications';
import { createEntrySettingsStore } from './store/entry-settings';
import { PlatformQueues } from './queue/queues';
import { PlanQueue } from './queue/plan-queue';
import { createPlanJobRunner } from './planner/plan-job';
import Redis from 'ioredis';
import { assertRedisReachable, redactRedisUrl } from './queue/redis';
import { RateWindows } from './queue/rate-windows';
import { setRuntime, type Runtime } from './runtime';
import { listenToEntryEvents } from './events/listener';
import { processJob } from './worker/process-job';
import { startReconciler } from './reconciler/reconciler';
import { registerWebhookEvents } from './notify/events';
import { actionDefinitions } from './permissions';
import { setLifecycle } from './lifecycle';
import { ensureTitleSearchIndex } from './store/search-index';
import { startBackfillRunner } from './backfill/runner';
import { createSettingsStore } from './store/settings';
import { LiveSettings, type SettingsSnapshot } from './settings/live';
import type { PlatformId } from './config/schema';
import { WebhookQueue } from './queue/webhook-queue';
import { createEndpointStore } from './notify/endpoints';
import { createDeliveryStore } from './notify/deliveries';
import { runDeliveryJob } from './notify/deliver';
import { Metrics } from './monitoring/metrics';
import { startMetricsListener } from './monitoring/metrics-listener';
import { ensureRollups } from './stats/rollups';

/** Planning waits on the database and on image checks (network): a few side by side keep it moving. */
const PLAN_CONCURRENCY = 4;
/** Past this, the process that saw the event plans it itself (the plan job may still land: planning twice is harmless). */
const PLAN_ADD_TIMEOUT_MS = 2000;

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  const config = parseConfig(strapi.config.get('plugin::crosspost'));
  checkConfigAgainstApp(strapi, config);

  const log = {
    info: (m: string) => strapi.log.info(m),
    warn: (m: string) => strapi.log.warn(m),
    error: (m: string) => strapi.log.error(m),
    debug: (m: string) => strapi.log.debug(m),
  };

  await strapi.service('admin::permission').actionProvider.registerMany(actionDefinitions);
  registerWebhookEvents(strapi);

  if (!Object.keys(config.contentTypes).length) {
    log.warn('crosspost: no content types configured (config/plugins → crosspost.config.contentTypes); nothing will be cross-posted.');
  }

  await assertRedisReachable(config.redis.url, config.redis.connectTimeoutMs);
  await ensureTitleSearchIndex(strapi, log);
  await ensureRollups(strapi, log);

  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  redis.on('error', () => {
    /* queue 'error' events already report Redis trouble; avoid double logs */
  });

  // Connectors come from the file config with the admin's settings laid over it, and are rebuilt in
  // place whenever those change (in this process at once, in others on their next check).
  const connectors = new Map<PlatformId, Connector>();
  const settingsStore = createSettingsStore(strapi);
  let queuesRef: PlatformQueues | undefined;
  const settings = new LiveSettings({
    strapi,
    fileConfig: config,
    store: settingsStore,
    redis,
    log,
    async apply(next: SettingsSnapshot, previous?: SettingsSnapshot) {
      const built = buildConnectors(next.config);
      // Open queues first so that nothing plans for a platform whose queue does not exist yet.
      if (queuesRef) await queuesRef.ensure([...built.connectors.keys()]);
      connectors.clear();
      for (const [p, c] of built.connectors) connectors.set(p, c);
      for (const [platform, why] of Object.entries(next.off)) {
        if (previous?.off[platform as PlatformId] !== why) log.info(`crosspost: ${platform} is off: ${why}`);
      }
    },
  });
  await settings.reload();

  const queues = new PlatformQueues(
    [...connectors.keys()],
    {
      redisUrl: config.redis.url,
      prefix: config.redis.prefix,
      lockDurationMs: config.queue.lockDurationMs,
      stalledIntervalMs: config.queue.stalledIntervalMs,
      maxStalledCount: config.queue.maxStalledCount,
      keepCompleted: config.queue.keepCompleted,
      keepFailed: config.queue.keepFailed,
      limiters: { devto: config.platforms.devto.limits.writes },
    },
    log,
  );

  const planQueue = new PlanQueue(
    {
      redisUrl: config.redis.url,
      prefix: config.redis.prefix,
      lockDurationMs: config.queue.lockDurationMs,
      stalledIntervalMs: config.queue.stalledIntervalMs,
      maxStalledCount: config.queue.maxStalledCount,
      keepFailed: config.queue.keepFailed,
      addTimeoutMs: PLAN_ADD_TIMEOUT_MS,
    },
    log,
  );

  queuesRef = queues;
  const webhookQueue = new WebhookQueue(
    {
      redisUrl: config.redis.url,
      prefix: config.redis.prefix,
      lockDurationMs: config.queue.lockDurationMs,
      stalledIntervalMs: config.queue.stalledIntervalMs,
      maxStalledCount: config.queue.maxStalledCount,
      keepFailed: config.queue.keepFailed,
    },
    log,
  );
  const metrics = new Metrics(config.metrics);

  const rt: Runtime = {
    strapi,
    config,
    publicUrl: config.publicUrl ?? (strapi.config.get('server.url') as string | undefined) ?? undefined,
    connectors,
    settings,
    settingsStore,
    store: createPublicationStore(strapi, { onAttempt: (a) => metrics.attempt(a) }),
    entrySettings: createEntrySettingsStore(strapi),
    queues,
    planQueue,
    redis,
    rateWindows: new RateWindows(redis, config.redis.prefix, appSecret(strapi)),
    webhooks: { endpoints: createEndpointStore({ strapi, config }), deliveries: createDeliveryStore(strapi), queue: webhookQueue },
    metrics,
    log,
  };
  metrics.attach(rt);
  setRuntime(strapi, rt);
  await rt.webhooks.endpoints.syncFromConfig();

  const listener = listenToEntryEvents(rt);
  if (config.worker) {
    await queues.startWorkers(config.queue.concurrency, (_platform, job) => processJob(rt, job.data));
    const planner = createPlanJobRunner(rt);
    await planQueue.startWorker(PLAN_CONCURRENCY, (data) => planner.run(data));
    await webhookQueue.startWorker(config.webhooks.concurrency, (data) => runDeliveryJob(rt, data));
  }
  settings.startPolling(config.settings.refreshMs);
  const metricsListener = config.metrics.enabled && config.metrics.listen ? await startMetricsListener(rt, config.metrics.listen) : undefined;
  const reconciler = startReconciler(rt);
  // Backfills left running when a process stopped resume here (whichever process takes the lease).
  startBackfillRunner(rt);
  setLifecycle(strapi, { listener, reconciler, metricsListener });

  log.info(
    `crosspost: ready — platforms: ${[...connectors.keys()].join(', ') || 'none'}; ` +
      `redis ${redactRedisUrl(config.redis.url)}; ${config.worker ? 'this process runs jobs' : 'enqueue only (CROSSPOST_WORKER=false)'}.`,
  );
};

export default bootstrap;

/** The app's own secret (APP_KEYS), for keyed digests; every process of the app shares it. */
function appSecret(strapi: Core.Strapi): string {
  const keys = strapi.config.get('server.app.keys') as string[] | string | undefined;
  return (Array.isArray(keys) ? keys.join(',') : keys) ?? '';
}
