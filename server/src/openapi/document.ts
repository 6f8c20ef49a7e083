/**
 * Builds the plugin's OpenAPI 3.1 document from the same Endpoint lists the router serves and the zod
 * schemas the controllers validate with, so the description cannot drift from the routes.
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { ZodTypeAny } from 'zod';
import { endpoints } from '../routes';
import type { Endpoint } from '../routes/types';
import { routeSchemas } from './schemas';

type Json = Record<string, unknown>;

/** Request side of the schema (before transforms), inlined: what a caller must send. Draft-7 output: numeric
 * exclusiveMinimum, valid in OpenAPI 3.1's JSON Schema 2020-12 (the 2019-09 target writes the old boolean form). */
export const toJsonSchema = (schema: ZodTypeAny): Json => {
  // Called through a plain signature: its generic overloads over our deep schema types overflow tsc.
  const convert = zodToJsonSchema as (s: unknown, o: object) => Json;
  const { $schema: _drop, ...rest } = convert(schema, { target: 'jsonSchema7', $refStrategy: 'none', effectStrategy: 'input', pipeStrategy: 'input' });
  return rest;
};

/** Koa `/a/:id/b` → OpenAPI `/a/{id}/b`. */
export const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

function operation(e: Endpoint, api: 'admin' | 'content-api') {
  const s = routeSchemas[e.handler] ?? {};
  const parameters: Json[] = [...e.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 },
  }));
  if (s.query) {
    const q = toJsonSchema(s.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
    }
  }
  return {
    operationId: `${api === 'admin' ? 'admin' : 'api'}.${e.handler}`,
    tags: [api === 'admin' ? 'admin' : 'content-api'],
    description: api === 'admin' ? `Admin JWT with RBAC action ${e.action}.` : `API token granted plugin::crosspost.${e.handler}.`,
    security: [{ [api === 'admin' ? 'adminJwt' : 'apiToken']: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(s.body) } } } } : {}),
    responses: {
      '200': { description: 'Success (202 for work that is queued).' },
      '400': errorResponse('Invalid input: the message names the field and what to fix.'),
      '401': errorResponse('Missing or invalid credentials.'),
      '403': errorResponse('Not allowed.'),
      '404': errorResponse('Not found.'),
      '409': errorResponse('Action does not fit the current state.'),
    },
  };
}

export function buildOpenApiDocument(version = '0.0.0') {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (prefix: string, e: Endpoint, api: 'admin' | 'content-api') => {
    const p = prefix + toOpenApiPath(e.path);
    (paths[p] ??= {})[e.method.toLowerCase()] = operation(e, api);
  };
  for (const e of endpoints) add('/crosspost', e, 'admin');
  for (const e of endpoints.filter((x) => !x.adminOnly)) add('/api/crosspost', e, 'content-api');
  return {
    openapi: '3.1.0',
    info: { title: 'strapi-plugin-crosspost', version, description: 'Admin API (/crosspost/...) and content API (/api/crosspost/...) of the crosspost plugin.' },
    paths,
    components: {
      securitySchemes: {
        adminJwt: { type: 'http', scheme: 'bearer', description: 'Strapi admin JWT' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'Strapi API token' },
      },
    },
  };
}
