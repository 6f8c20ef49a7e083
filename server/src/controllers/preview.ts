/** GET /preview: what each platform would receive, with warnings and blocking problems; sends and writes nothing. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { withHttpErrors } from '../http/errors';
import { getRuntime } from '../runtime';
import { parseInput } from './validation';
import { previewQuery } from './api-validation';
import { assertCanActOnEntry, resolveTargetLocale } from '../access/entry-access';
import { previewEntry } from '../preview/preview';
import { assertWatched } from '../planner/publish-request';

const preview = ({ strapi }: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async show(ctx: Context) {
      const query = parseInput(previewQuery, ctx.query);
      const locale = await resolveTargetLocale(strapi, query.contentType, query.locale);
      const target = { uid: query.contentType, documentId: query.documentId, locale };
      assertWatched(getRuntime(strapi), target.uid);
      await assertCanActOnEntry(strapi, ctx, target, 'read');
      ctx.body = { data: await previewEntry(getRuntime(strapi), target, query.platform) };
    },
  });

export default preview;
