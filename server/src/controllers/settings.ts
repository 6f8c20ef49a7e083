/** Settings → Cross-posting (admin API only, RBAC plugin::crosspost.settings). */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { parseInput } from './validation';
import { settingsUpdateSchema, testConnectionSchema } from './settings-input';
import type { SettingsService, SettingsUpdate } from '../services/settings';
import { withHttpErrors } from '../http/errors';

type Ctx = Context & { request: Context['request'] & { body?: unknown } };

const settings = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => strapi.plugin('crosspost').service('settings') as SettingsService;

  return withHttpErrors({
    async find(ctx: Ctx) {
      ctx.body = { data: await service().get() };
    },
    async update(ctx: Ctx) {
      const input = parseInput(settingsUpdateSchema, ctx.request.body) as SettingsUpdate;
      ctx.body = { data: await service().update(input) };
    },
    async testConnection(ctx: Ctx) {
      const input = parseInput(testConnectionSchema, ctx.request.body);
      ctx.body = { data: await service().testConnection(input) };
    },
  });
};

export default settings;
