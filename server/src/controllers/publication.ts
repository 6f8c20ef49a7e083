import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { confirmBodySchema, entryDefaultsQuerySchema, entryStatusesQuerySchema, entrySettingsBodySchema, entryTargetSchema, idParamSchema, listQuerySchema, parseInput, syncBodySchema } from './validation';
import type { PublicationsService } from '../services/publications';
import { withHttpErrors } from '../http/errors';
import { assertCanActOnEntry, resolveTargetLocale } from '../access/entry-access';

type Ctx = Context & { params: Record<string, string>; request: Context['request'] & { body?: unknown } };

/** Same handlers serve the admin routes and the content API (API tokens). */
const publication = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => strapi.plugin('crosspost').service('publications') as PublicationsService;

  /** The entry a request names, with its locale checked against the type, after the caller's rights on it. */
  async function entryTarget(ctx: Ctx, input: { contentType: string; documentId: string; locale?: string }, kind: 'read' | 'publish') {
    service().assertWatched(input.contentType);
    const locale = await resolveTargetLocale(strapi, input.contentType, input.locale);
    const target = { uid: input.contentType, documentId: input.documentId, locale };
    await assertCanActOnEntry(strapi, ctx, target, kind);
    return { contentType: input.contentType, documentId: input.documentId, locale };
  }

  /** A row's id, checked against the caller's rights on the row's entry. */
  async function rowId(ctx: Ctx, kind: 'read' | 'publish') {
    const { id } = parseInput(idParamSchema, ctx.params);
    await assertCanActOnEntry(strapi, ctx, await service().targetOf(id), kind);
    return id;
  }

  return withHttpErrors({
    // Not named find/findOne: Strapi lets read-only API tokens call any content-API action so named,
    // and this list holds error messages, attempt history and titles of unpublished entries.
    async list(ctx: Ctx) {
      const query = parseInput(listQuerySchema, ctx.query);
      const { results, pagination } = await service().list(query);
      ctx.body = { data: results, meta: { pagination } };
    },
    async inspect(ctx: Ctx) {
      const id = await rowId(ctx, 'read');
      ctx.body = { data: await service().findOne(id) };
    },
    async retry(ctx: Ctx) {
      const id = await rowId(ctx, 'publish');
      ctx.body = { data: await service().retry(id) };
    },
    async cancel(ctx: Ctx) {
      const id = await rowId(ctx, 'publish');
      ctx.body = { data: await service().cancel(id) };
    },
    async confirm(ctx: Ctx) {
      const id = await rowId(ctx, 'publish');
      const body = parseInput(confirmBodySchema, ctx.request.body);
      ctx.body = { data: await service().confirm(id, body) };
    },
    async getSettings(ctx: Ctx) {
      const target = await entryTarget(ctx, parseInput(entryTargetSchema, ctx.query), 'read');
      ctx.body = { data: await service().getSettings(target) };
    },
    async getDefaults(ctx: Ctx) {
      const { contentType } = parseInput(entryDefaultsQuerySchema, ctx.query);
      ctx.body = { data: await service().defaults(contentType) };
    },
    /** One list-view page of a type: each entry's status per platform, in one query. */
    async entryStatuses(ctx: Ctx) {
      const q = parseInput(entryStatusesQuerySchema, ctx.query);
      service().assertWatched(q.contentType);
      const locale = await resolveTargetLocale(strapi, q.contentType, q.locale);
      ctx.body = { data: await service().entryStatuses(q.contentType, q.documentIds, locale) };
    },
    async setSettings(ctx: Ctx) {
      const { platforms, ...input } = parseInput(entrySettingsBodySchema, ctx.request.body);
      const target = await entryTarget(ctx, input, 'publish');
      ctx.body = { data: await service().setSettings(target, { platforms }) };
    },
    async sync(ctx: Ctx) {
      const target = await entryTarget(ctx, parseInput(syncBodySchema, ctx.request.body), 'publish');
      ctx.body = { data: await service().sync(target) };
    },
  });
};

export default publication;
