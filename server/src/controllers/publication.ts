import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { confirmBodySchema, entrySettingsBodySchema, entryTargetSchema, idParamSchema, listQuerySchema, parseInput, syncBodySchema } from './validation';
import { ConflictError, type PublicationsService } from '../services/publications';

type Ctx = Context & { params: Record<string, string>; request: Context['request'] & { body?: unknown } };

/** Same handlers serve the admin routes and the content API (API tokens). */
const publication = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => strapi.plugin('crosspost').service('publications') as PublicationsService;

  const conflictAware = async (ctx: Ctx, fn: () => Promise<unknown>) => {
    try {
      ctx.body = { data: await fn() };
    } catch (err) {
      if (err instanceof ConflictError) {
        ctx.status = 409;
        ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: err.message, details: {} } };
        return;
      }
      throw err;
    }
  };

  return {
    async find(ctx: Ctx) {
      const query = parseInput(listQuerySchema, ctx.query);
      const { results, pagination } = await service().list(query);
      ctx.body = { data: results, meta: { pagination } };
    },
    async findOne(ctx: Ctx) {
      const { id } = parseInput(idParamSchema, ctx.params);
      ctx.body = { data: await service().findOne(id) };
    },
    async retry(ctx: Ctx) {
      const { id } = parseInput(idParamSchema, ctx.params);
      await conflictAware(ctx, () => service().retry(id));
    },
    async cancel(ctx: Ctx) {
      const { id } = parseInput(idParamSchema, ctx.params);
      await conflictAware(ctx, () => service().cancel(id));
    },
    async confirm(ctx: Ctx) {
      const { id } = parseInput(idParamSchema, ctx.params);
      const body = parseInput(confirmBodySchema, ctx.request.body);
      await conflictAware(ctx, () => service().confirm(id, body));
    },
    async getSettings(ctx: Ctx) {
      const target = parseInput(entryTargetSchema, ctx.query);
      ctx.body = { data: await service().getSettings(target) };
    },
    async setSettings(ctx: Ctx) {
      const { platforms, ...target } = parseInput(entrySettingsBodySchema, ctx.request.body);
      ctx.body = { data: await service().setSettings(target, { platforms }) };
    },
    async sync(ctx: Ctx) {
      const body = parseInput(syncBodySchema, ctx.request.body);
      await conflictAware(ctx, () => service().sync(body));
    },
  };
};

export default publication;
