/** POST /publications/bulk-retry: by ids or by the list filter, answered per row. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { HttpError, withHttpErrors } from '../http/errors';
import { getRuntime } from '../runtime';
import { parseInput } from './validation';
import { bulkRetryBody } from './api-validation';
import { assertCanActOnEntry } from '../access/entry-access';
import { bulkRetryFilter, bulkRetryIds, type RowGuard } from '../bulk/bulk-retry';

type Ctx = Context & { request: Context['request'] & { body?: unknown } };

const bulk = ({ strapi }: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async retry(ctx: Ctx) {
      const body = parseInput(bulkRetryBody, ctx.request.body);
      // A row of an entry the caller may not publish is skipped with the reason, not a failure of the whole call.
      const guard: RowGuard = async (row) => {
        try {
          await assertCanActOnEntry(strapi, ctx, { uid: row.targetUid, documentId: row.targetDocumentId, locale: row.targetLocale ?? '' }, 'publish');
          return null;
        } catch (err) {
          if (err instanceof HttpError) return err.status === 404 ? 'the entry no longer exists' : 'not allowed: you cannot publish this entry';
          throw err;
        }
      };
      const rt = getRuntime(strapi);
      ctx.body = { data: body.ids ? await bulkRetryIds(rt, body.ids, guard) : await bulkRetryFilter(rt, body.filter!, guard) };
    },
  });

export default bulk;
