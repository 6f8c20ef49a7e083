/**
 * Prometheus scrape and deep health check. The actions are `scrape` and `health`, not `find`: a
 * read-only API token passes every `find`/`findOne` route, and these should need a token granted them.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getRuntime } from '../runtime';
import { notFound, withHttpErrors } from '../http/errors';
import { checkHealth } from '../monitoring/health';

const monitoring = ({ strapi }: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async scrape(ctx: Context) {
      const rt = getRuntime(strapi);
      if (!rt.metrics.enabled) throw notFound('Metrics are off: set metrics.enabled in the crosspost plugin config.');
      const { contentType, body } = await rt.metrics.render();
      ctx.type = contentType;
      ctx.body = body;
    },
    async health(ctx: Context) {
      const report = await checkHealth(getRuntime(strapi));
      ctx.status = report.status === 'down' ? 503 : 200;
      ctx.body = report;
    },
  });

export default monitoring;
