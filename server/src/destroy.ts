import type { Core } from '@strapi/strapi';
import { getLifecycle, clearLifecycle } from './lifecycle';
import { getRuntime, hasRuntime, setRuntime } from './runtime';

/** Stop taking events, let planned work and running platform calls finish, then close Redis. */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  const lc = getLifecycle(strapi);
  if (lc) {
    lc.listener.stop();
    lc.reconciler.stop();
    await lc.listener.idle();
    clearLifecycle(strapi);
  }
  if (hasRuntime(strapi)) {
    const rt = getRuntime(strapi);
    // Running plans may still add platform jobs: close the plan queue first.
    await rt.planQueue.close();
    await rt.queues.close();
    await rt.redis.quit().catch(() => rt.redis.disconnect());
    setRuntime(strapi, undefined);
  }
};

export default destroy;
