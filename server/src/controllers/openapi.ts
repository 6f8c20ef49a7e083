/** GET /crosspost/openapi.json: the plugin's OpenAPI 3.1 description, built from the live route table. */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { withHttpErrors } from '../http/errors';
import { buildOpenApiDocument } from '../openapi/document';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const openapi = (_deps: { strapi: Core.Strapi }) =>
  withHttpErrors({
    async document(ctx: Context) {
      ctx.body = buildOpenApiDocument();
    },
  });

export default openapi;
