/** Backfill routes: estimate, start, progress, list, cancel. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { forbidden, withHttpErrors } from '../http/errors';
import { getRuntime } from '../runtime';
import { parseInput } from './validation';
import { backfillBody, backfillEstimateQuery, idParam } from './api-validation';
import { cancelBackfill, estimate, getBackfill, listBackfills, startBackfill } from '../backfill/backfills';
import { backfillStore } from '../backfill/store';

type Ctx = Context & { params: Record<string, string>; request: Context['request'] & { body?: unknown } };

interface PermissionChecker {
  can: Record<string, () => boolean>;
}

/**
 * A backfill publishes every entry of a type: on admin routes the caller must be able to read and
 * publish that type in the Content Manager (entry-level conditions cannot be checked for a whole type,
 * so a role limited by conditions such as "is creator" is refused).
 */
function assertCanBackfill(strapi: Core.Strapi, ctx: Context, uid: string, action: 'read' | 'publish'): void {
  const userAbility = (ctx.state as { userAbility?: { rulesFor?: (a: string, s: string) => Array<{ conditions?: unknown }> } }).userAbility;
  if (!userAbility) return; // content API: the token's scope decided
  const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility, model: uid }) as PermissionChecker & {
    requiresEntity: Record<string, () => boolean>;
  };
  const ct = strapi.contentType(uid as never) as unknown as { options?: { draftAndPublish?: boolean } } | undefined;
  const cmAction = action === 'read' ? 'read' : ct?.options?.draftAndPublish === false ? 'update' : 'publish';
  if (!checker.can[cmAction]() || (action === 'publish' && checker.requiresEntity[cmAction]())) {
    throw forbidden(`You need the Content Manager right to ${action} every entry of ${uid} to backfill it.`);
  }
}

const backfill = ({ strapi }: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async estimate(ctx: Ctx) {
      const q = parseInput(backfillEstimateQuery, ctx.query);
      const rt = getRuntime(strapi);
      if (rt.config.contentTypes[q.contentType]) assertCanBackfill(strapi, ctx, q.contentType, 'read');
      ctx.body = { data: await estimate(rt, q) };
    },
    async start(ctx: Ctx) {
      const body = parseInput(backfillBody, ctx.request.body);
      const rt = getRuntime(strapi);
      if (rt.config.contentTypes[body.contentType]) assertCanBackfill(strapi, ctx, body.contentType, 'publish');
      ctx.status = 202;
      ctx.body = { data: await startBackfill(rt, body) };
    },
    async status(ctx: Ctx) {
      const { id } = parseInput(idParam, ctx.params);
      ctx.body = { data: await getBackfill(getRuntime(strapi), id) };
    },
    async list(ctx: Ctx) {
      ctx.body = { data: await listBackfills(getRuntime(strapi)) };
    },
    async cancel(ctx: Ctx) {
      const { id } = parseInput(idParam, ctx.params);
      const rt = getRuntime(strapi);
      const row = await backfillStore.get(rt, id);
      if (row) assertCanBackfill(strapi, ctx, row.contentType, 'publish');
      ctx.body = { data: await cancelBackfill(rt, id) };
    },
  });

export default backfill;
