/** zod schemas of the publish / bulk / backfill / stats / preview routes: every number, list and string bounded. */
import { z } from 'zod';
import { PLATFORM_IDS } from '../config/schema';
import { STATUSES } from '../store/publications';
import { STATS_WINDOWS } from '../stats/stats';

const MAX_INT = 2 ** 31 - 1;
const MAX_DELAY_MS = 90 * 24 * 3600 * 1000;

/** Decimal digits only: "1e20", "0x10" and " 1" are refused rather than read as numbers. */
const intText = (what: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const s = String(v);
    if (!/^[1-9]\d{0,9}$/.test(s) || Number(s) > MAX_INT) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what} must be a whole number from 1 to ${MAX_INT}` });
      return z.NEVER;
    }
    return Number(s);
  });

const id = z.number().int().min(1).max(MAX_INT);
const str = z.string().max(255);
const uid = z.string().max(255).regex(/^(api|plugin)::[\w-]+\.[\w-]+$/, 'must be a content type UID like "api::article.article"');
const documentId = z.string().min(1).max(255);
const locale = z.string().min(1).max(255);
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string().max(1000), z.array(z.string().max(255)).max(100)])
    .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(values)).max(100));
const platforms = z.array(z.enum(PLATFORM_IDS)).min(1).max(PLATFORM_IDS.length).transform((v) => [...new Set(v)]);
const isoDate = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date, e.g. 2024-01-31 or 2024-01-31T12:00:00Z');

export const idParam = z.object({ id: intText('id') });

export const publishBody = z
  .object({
    contentType: uid,
    documentId,
    locale: locale.optional(),
    platforms: platforms.optional(),
    action: z.enum(['publish', 'unpublish']).default('publish'),
    mode: z.enum(['publish', 'draft']).optional(),
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS, 'must be at most 90 days (in ms)').optional(),
    force: z.boolean().optional(),
  })
  .strict();

export const attemptsQuery = z
  .object({
    page: intText('page').pipe(z.number().max(100000)).optional().default('1'),
    pageSize: intText('pageSize').pipe(z.number().max(100)).optional().default('25'),
  })
  .strict();

export const bulkRetryBody = z
  .object({
    ids: z.array(id).min(1).max(100).optional(),
    filter: z
      .object({
        status: list(STATUSES).optional(),
        platform: list(PLATFORM_IDS).optional(),
        contentType: uid.optional(),
        entryDocumentId: documentId.optional(),
        locale: str.optional(),
        q: z.string().max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => (v.ids ? 1 : 0) + (v.filter ? 1 : 0) === 1, { message: 'give either "ids" (up to 100 publication ids) or "filter", not both' });

export const statsQuery = z.object({ window: z.enum(Object.keys(STATS_WINDOWS) as [keyof typeof STATS_WINDOWS]).default('24h') }).strict();

export const previewQuery = z
  .object({ contentType: uid, documentId, locale: locale.optional(), platform: z.enum(PLATFORM_IDS).optional() })
  .strict();

export const backfillBody = z.object({ contentType: uid, platforms: platforms.optional(), since: isoDate.optional() }).strict();

export const backfillEstimateQuery = z
  .object({ contentType: uid, platforms: list(PLATFORM_IDS).optional(), since: isoDate.optional() })
  .strict();
