/** zod schemas for request input; a bad value answers 400 with the field and what is allowed. */
import { z } from 'zod';
import { badRequest } from '../http/errors';
import { PLATFORM_IDS } from '../config/schema';
import { STATUSES } from '../store/publications';
import { entrySettingsSchema } from '../store/entry-settings';

/** The plugin's string columns are 255 characters wide: a longer value is a 400, not a database error. */
const MAX_STRING = 255;
const str = () => z.string().max(MAX_STRING);

/** A comma list (or repeated parameter) of known values: bounded before it is split, repeats dropped. */
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string().max(1000), z.array(z.string().max(100)).max(values.length * 2)])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length * 2))
    .transform((v) => [...new Set(v)]);

/** Largest id PostgreSQL's integer column holds; only plain decimals (no 1e20, 0x10, 1.0). */
const MAX_ID = 2 ** 31 - 1;
const positiveInt = (max: number) =>
  z.union([
    z.number().int().positive().max(max),
    z
      .string()
      .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive whole number written in decimal digits')
      .transform(Number)
      .pipe(z.number().max(max, `must be at most ${max}`)),
  ]);

/** Far past any real list; keeps the offset (page × pageSize) an exact, small integer. */
const MAX_PAGE = 100000;

export const listQuerySchema = z
  .object({
    status: csv(STATUSES).optional(),
    platform: csv(PLATFORM_IDS).optional(),
    contentType: str().min(1).optional(),
    entryDocumentId: str().min(1).optional(),
    locale: str().optional(),
    q: z.string().max(200).optional(),
    page: positiveInt(MAX_PAGE).default(1),
    pageSize: positiveInt(100).default(25),
    sort: z.enum(['updatedAt:desc', 'updatedAt:asc', 'createdAt:desc', 'createdAt:asc', 'title:asc', 'title:desc']).default('updatedAt:desc'),
  })
  .strict();

export const idParamSchema = z.object({ id: positiveInt(MAX_ID) });

export const confirmBodySchema = z
  .object({
    url: str().url('must be the full URL of the post, e.g. https://medium.com/@you/post-123').optional(),
    remoteId: str().min(1).optional(),
  })
  .strict();

export const entryTargetSchema = z
  .object({
    contentType: z.string().regex(/^(api|plugin)::[\w-]+\.[\w-]+$/, 'must be a content type UID like "api::article.article"'),
    documentId: str().min(1),
    locale: str().optional(),
  })
  .strict();

/** GET /entry-defaults: what a new entry of this type will get (the panel shows it before the first save). */
export const entryDefaultsQuerySchema = entryTargetSchema.pick({ contentType: true }).strict();

/** The Content Manager's list view shows at most 100 rows a page: one request per page, never more ids than that. */
export const MAX_STATUS_IDS = 100;

/** GET /entry-statuses: the list-view status dots of one page of a type (documentIds as a comma list or repeated). */
export const entryStatusesQuerySchema = z
  .object({
    contentType: entryTargetSchema.shape.contentType,
    documentIds: z
      .union([z.string().max(MAX_STATUS_IDS * 65), z.array(z.string().max(64)).max(MAX_STATUS_IDS)])
      .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))])
      .pipe(
        z
          .array(z.string().max(64, 'a documentId is at most 64 characters'))
          .min(1, 'give at least one documentId')
          .max(MAX_STATUS_IDS, `at most ${MAX_STATUS_IDS} documentIds per request (one list-view page)`),
      ),
    locale: str().optional(),
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
  throw badRequest(`Invalid request: ${summary}`, { errors: details });
}
