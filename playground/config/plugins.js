const path = require('path');

/** "max/durationMs" (e.g. "1/100") → { max, durationMs }; undefined when the variable is not set. */
const rateLimit = (env, name) => {
  const raw = env(name);
  if (raw === undefined || raw === '') return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(raw));
  if (!m) throw new Error(`${name} must be "max/durationMs", e.g. "1/100" (got "${raw}")`);
  return { max: Number(m[1]), durationMs: Number(m[2]) };
};

/** DEV's client-side limits, only those set (the benchmarks compress them in time). */
const devtoLimits = (env) =>
  Object.fromEntries(
    [
      ['writes', rateLimit(env, 'CROSSPOST_DEVTO_LIMIT_WRITES')],
      ['creates', rateLimit(env, 'CROSSPOST_DEVTO_LIMIT_CREATES')],
      ['updates', rateLimit(env, 'CROSSPOST_DEVTO_LIMIT_UPDATES')],
    ].filter(([, v]) => v),
  );

/**
 * The plugin is loaded from this repository (`resolve` = the plugin's folder, which holds package.json).
 * Credentials and base URLs come from the CROSSPOST_* environment variables; `npm run demo` points them
 * at the local platform simulators unless real credentials are set in playground/.env.
 */
module.exports = ({ env }) => ({
  crosspost: {
    // CROSSPOST_ENABLED=false turns the plugin off (the benchmarks compare publish latency with and without it).
    enabled: env.bool('CROSSPOST_ENABLED', true),
    // CROSSPOST_PLUGIN_DIR: load the plugin from another folder (the tests load a copy that has its own
    // node_modules, as a `file:` install or a monorepo does).
    resolve: env('CROSSPOST_PLUGIN_DIR', path.resolve(__dirname, '..', '..')),
    config: {
      contentTypes: {
        'api::article.article': {
          fields: {
            title: 'title',
            // Blocks body first; the Markdown one is used when the Blocks body is empty.
            body: ['body', 'bodyMarkdown'],
            description: 'description',
            tags: { field: 'tags', format: 'relation', nameField: 'name' },
            cover: 'cover',
            slug: 'slug',
          },
          canonicalUrl: env('CROSSPOST_CANONICAL_URL', 'https://blog.example.com/posts/{slug}'),
        },
        // No Draft & Publish: every save is live. HTML body, tags as "a, b, c"; the slug comes from the headline.
        'api::note.note': {
          fields: { title: 'headline', body: 'html', bodyFormat: 'html', tags: 'keywords' },
          canonicalUrl: 'https://blog.example.com/notes/{slug}',
        },
        // Localized (i18n): every locale of a guide is its own row and post.
        'api::guide.guide': {
          fields: { title: 'title', body: 'body' },
          canonicalUrl: 'https://blog.example.com/{locale}/guides/{documentId}',
        },
      },
      queue: {
        ...(env('CROSSPOST_CONCURRENCY') ? { concurrency: env.int('CROSSPOST_CONCURRENCY') } : {}),
        lockDurationMs: env.int('CROSSPOST_LOCK_MS', 30000),
        stalledIntervalMs: env.int('CROSSPOST_STALLED_MS', 30000),
      },
      retry: {
        maxAttempts: env.int('CROSSPOST_RETRY_ATTEMPTS', 5),
        baseDelayMs: env.int('CROSSPOST_RETRY_BASE_MS', 2000),
        maxDelayMs: env.int('CROSSPOST_RETRY_MAX_MS', 600000),
      },
      redis: { prefix: env('CROSSPOST_QUEUE_PREFIX', 'bull') },
      reconciler: { intervalMs: env.int('CROSSPOST_RECONCILE_MS', 60000) },
      http: { timeoutMs: env.int('CROSSPOST_HTTP_TIMEOUT_MS', 30000) },
      preflight: {
        checkImages: env.bool('CROSSPOST_PREFLIGHT_IMAGES', true),
        allowPrivateHosts: env.bool('CROSSPOST_PREFLIGHT_ALLOW_PRIVATE', false),
      },
      // The browser tests send webhooks to a receiver on 127.0.0.1 (refused by default; development only).
      webhooks: { allowPrivateNetworks: env.bool('CROSSPOST_WEBHOOKS_ALLOW_PRIVATE', false) },
      // Draft modes (tests and demos switch them by environment; credentials come from the plugin defaults).
      platforms: {
        ...(Object.keys(devtoLimits(env)).length ? { devto: { limits: devtoLimits(env) } } : {}),
        hashnode: {
          mode: env('CROSSPOST_HASHNODE_MODE', 'publish'),
          lookupDelayMs: env.int('CROSSPOST_HASHNODE_LOOKUP_DELAY_MS', 30000),
        },
        medium: {
          publishStatus: env('CROSSPOST_MEDIUM_PUBLISH_STATUS', 'public'),
          ...(rateLimit(env, 'CROSSPOST_MEDIUM_LIMIT_POSTS') ? { limits: { posts: rateLimit(env, 'CROSSPOST_MEDIUM_LIMIT_POSTS') } } : {}),
        },
      },
    },
  },
});
