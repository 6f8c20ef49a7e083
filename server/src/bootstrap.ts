import type { Core } from '@strapi/strapi';
import { parseConfig } from './config/schema';
import { checkConfigAgainstApp } from './config/check-app';
import { buildConnectors } from './platforms';
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

  const { connectors, disabled } = buildConnectors(config);
  for (const [platform, why] of Object.entries(disabled)) log.info(`crosspost: ${platform} is off: ${why}.`);
  if (!Object.keys(config.contentTypes).length) {
    log.warn('crosspost: no content types configured (config/plugins → crosspost.config.contentTypes); nothing will be cross-posted.');
  }

  await assertRedisReachable(config.redis.url, config.redis.connectTimeoutMs);
  await ensureTitleSearchIndex(strapi, log);

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

  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  redis.on('error', () => {
    /* queue 'error' events already report Redis trouble; avoid double logs */
  });

  const rt: Runtime = {
    strapi,
    config,
    publicUrl: config.publicUrl ?? (strapi.config.get('server.url') as string | undefined) ?? undefined,
    connectors,
    store: createPublicationStore(strapi),
    entrySettings: createEntrySettingsStore(strapi),
    queues,
    planQueue,
    redis,
    rateWindows: new RateWindows(redis, config.redis.prefix),
    log,
  };
  setRuntime(strapi, rt);

  const listener = listenToEntryEvents(rt);
  if (config.worker) {
    await queues.startWorkers(config.queue.concurrency, (_platform, job) => processJob(rt, job.data));
    const planner = createPlanJobRunner(rt);
    await planQueue.startWorker(PLAN_CONCURRENCY, (data) => planner.run(data));
  }
  const reconciler = startReconciler(rt);
  setLifecycle(strapi, { listener, reconciler });

  log.info(
    `crosspost: ready — platforms: ${[...connectors.keys()].join(', ') || 'none'}; ` +
      `redis ${redactRedisUrl(config.redis.url)}; ${config.worker ? 'this process runs jobs' : 'enqueue only (CROSSPOST_WORKER=false)'}.`,
  );
};

export default bootstrap;
