/** zod schemas for request input; a bad value answers 400 with the field and what is allowed. */
import { z } from 'zod';
import { errors } from '@strapi/utils';
import { PLATFORM_IDS } from '../config/schema';
import { STATUSES } from '../store/publications';
import { entrySettingsSchema } from '../store/entry-settings';

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const listQuerySchema = z
  .object({
    status: csv(STATUSES).optional(),
    platform: csv(PLATFORM_IDS).optional(),
    contentType: z.string().min(1).optional(),
    entryDocumentId: z.string().min(1).optional(),
    locale: z.string().optional(),
    q: z.string().max(200).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
    sort: z.enum(['updatedAt:desc', 'updatedAt:asc', 'createdAt:desc', 'createdAt:asc', 'title:asc', 'title:desc']).default('updatedAt:desc'),
  })
  .strict();

export const idParamSchema = z.object({ id: z.coerce.number().int().positive() });

export const confirmBodySchema = z
  .object({
    url: z.string().url('must be the full URL of the post, e.g. https://medium.com/@you/post-123').optional(),
    remoteId: z.string().min(1).optional(),
  })
  .strict();

export const entryTargetSchema = z
  .object({
    contentType: z.string().regex(/^(api|plugin)::[\w-]+\.[\w-]+$/, 'must be a content type UID like "api::article.article"'),
    documentId: z.string().min(1),
    locale: z.string().optional(),
  })
  .strict();

/** POST /sync names the entry the same way. */
export const syncBodySchema = entryTargetSchema;

export const entrySettingsBodySchema = entryTargetSchema.extend({ platforms: entrySettingsSchema.shape.platforms }).strict();

export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const res = schema.safeParse(value ?? {});
  if (res.success) return res.data;
  const details = res.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  throw new errors.ValidationError(`Invalid request: ${summary}`, { errors: details });
}
