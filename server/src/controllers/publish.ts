/** POST /publish (scripts, CI) and the paginated attempts of a publication. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { withHttpErrors, notFound } from '../http/errors';
import { getRuntime } from '../runtime';
import { parseInput } from './validation';
import { attemptsQuery, idParam, publishBody } from './api-validation';
import { assertCanActOnEntry, resolveTargetLocale } from '../access/entry-access';
import { assertWatched, publishEntry } from '../planner/publish-request';
import { ATTEMPT_UID } from '../content-types';

type Ctx = Context & { params: Record<string, string>; request: Context['request'] & { body?: unknown } };

const publish = ({ strapi }: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async publish(ctx: Ctx) {
      const body = parseInput(publishBody, ctx.request.body);
      const locale = await resolveTargetLocale(strapi, body.contentType, body.locale);
      const target = { uid: body.contentType, documentId: body.documentId, locale };
      assertWatched(getRuntime(strapi), target.uid);
      await assertCanActOnEntry(strapi, ctx, target, 'publish');
      const { action, platforms, mode, delayMs, force } = body;
      const data = await publishEntry(getRuntime(strapi), target, { action, platforms, mode, delayMs, force });
      ctx.status = 202;
      ctx.body = { data };
    },

    async attempts(ctx: Ctx) {
      const { id } = parseInput(idParam, ctx.params);
      const { page, pageSize } = parseInput(attemptsQuery, ctx.query);
      const rt = getRuntime(strapi);
      const row = await rt.store.get(id);
      if (!row) throw notFound(`No publication with id ${id}.`);
      await assertCanActOnEntry(strapi, ctx, { uid: row.targetUid, documentId: row.targetDocumentId, locale: row.targetLocale ?? '' }, 'read');
      const q = strapi.db.query(ATTEMPT_UID);
      const [data, total] = await Promise.all([
        q.findMany({ where: { publicationId: id }, orderBy: [{ id: 'desc' }], limit: pageSize, offset: (page - 1) * pageSize }),
        q.count({ where: { publicationId: id } }),
      ]);
      ctx.body = { data, meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } } };
    },
  });

export default publish;
