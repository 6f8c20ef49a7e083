/**
 * The plugin config schema. Validation is synchronous (Strapi does not await config validators) and
 * every error names the key and what is allowed, so a bad value stops startup with a message that
 * says what to fix.
 */
import { z } from 'zod';

export const PLATFORM_IDS = ['devto', 'hashnode', 'medium'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

const httpUrl = (envName: string) =>
  z
    .string({ invalid_type_error: `must be a string URL (${envName})` })
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v), { message: `must be an absolute http(s) URL such as https://example.com (${envName})` })
    .transform((v) => v.replace(/\/+$/, ''));

const booleanLike = (envName: string) =>
  z.union([z.boolean(), z.string()]).transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const s = v.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(s)) return true;
    if (['false', '0', 'no', 'off'].includes(s)) return false;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be true or false (${envName}), got "${v}"` });
    return z.NEVER;
  });

const positiveInt = (max = Number.MAX_SAFE_INTEGER) => z.number().int().min(0).max(max);

const tagsMapping = z.union([
  z.string().min(1).transform((field) => ({ field, format: 'auto' as const, nameField: 'name', separator: ',' })),
  z
    .object({
      field: z.string().min(1),
      format: z.enum(['auto', 'string', 'json', 'relation', 'component']).default('auto'),
      nameField: z.string().min(1).default('name'),
      separator: z.string().min(1).default(','),
    })
    .strict(),
]);

const fieldsSchema = z
  .object({
    title: z.string().min(1).default('title'),
    /** One attribute, or several: the first non-empty one is used (e.g. Blocks body, then a Markdown one). */
    body: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('body'),
    bodyFormat: z.enum(['blocks', 'markdown', 'html']).optional(),
    description: z.string().min(1).optional(),
    tags: tagsMapping.optional(),
    cover: z.string().min(1).optional(),
    slug: z.string().min(1).optional(),
  })
  .strict();

const contentTypeSchema = z
  .object({
    fields: fieldsSchema.default({}),
    canonicalUrl: z
      .string()
      .refine((v) => /^https?:\/\//i.test(v), { message: 'must be an absolute http(s) URL template, e.g. https://blog.example.com/posts/{slug}' })
      .optional(),
    /** Platforms this content type goes to; default: every enabled platform. */
    platforms: z.array(z.enum(PLATFORM_IDS)).optional(),
  })
  .strict();

const rateLimit = z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1) }).strict();

const devtoSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Hosts (a leading "*." for subdomains) whose URLs an editor may confirm as the post, besides the platform's own. */
    postHosts: z.array(z.string().min(1)).default([]),
    apiKey: z.string().min(1).optional(),
    baseUrl: httpUrl('CROSSPOST_DEVTO_BASE_URL'),
    /** false = create as drafts on DEV. */
    published: z.boolean().default(true),
    organizationId: z.number().int().positive().optional(),
    series: z.string().min(1).optional(),
    /** DEV's documented limits (reference: 1 write/s per key, ~10 published creates and ~30 updates per 30 s). */
    limits: z
      .object({
        writes: rateLimit.default({ max: 1, durationMs: 1000 }),
        creates: rateLimit.default({ max: 9, durationMs: 30000 }),
        updates: rateLimit.default({ max: 30, durationMs: 30000 }),
      })
      .strict()
      .default({}),
  })
  .strict();

const hashnodeSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Hosts (a leading "*." for subdomains) whose URLs an editor may confirm as the post, besides the platform's own. */
    postHosts: z.array(z.string().min(1)).default([]),
    token: z.string().min(1).optional(),
    publicationId: z
      .string()
      .regex(/^[0-9a-f]{24}$/i, 'must be the 24-character hex id of the Hashnode publication (CROSSPOST_HASHNODE_PUBLICATION_ID)')
      .optional(),
    baseUrl: httpUrl('CROSSPOST_HASHNODE_BASE_URL'),
    mode: z.enum(['publish', 'draft']).default('publish'),
    /** Hashnode's reads can be ~25 s stale: wait this long before looking for an interrupted create. */
    lookupDelayMs: positiveInt(10 * 60 * 1000).default(30000),
    limits: z.object({ mutations: rateLimit.default({ max: 500, durationMs: 60000 }) }).strict().default({}),
  })
  .strict();

const mediumSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Hosts (a leading "*." for subdomains) whose URLs an editor may confirm as the post, besides the platform's own. */
    postHosts: z.array(z.string().min(1)).default([]),
    token: z.string().min(1).optional(),
    baseUrl: httpUrl('CROSSPOST_MEDIUM_BASE_URL'),
    publicationId: z.string().min(1).optional(),
    publishStatus: z.enum(['public', 'draft', 'unlisted']).default('public'),
    license: z
      .enum(['all-rights-reserved', 'cc-40-by', 'cc-40-by-sa', 'cc-40-by-nd', 'cc-40-by-nc', 'cc-40-by-nc-nd', 'cc-40-by-nc-sa', 'cc-40-zero', 'public-domain'])
      .default('all-rights-reserved'),
    notifyFollowers: z.boolean().default(false),
    limits: z.object({ posts: rateLimit.default({ max: 10, durationMs: 24 * 3600 * 1000 }) }).strict().default({}),
  })
  .strict();

export const configSchema = z
  .object({
    redis: z
      .object({
        url: z.string().refine((v) => /^rediss?:\/\//i.test(v), { message: 'must be a redis:// or rediss:// URL (CROSSPOST_REDIS_URL)' }),
        prefix: z.string().min(1).default('bull'),
        connectTimeoutMs: positiveInt(600000).default(5000),
      })
      .strict(),
    worker: booleanLike('CROSSPOST_WORKER'),
    publicUrl: httpUrl('CROSSPOST_PUBLIC_URL').optional(),
    /** Where the site's pages live, for relative links between articles; default: each canonical template's origin. */
    siteUrl: httpUrl('plugin config siteUrl').optional(),
    contentTypes: z.record(
      z.string().regex(/^(api|plugin)::[\w-]+\.[\w-]+$/, 'content type keys must be UIDs like "api::article.article"'),
      contentTypeSchema,
    ),
    platforms: z.object({ devto: devtoSchema, hashnode: hashnodeSchema, medium: mediumSchema }).strict(),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(5),
        baseDelayMs: positiveInt().default(2000),
        maxDelayMs: positiveInt().default(10 * 60 * 1000),
      })
      .strict()
      .default({}),
    queue: z
      .object({
        concurrency: z.number().int().min(1).max(50).default(1),
        lockDurationMs: z.number().int().min(100).default(30000),
        stalledIntervalMs: z.number().int().min(0).default(30000),
        maxStalledCount: z.number().int().min(0).default(1),
        keepCompleted: positiveInt().default(1000),
        keepFailed: positiveInt().default(5000),
      })
      .strict()
      .default({}),
    http: z.object({ timeoutMs: z.number().int().min(100).default(30000) }).strict().default({}),
    reconciler: z
      .object({
        intervalMs: positiveInt().default(60000),
        /** How far back to look for publishes whose planning was lost (never before the type was watched). */
        lookbackMs: positiveInt().default(24 * 3600 * 1000),
      })
      .strict()
      .default({}),
    /** The admin settings page (Settings → Cross-posting). */
    settings: z
      .object({
        /**
         * false: credentials can only come from the environment or config/plugins; the admin page shows
         * them read-only, refuses new ones, and ignores any stored earlier (locked-down deployments).
         */
        editableCredentials: booleanLike('CROSSPOST_ADMIN_CREDENTIALS').default(true),
        /** How often an idle process checks whether an admin changed the settings (jobs check before they run). */
        refreshMs: z.number({ invalid_type_error: 'must be a number of milliseconds' }).int().min(100, 'must be at least 100 (ms)').max(10 * 60 * 1000, 'must be at most 600000 (10 minutes, in ms)').default(5000),
      })
      .strict()
      .default({}),
    preflight: z
      .object({
        /** HEAD every image (cover and inline) before queueing; problems become warnings. */
        checkImages: z.boolean().default(true),
        imageTimeoutMs: z.number().int().min(100).max(60000).default(3000),
        allowPrivateHosts: z.boolean().default(false),
      })
      .strict()
      .default({}),
    webhooks: z
      .object({
        /** Read-only endpoints declared in code; their secret comes from the config (e.g. env('...')), never the database. */
        endpoints: z
          .array(
            z
              .object({
                name: z.string().min(1).max(100),
                url: httpUrl('webhooks.endpoints[].url'),
                secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]{32,}$/, 'must be a Standard Webhooks secret: "whsec_" followed by base64 of 24-64 random bytes'),
                events: z.array(z.string().regex(/^crosspost\.(\*|[a-z.]+)$/, 'must be "crosspost.*" or an event name such as "crosspost.published"')).min(1).default(['crosspost.*']),
                headers: z.record(z.string()).optional(),
                enabled: z.boolean().default(true),
              })
              .strict(),
          )
          .refine((list) => new Set(list.map((e) => e.name)).size === list.length, { message: 'names must be unique (they identify the endpoint)' })
          .default([]),
        /** Delay before each attempt, counted from the previous one (Standard Webhooks' example schedule, about 3 days). */
        retrySchedule: z
          .array(positiveInt())
          .min(1)
          .default([0, 5000, 5 * 60000, 30 * 60000, 2 * 3600000, 5 * 3600000, 10 * 3600000, 14 * 3600000, 20 * 3600000, 24 * 3600000]),
        /** Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
        jitter: z.number().min(0).max(1).default(0.2),
        /** A Retry-After longer than this is capped. */
        maxRetryAfterMs: positiveInt().default(24 * 3600000),
        timeoutMs: z.number().int().min(100).max(60000).default(15000),
        /** An endpoint with no successful delivery for this long while failing is disabled. */
        disableAfterMs: positiveInt().default(72 * 3600000),
        /** Deliveries older than this are purged. */
        retentionMs: positiveInt().default(30 * 24 * 3600000),
        /** Send to loopback / private / link-local addresses (development only). */
        allowPrivateNetworks: z.boolean().default(false),
        concurrency: z.number().int().min(1).max(50).default(5),
      })
      .strict()
      .default({}),
    metrics: z
      .object({
        enabled: z.boolean().default(false),
        /** Process metrics (CPU, memory, event loop) on the plugin's registry. */
        defaultMetrics: z.boolean().default(true),
        /** Queue and database gauges are recomputed at most this often. */
        cacheMs: positiveInt(600000).default(10000),
        /** Also serve GET /metrics on a separate listener (bind it to loopback). */
        listen: z.object({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65535) }).strict().optional(),
      })
      .strict()
      .default({}),
    health: z
      .object({
        /** Oldest waiting job older than this → degraded. */
        maxQueueAgeSeconds: positiveInt().default(900),
        /** This many failed outcomes in a row on a platform → degraded. */
        failingStreak: z.number().int().min(1).default(5),
      })
      .strict()
      .default({}),
  })
  .strict();

export type CrosspostConfig = z.output<typeof configSchema>;
export type ContentTypeConfig = z.output<typeof contentTypeSchema>;

function describeIssue(issue: z.ZodIssue): string {
  const key = issue.path.join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    return `"${key === '(root)' ? '' : key + '.'}${issue.keys.join('", "')}" is not a known option${key === '(root)' ? '' : ` of "${key}"`}`;
  }
  if (issue.code === 'invalid_enum_value') {
    return `"${key}" must be one of ${issue.options.map((o) => `"${String(o)}"`).join(', ')} (got "${String(issue.received)}")`;
  }
  if (issue.code === 'invalid_type') {
    return `"${key}" must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`} (got ${issue.received})`;
  }
  return `"${key}" ${issue.message}`;
}

/**
 * A union (e.g. tags: "name" | {field, format, ...}) fails as "Invalid input"; report the branch that
 * matches the value's shape instead, since that is the one the user meant.
 */
function flattenIssues(issues: z.ZodIssue[]): z.ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const meant = issue.unionErrors.find((e) => !e.issues.every((i) => i.code === 'invalid_type' && i.path.length === issue.path.length));
    return meant ? flattenIssues(meant.issues) : [issue];
  });
}

/** Parses and normalises the config, or throws one Error listing every problem. */
export function parseConfig(raw: unknown): CrosspostConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = flattenIssues(result.error.issues).map((i) => `  - ${describeIssue(i)}`);
  throw new Error(`Invalid crosspost plugin config (config/plugins, key "crosspost"):\n${lines.join('\n')}`);
}
