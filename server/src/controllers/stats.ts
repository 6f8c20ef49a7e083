/** GET /stats and GET /content-types: what the dashboard shows around the table. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { withHttpErrors } from '../http/errors';
import { getRuntime } from '../runtime';
import { parseInput } from './validation';
import { statsQuery } from './api-validation';
import { watchedContentTypes } from '../stats/content-types';

const stats = ({ strapi }: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async summary(ctx: Context) {
      const { window } = parseInput(statsQuery, ctx.query);
      ctx.body = { data: await strapi.plugin('crosspost').service('stats').summary(window) };
    },
    async contentTypes(ctx: Context) {
      ctx.body = { data: await watchedContentTypes(getRuntime(strapi)) };
    },
  });

export default stats;
