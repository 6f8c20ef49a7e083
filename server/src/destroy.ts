import type { Core } from '@strapi/strapi';
import { getLifecycle, clearLifecycle } from './lifecycle';
import { getRuntime, hasRuntime, setRuntime } from './runtime';
import { stopBackfillRunner } from './backfill/runner';

/** Stop taking events, let planned work and running platform calls finish, then close Redis. */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  // A backfill stops planning first; its state is in the database and resumes on the next start.
  await stopBackfillRunner(strapi);
  const lc = getLifecycle(strapi);
  if (lc) {
    lc.listener.stop();
    lc.reconciler.stop();
    await lc.listener.idle();
    if (lc.metricsListener) await new Promise<void>((r) => lc.metricsListener!.close(() => r()));
    clearLifecycle(strapi);
  }
  if (hasRuntime(strapi)) {
    const rt = getRuntime(strapi);
    rt.settings.stop();
    // Running plans may still add platform jobs: close the plan queue first.
    await rt.planQueue.close();
    await rt.queues.close();
    await rt.webhooks.queue.close();
    await rt.redis.quit().catch(() => rt.redis.disconnect());
    setRuntime(strapi, undefined);
  }
};

export default destroy;
