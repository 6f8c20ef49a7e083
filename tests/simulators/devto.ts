/**
 * DEV (dev.to, Forem API v1) simulator. Behaviour follows shared/reference/platform-apis.md §1 and the
 * checklist in §4: edge (plain-text) 429s before the app's JSON 429s, front matter applied before
 * validation, Rails-style `to_sentence` 422s, draft slugs regenerated on publish, `/me/*` ordering.
 *
 * When the platforms' published specs are present (sharedSpecsDir()), create/update bodies are also
 * validated against the request schema in Forem's OpenAPI document, read at runtime, never copied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { specCheckSkipped, SimulatorServer, sharedSpecsDir, type RecordedRequest, type SimulatorResponse } from './base';

export const DEVTO_V1_ACCEPT = 'application/vnd.forem.api-v1+json';
/** Sent by the v0 controllers, which answer when the v1 Accept header is missing. */
export const DEVTO_V0_WARNING =
  '299 - This endpoint will require the `api-key` header and the `Accept` header to be set to `application/vnd.forem.api-v1+json` in future.';
export const DEVTO_DEFAULT_KEY = 'devto-test-key';

export interface DevtoUser {
  id: number;
  username: string;
  name: string;
}

/**
 * Rate limits. Each "perWindow" value is Forem's setting, and the comparison is Forem's: a request fails
 * when the count is ABOVE the setting. Edge counters include the current request (Rack::Attack), app
 * counters count earlier events (RateLimitChecker).
 */
export interface DevtoLimits {
  /** Rack::Attack: POST/PUT/DELETE under /api per IP+api-key, epoch-aligned fixed window. */
  writesPerWindow: number;
  writeWindowMs: number;
  /** Rack::Attack: GETs under /api per IP. */
  readsPerWindow: number;
  readWindowMs: number;
  /** Create fails when the user has more than this many PUBLISHED articles created in the window. */
  createsPerWindow: number;
  createWindowMs: number;
  /** Update fails when more than this many successful updates happened in the window (TTL counter). */
  updatesPerWindow: number;
  updateWindowMs: number;
  /** Users count as new accounts (< 3 days old): the antispam create limit applies instead. */
  newAccount?: boolean;
  newAccountCreatesPerWindow: number;
  newAccountCreateWindowMs: number;
}

export const DEVTO_DEFAULT_LIMITS: Readonly<DevtoLimits> = Object.freeze({
  writesPerWindow: 1,
  writeWindowMs: 1000,
  readsPerWindow: 3,
  readWindowMs: 1000,
  createsPerWindow: 9,
  createWindowMs: 30_000,
  updatesPerWindow: 30,
  updateWindowMs: 30_000,
  newAccount: false,
  newAccountCreatesPerWindow: 1,
  newAccountCreateWindowMs: 300_000,
});

/** A stored article (simulator state, not the wire shape). Times are epoch ms. */
export interface DevtoArticle {
  id: number;
  userId: number;
  title: string;
  description: string;
  bodyMarkdown: string;
  published: boolean;
  publishedAt: number | null;
  createdAt: number;
  editedAt: number | null;
  slug: string;
  tags: string[];
  canonicalUrl: string | null;
  mainImage: string | null;
  /** Set forever once front matter carried `cover_image` (Forem's main_image_from_frontmatter). */
  mainImageFromFrontMatter: boolean;
  series: string | null;
  collectionId: number | null;
}

export interface DevtoSimulatorOptions {
  /** api-key → user. Default: one key, `devto-test-key`. */
  apiKeys?: Record<string, DevtoUser>;
  /** Partial overrides of DEV's defaults, or false to disable every limit. */
  limits?: Partial<DevtoLimits> | false;
  /** Public site base used for `url` and `Location`. Default https://dev.to. */
  publicBase?: string;
  /** Contact in the canonical-url-taken message. */
  contactEmail?: string;
  /** Clock (epoch ms); inject one to test time windows deterministically. */
  now?: () => number;
  /** Validate bodies against the OpenAPI request schema when the specs folder exists. Default true. */
  validateSpec?: boolean;
  firstId?: number;
  /** Where DEV's exact rule is undocumented, the simulator takes the strict side by default; relax here. */
  strictness?: Partial<DevtoStrictness>;
}

/**
 * Choices for behaviour the references do not pin down. Defaults are the strict (safe) side, so a connector
 * that passes the simulator passes DEV whichever way DEV really decides.
 */
export interface DevtoStrictness {
  /** Refuse tags with letters outside ASCII ("café", "日本語"): DEV speaks of "prohibited unicode characters". */
  asciiTagsOnly: boolean;
  /** Refuse canonical URLs whose host has no dot (`http://intranet/x`), not only localhost. */
  canonicalNeedsDot: boolean;
  /** Count every @mention, not distinct users, against the limit of 7. */
  countEveryMention: boolean;
  /** How long a title stays taken ("in the last five minutes"); shorten it in tests. */
  titleReuseMs: number;
}

export const DEVTO_DEFAULT_STRICTNESS: Readonly<DevtoStrictness> = Object.freeze({
  asciiTagsOnly: true,
  canonicalNeedsDot: true,
  countEveryMention: true,
  titleReuseMs: 5 * 60_000,
});

export interface SpecValidationStatus {
  active: boolean;
  /** Why validation is off, when it is. */
  reason?: string;
}

export interface DevtoSimulator {
  readonly server: SimulatorServer;
  readonly articles: DevtoArticle[];
  apiKeys: Record<string, DevtoUser>;
  /** Current limits; null = all limits off. Mutable at runtime. */
  limits: DevtoLimits | null;
  now: () => number;
  /** Non-fatal client mistakes the real API silently tolerates (e.g. `tags` sent as a string). */
  readonly warnings: string[];
  /** Bodies rejected because they do not match the OpenAPI request schema. */
  readonly specViolations: Array<{ method: string; path: string; errors: string[] }>;
  readonly specValidation: SpecValidationStatus;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  /** Base URL without `/api`. */
  readonly url: string;
  /** `${url}/api`. */
  readonly apiUrl: string;
  /** Merge partial limits over DEV's defaults; null disables all limits. */
  setLimits(limits: Partial<DevtoLimits> | null): void;
  /** Requests that lacked the v1 Accept header (answered by "v0", with a Warning header). */
  requestsWithoutV1Accept(): RecordedRequest[];
  reset(): void;
}

const TITLE_MAX = 128;
const TAG_MAX = 30;
const TAGS_MAX = 4;
const BODY_MAX_BYTES = 800 * 1024;
const MENTIONS_MAX = 7;
const PER_PAGE_DEFAULT = 30;
const PER_PAGE_MAX = 1000;
/** Forem's column default for last_comment_at, shown for drafts. */
const LAST_COMMENT_DEFAULT = '2017-01-01T05:00:00Z';

type Json = Record<string, unknown>;
type Attrs = Partial<{
  title: string;
  bodyMarkdown: string;
  published: boolean;
  publishedAt: number | null;
  description: string | null;
  mainImage: string | null;
  canonicalUrl: string | null;
  series: string | null;
  tags: string[];
}>;

export function createDevtoSimulator(options: DevtoSimulatorOptions = {}): DevtoSimulator {
  const publicBase = (options.publicBase ?? 'https://dev.to').replace(/\/+$/, '');
  const contact = options.contactEmail ?? 'yo@dev.to';
  const firstId = options.firstId ?? 1_000_001;
  const spec = options.validateSpec === false ? off('disabled by option') : loadSpecValidator();
  if (!spec.active && options.validateSpec !== false) specCheckSkipped('DEV request validation against the Forem OpenAPI spec', spec.reason ?? 'unknown');
  const strict: DevtoStrictness = { ...DEVTO_DEFAULT_STRICTNESS, ...options.strictness };

  const articles: DevtoArticle[] = [];
  const warnings: string[] = [];
  const specViolations: DevtoSimulator['specViolations'] = [];
  /** Rack::Attack counters: key → {window start, count}. */
  const edge = new Map<string, { start: number; count: number }>();
  /** Update counters per user (Rails.cache increment with a TTL set by the first write). */
  const updates = new Map<number, { expires: number; count: number }>();
  /** Series ("collections") per user+name. */
  const collections = new Map<string, number>();
  let nextId = firstId;
  let slugSeq = 0;

  const server = new SimulatorServer(async ({ req, record }) => {
    const res = route(record, req.socket.remoteAddress ?? '127.0.0.1');
    // Without the v1 Accept header the v0 controllers answer: same result plus a deprecation warning.
    if (record.path.startsWith('/api/') && !acceptsV1(record)) res.headers = { ...res.headers, warning: DEVTO_V0_WARNING };
    return res;
  });

  const sim: DevtoSimulator = {
    server,
    articles,
    apiKeys: options.apiKeys ?? { [DEVTO_DEFAULT_KEY]: { id: 1, username: 'crosspost_tester', name: 'Crosspost Tester' } },
    limits: options.limits === false ? null : { ...DEVTO_DEFAULT_LIMITS, ...(options.limits ?? {}) },
    now: options.now ?? Date.now,
    warnings,
    specViolations,
    specValidation: { active: spec.active, reason: spec.reason },
    listen: (port?: number) => server.listen(port),
    close: () => server.close(),
    get url() {
      return server.url;
    },
    get apiUrl() {
      return `${server.url}/api`;
    },
    setLimits(limits) {
      sim.limits = limits === null ? null : { ...DEVTO_DEFAULT_LIMITS, ...limits };
    },
    requestsWithoutV1Accept: () => server.requests.filter((r) => r.path.startsWith('/api/') && !acceptsV1(r)),
    reset() {
      articles.length = 0;
      warnings.length = 0;
      specViolations.length = 0;
      server.requests.length = 0;
      server.clearFaults();
      edge.clear();
      updates.clear();
      collections.clear();
      nextId = firstId;
      slugSeq = 0;
    },
  };

  // ---------------------------------------------------------------- routing

  function route(r: RecordedRequest, ip: string): SimulatorResponse {
    if (!r.path.startsWith('/api/')) return notFound();
    const throttled = edgeThrottle(r, ip);
    if (throttled) return throttled;

    const parts = r.path.replace(/\/+$/, '').split('/').slice(2); // ['articles', ...]
    if (r.method === 'GET' && parts[0] === 'users' && parts[1] === 'me' && parts.length === 2) return usersMe(r, authenticate(r));
    if (parts[0] !== 'articles') return notFound();
    const [, a, b, c] = parts;
    if (r.method === 'POST' && a === undefined) return create(r);
    if (r.method === 'GET' && a === 'me' && c === undefined) return listMine(r, b ?? 'published');
    if (r.method === 'GET' && a !== undefined && b === undefined) return showById(a);
    if (r.method === 'GET' && a !== undefined && b !== undefined && c === undefined) return showBySlug(a, b);
    if (r.method === 'PUT' && a !== undefined && b === 'unpublish' && c === undefined) {
      // Admin/moderator only; the simulator has no admin keys, so Pundit denies (401).
      return unauthorized();
    }
    if (r.method === 'PUT' && a !== undefined && b === undefined) return update(r, a);
    return notFound();
  }

  function acceptsV1(r: RecordedRequest): boolean {
    return String(r.headers.accept ?? '').includes(DEVTO_V1_ACCEPT);
  }

  function authenticate(r: RecordedRequest): DevtoUser | undefined {
    const key = r.headers['api-key'];
    return typeof key === 'string' ? sim.apiKeys[key] : undefined;
  }

  // ---------------------------------------------------------------- rate limits

  /** Rack::Attack: runs before the app (before auth) and counts every request, throttled ones too. */
  function edgeThrottle(r: RecordedRequest, ip: string): SimulatorResponse | undefined {
    const limits = sim.limits;
    if (!limits) return undefined;
    const write = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method);
    if (!write && r.method !== 'GET') return undefined;
    const max = write ? limits.writesPerWindow : limits.readsPerWindow;
    const windowMs = write ? limits.writeWindowMs : limits.readWindowMs;
    const key = write ? `w:${ip}:${String(r.headers['api-key'] ?? '')}` : `r:${ip}`;
    const now = sim.now();
    const start = Math.floor(now / windowMs) * windowMs;
    const counter = edge.get(key);
    const entry = counter && counter.start === start ? counter : { start, count: 0 };
    entry.count += 1;
    edge.set(key, entry);
    if (entry.count <= max) return undefined;
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(retryAfter) }, body: 'Retry later\n' };
  }

  /** RateLimitChecker for creates: counts the user's published articles created inside the window. */
  function createLimit(user: DevtoUser): SimulatorResponse | undefined {
    const limits = sim.limits;
    if (!limits) return undefined;
    const max = limits.newAccount ? limits.newAccountCreatesPerWindow : limits.createsPerWindow;
    const windowMs = limits.newAccount ? limits.newAccountCreateWindowMs : limits.createWindowMs;
    const now = sim.now();
    const recent = articles.filter((a) => a.userId === user.id && isLive(a, now) && a.createdAt > now - windowMs).length;
    return recent > max ? appRateLimited(windowMs) : undefined;
  }

  function updateLimit(user: DevtoUser): SimulatorResponse | undefined {
    const limits = sim.limits;
    if (!limits) return undefined;
    const counter = updates.get(user.id);
    const count = counter && counter.expires > sim.now() ? counter.count : 0;
    return count > limits.updatesPerWindow ? appRateLimited(limits.updateWindowMs) : undefined;
  }

  function trackUpdate(user: DevtoUser): void {
    if (!sim.limits) return;
    const now = sim.now();
    const counter = updates.get(user.id);
    if (counter && counter.expires > now) counter.count += 1;
    else updates.set(user.id, { expires: now + sim.limits.updateWindowMs, count: 1 });
  }

  // ---------------------------------------------------------------- handlers

  function create(r: RecordedRequest): SimulatorResponse {
    const user = authenticate(r);
    if (!user) return unauthorized();
    const param = articleParam(r);
    if ('response' in param) return param.response;
    const invalid = checkSpec(r);
    if (invalid) return invalid;
    const limited = createLimit(user);
    if (limited) return limited;

    const now = sim.now();
    const draft: DevtoArticle = {
      id: 0,
      userId: user.id,
      title: '',
      description: '',
      bodyMarkdown: '',
      published: false,
      publishedAt: null,
      createdAt: now,
      editedAt: null,
      slug: '',
      tags: [],
      canonicalUrl: null,
      mainImage: null,
      mainImageFromFrontMatter: false,
      series: null,
      collectionId: null,
    };
    const attrs = permittedAttrs(param.article);
    const candidate = applyAll(draft, attrs);
    const errors = validate(candidate, user, null);
    if (errors.length) return unprocessable(errors);

    candidate.id = nextId++;
    finalize(candidate, user, null);
    articles.push(candidate);
    const body = showBody(candidate, user);
    return { status: 201, headers: { location: String(body.url) }, body };
  }

  function update(r: RecordedRequest, idText: string): SimulatorResponse {
    const user = authenticate(r);
    if (!user) return unauthorized();
    const param = articleParam(r);
    if ('response' in param) return param.response;
    const invalid = checkSpec(r);
    if (invalid) return invalid;
    const existing = findById(idText);
    // Someone else's article is indistinguishable from a missing one.
    if (!existing || existing.userId !== user.id) return notFound();
    const limited = updateLimit(user);
    if (limited) return limited;

    const attrs = permittedAttrs(param.article);
    const candidate = applyAll({ ...existing, tags: [...existing.tags] }, attrs);
    const errors = validate(candidate, user, existing);
    if (errors.length) return unprocessable(errors);

    finalize(candidate, user, existing);
    Object.assign(existing, candidate);
    trackUpdate(user);
    return { status: 200, body: showBody(existing, user) };
  }

  function showById(idText: string): SimulatorResponse {
    const article = findById(idText);
    if (!article || !isLive(article, sim.now())) return notFound();
    return { status: 200, body: showBody(article, ownerOf(article)) };
  }

  function showBySlug(username: string, slug: string): SimulatorResponse {
    const article = articles.find((a) => a.slug === slug && ownerOf(a).username === username);
    if (!article || !isLive(article, sim.now())) return notFound();
    return { status: 200, body: showBody(article, ownerOf(article)) };
  }

  function listMine(r: RecordedRequest, scope: string): SimulatorResponse {
    const user = authenticate(r);
    if (!user) return unauthorized();
    const now = sim.now();
    const filters: Record<string, (a: DevtoArticle) => boolean> = {
      all: () => true,
      published: (a) => isLive(a, now),
      unpublished: (a) => !a.published,
    };
    const filter = filters[scope];
    if (!filter) return notFound();
    const mine = articles.filter((a) => a.userId === user.id && filter(a)).sort(meOrder);
    const page = Math.max(1, parseInt(r.query.page ?? '1', 10) || 1);
    const perPageRaw = parseInt(r.query.per_page ?? '', 10);
    const perPage = Math.min(PER_PAGE_MAX, Math.max(1, Number.isNaN(perPageRaw) ? PER_PAGE_DEFAULT : perPageRaw));
    const items = mine.slice((page - 1) * perPage, page * perPage).map((a) => meItem(a, user));
    return { status: 200, body: items };
  }

  // ---------------------------------------------------------------- request parsing

  /** `{"article":{…}}` is required; Forem names the Ruby class of whatever came instead. */
  function articleParam(r: RecordedRequest): { article: Json } | { response: SimulatorResponse } {
    // Rails only parses JSON bodies declared as JSON; otherwise params[:article] is nil.
    const isJson = String(r.headers['content-type'] ?? '').includes('json');
    if (isJson && r.rawBody.trim() && r.body === undefined) {
      // Rails' params parser rejects malformed JSON with a 400 (exact body UNVERIFIED).
      return { response: { status: 400, body: { error: 'Bad Request', status: 400 } } };
    }
    const value = isJson && r.body && typeof r.body === 'object' && !Array.isArray(r.body) ? (r.body as Json).article : undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) return { article: value as Json };
    const message = `article param must be a JSON object. You provided article as a ${rubyClass(value)}`;
    return { response: { status: 422, body: { error: message, status: 422 } } };
  }

  function checkSpec(r: RecordedRequest): SimulatorResponse | undefined {
    if (!spec.active) return undefined;
    const errors = spec.validate(r.method === 'POST' ? 'create' : 'update', r.body);
    if (!errors.length) return undefined;
    specViolations.push({ method: r.method, path: r.path, errors });
    const error = `simulator: request body does not match the Forem OpenAPI request schema: ${errors.join('; ')}`;
    return { status: 422, body: { error, status: 422 } };
  }

  /** Strong params: only the permitted keys, with `tags` permitted as an array only. */
  function permittedAttrs(article: Json): Attrs {
    const attrs: Attrs = {};
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    if ('title' in article) attrs.title = str(article.title) ?? '';
    if ('body_markdown' in article) attrs.bodyMarkdown = str(article.body_markdown) ?? '';
    if ('published' in article) attrs.published = article.published === true || article.published === 'true';
    if ('published_at' in article) attrs.publishedAt = parseTime(article.published_at);
    if ('description' in article) attrs.description = str(article.description);
    if ('main_image' in article) attrs.mainImage = str(article.main_image);
    if ('canonical_url' in article) attrs.canonicalUrl = str(article.canonical_url);
    if ('series' in article) attrs.series = str(article.series);
    if (Array.isArray(article.tags)) attrs.tags = parseTags(article.tags.map(String).join(', '));
    else if (typeof article.tags === 'string') {
      // The OpenAPI spec says string, but strong params only permit `tags: []`: a string is dropped.
      warnings.push(`tags sent as a string (${JSON.stringify(article.tags)}) are dropped by DEV; send an array`);
    }
    // organization_id is dropped: simulated users belong to no organization.
    return attrs;
  }

  /** JSON attributes first, then front matter (before_validation evaluate_markdown). */
  function applyAll(article: DevtoArticle, attrs: Attrs): DevtoArticle {
    const a = { ...article, ...definedOnly(attrs) };
    if (attrs.description !== undefined) a.description = attrs.description ?? '';
    if (attrs.canonicalUrl !== undefined) a.canonicalUrl = attrs.canonicalUrl || null;
    if (attrs.mainImage !== undefined) a.mainImage = attrs.mainImage || null;
    if (attrs.series !== undefined) a.series = attrs.series || null;
    applyFrontMatter(a, parseFrontMatter(a.bodyMarkdown) ?? {});
    a.title = normalizeTitle(a.title);
    return a;
  }

  /** Forem's evaluate_front_matter; it runs even without front matter (the cover flag depends on it). */
  function applyFrontMatter(a: DevtoArticle, fm: Record<string, unknown>): void {
    const present = (k: string) => fm[k] !== undefined && fm[k] !== null && fm[k] !== '' && !(Array.isArray(fm[k]) && !(fm[k] as unknown[]).length);
    if (present('title')) a.title = String(fm.title);
    if (present('tags')) a.tags = parseTags(Array.isArray(fm.tags) ? fm.tags.map(String).join(', ') : String(fm.tags));
    if (['true', 'false'].includes(String(fm.published))) a.published = String(fm.published) === 'true';
    if (a.published && present('published_at')) a.publishedAt = parseTime(fm.published_at);
    else if (a.published && present('date') && a.publishedAt === null) a.publishedAt = parseTime(fm.date);
    if ('cover_image' in fm) {
      a.mainImage = fm.cover_image ? String(fm.cover_image) : null;
      a.mainImageFromFrontMatter = true;
    } else if (a.mainImageFromFrontMatter) {
      a.mainImage = null;
    }
    if (present('canonical_url')) a.canonicalUrl = String(fm.canonical_url);
    if (present('description') || present('title')) a.description = present('description') ? String(fm.description) : '';
    if (present('title')) a.series = null;
    if (present('series')) a.series = String(fm.series);
  }

  // ---------------------------------------------------------------- validation

  /** Error messages in the model's declaration order; verbatim from the reference §1.4. */
  function validate(a: DevtoArticle, user: DevtoUser, before: DevtoArticle | null): string[] {
    const now = sim.now();
    const errors: string[] = [];
    if (Buffer.byteLength(a.bodyMarkdown, 'utf8') > BODY_MAX_BYTES) errors.push('Body markdown is too long.');
    if (a.published && a.canonicalUrl && articles.some((o) => o.id !== a.id && o.published && o.canonicalUrl === a.canonicalUrl)) {
      errors.push(`Canonical url has already been taken. Email ${contact} for further details.`);
    }
    if (a.canonicalUrl && !/\s/.test(a.canonicalUrl) && !isPublicHttpUrl(a.canonicalUrl, strict.canonicalNeedsDot)) {
      errors.push('Canonical url is not a valid URL'); // exact wording UNVERIFIED
    }
    if (!a.title) errors.push("Title can't be blank");
    else if ([...a.title].length > TITLE_MAX) errors.push(`Title is too long (maximum is ${TITLE_MAX} characters for full_post)`);
    if (a.canonicalUrl && /\s/.test(a.canonicalUrl)) errors.push('Canonical url must not have spaces');
    errors.push(...tagErrors(a.tags));
    if (!before && a.published && a.publishedAt !== null && a.publishedAt < now - 15 * 60_000) {
      errors.push('Published at only future or current published_at allowed');
    }
    if (before && before.published && before.publishedAt !== null && before.publishedAt <= now && a.publishedAt !== null && Math.abs(a.publishedAt - before.publishedAt) > 60_000) {
      errors.push('Published at updating published_at for articles that have already been published is not allowed');
    }
    if (!before && a.title && articles.some((o) => o.userId === user.id && o.title === a.title && o.createdAt > now - strict.titleReuseMs)) {
      errors.push('Title has already been used in the last five minutes');
    }
    // main_image must be an http(s) URL (exact message UNVERIFIED).
    if (a.mainImage && (/\s/.test(a.mainImage) || !isPublicHttpUrl(a.mainImage, false))) errors.push('Main image is not a valid URL');
    if (mentionCount(a.bodyMarkdown, strict.countEveryMention) > MENTIONS_MAX) errors.push(`You cannot mention more than ${MENTIONS_MAX} users in a post!`);
    return errors;
  }

  function tagErrors(tags: string[]): string[] {
    if (tags.length > TAGS_MAX) return [`Tag list exceed the maximum of ${TAGS_MAX} tags`];
    const errors: string[] = [];
    for (const tag of tags) {
      if ([...tag].length > TAG_MAX) errors.push(`Tag "${tag}" is too long (maximum is ${TAG_MAX} characters)`);
      if (!(strict.asciiTagsOnly ? /^[a-z0-9]+$/i : /^[\p{Alphabetic}\p{Nd}]+$/u).test(tag)) errors.push(`Tag "${tag}" contains non-alphanumeric or prohibited unicode characters`);
    }
    return errors;
  }

  // ---------------------------------------------------------------- persistence details

  /** before_save callbacks: publish date, slug, description, series, edited_at. */
  function finalize(a: DevtoArticle, user: DevtoUser, before: DevtoArticle | null): void {
    const now = sim.now();
    if (a.published && a.publishedAt === null) a.publishedAt = now;
    if (!a.published && !a.slug) a.slug = `${titleSlug(a.title)}-temp-slug-${randomish(10_000_000)}`;
    if (a.published && (!a.slug || a.slug.includes('-temp-slug-'))) a.slug = titleSlug(a.title);
    if (!a.description.trim()) a.description = derivedDescription(a.bodyMarkdown, user);
    a.collectionId = a.series ? collectionId(user, a.series) : null;
    const wasLive = before !== null && isLive(before, now);
    if (wasLive && (before.bodyMarkdown !== a.bodyMarkdown || before.title !== a.title)) a.editedAt = now;
  }

  function collectionId(user: DevtoUser, series: string): number {
    const key = `${user.id}\u0000${series}`;
    if (!collections.has(key)) collections.set(key, 30_000 + collections.size + 1);
    return collections.get(key)!;
  }

  function titleSlug(title: string): string {
    return `${sluggerize(title)}-${randomish(100_000).toString(26)}`;
  }

  /** Deterministic stand-in for Ruby's rand(n), so runs are reproducible. */
  function randomish(n: number): number {
    slugSeq += 1;
    return (slugSeq * 7919 + 104_729) % n;
  }

  function findById(idText: string): DevtoArticle | undefined {
    if (!/^\d+$/.test(idText)) return undefined;
    return articles.find((a) => a.id === Number(idText));
  }

  function ownerOf(a: DevtoArticle): DevtoUser {
    return Object.values(sim.apiKeys).find((u) => u.id === a.userId) ?? { id: a.userId, username: `user${a.userId}`, name: `User ${a.userId}` };
  }

  // ---------------------------------------------------------------- views (field names per §1.6)

  function links(a: DevtoArticle, user: DevtoUser) {
    const articlePath = `/${user.username}/${a.slug}`;
    return { path: articlePath, url: `${publicBase}${articlePath}` };
  }

  function coverImage(a: DevtoArticle): string | null {
    // DEV's optimizer rewrites the cover; clients must not expect their input back.
    return a.mainImage ? `https://media2.dev.to/dynamic/image/width=1000,height=420,fit=cover,gravity=auto,format=auto/${encodeURIComponent(a.mainImage)}` : null;
  }

  function userBody(user: DevtoUser): Json {
    const avatar = `https://media2.dev.to/dynamic/image/width=640,height=640,fit=cover,gravity=auto,format=auto/uploads/user/profile_image/${user.id}/avatar.png`;
    return {
      name: user.name,
      username: user.username,
      twitter_username: null,
      github_username: null,
      user_id: user.id,
      website_url: null,
      profile_image: avatar,
      profile_image_90: avatar.replace('width=640,height=640', 'width=90,height=90'),
    };
  }

  function showBody(a: DevtoArticle, user: DevtoUser): Json {
    const { path: articlePath, url } = links(a, user);
    const published = a.publishedAt === null ? null : iso(a.publishedAt);
    return {
      type_of: 'article',
      id: a.id,
      title: a.title,
      description: a.description,
      readable_publish_date: a.publishedAt === null ? null : readableDate(a.publishedAt, sim.now()),
      slug: a.slug,
      path: articlePath,
      url,
      comments_count: 0,
      public_reactions_count: 0,
      collection_id: a.collectionId,
      published_timestamp: published ?? '',
      positive_reactions_count: 0,
      cover_image: coverImage(a),
      social_image: coverImage(a)?.replace('height=420', 'height=500') ?? `${publicBase}/social_previews/article/${a.id}.png`,
      canonical_url: a.canonicalUrl ?? url,
      created_at: iso(a.createdAt),
      edited_at: a.editedAt === null ? null : iso(a.editedAt),
      crossposted_at: null,
      published_at: published,
      last_comment_at: published ?? LAST_COMMENT_DEFAULT,
      reading_time_minutes: readingTime(a.bodyMarkdown),
      tag_list: a.tags.join(', '),
      tags: [...a.tags],
      body_html: renderHtml(a.bodyMarkdown),
      body_markdown: a.bodyMarkdown,
      user: userBody(user),
    };
  }

  function meItem(a: DevtoArticle, user: DevtoUser): Json {
    const { path: articlePath, url } = links(a, user);
    const published = a.publishedAt === null ? null : iso(a.publishedAt);
    return {
      type_of: 'article',
      id: a.id,
      title: a.title,
      description: a.description,
      published: a.published,
      published_at: published,
      slug: a.slug,
      path: articlePath,
      url,
      comments_count: 0,
      public_reactions_count: 0,
      page_views_count: 0,
      published_timestamp: published ?? '',
      body_markdown: a.bodyMarkdown,
      positive_reactions_count: 0,
      cover_image: coverImage(a),
      tag_list: [...a.tags],
      canonical_url: a.canonicalUrl ?? url,
      reading_time_minutes: readingTime(a.bodyMarkdown),
      user: userBody(user),
    };
  }

  return sim;
}

// ------------------------------------------------------------------ pure helpers

function notFound(): SimulatorResponse {
  return { status: 404, body: { error: 'not found', status: 404 } };
}

function unauthorized(): SimulatorResponse {
  return { status: 401, headers: { 'cache-control': 'no-store' }, body: { error: 'unauthorized', status: 401 } };
}

function unprocessable(errors: string[]): SimulatorResponse {
  return { status: 422, body: { error: toSentence(errors), status: 422 } };
}

function appRateLimited(windowMs: number): SimulatorResponse {
  const seconds = Math.ceil(windowMs / 1000);
  return { status: 429, headers: { 'retry-after': String(seconds) }, body: { error: `Rate limit reached, try again in ${seconds} seconds`, status: 429 } };
}

/** Rails' Array#to_sentence: "A", "A and B", "A, B and C". */
export function toSentence(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `published` scope: published=true AND published_at <= now (scheduled articles are not live). */
function isLive(a: DevtoArticle, now: number): boolean {
  return a.published && a.publishedAt !== null && a.publishedAt <= now;
}

/** ORDER BY published_at DESC, created_at DESC (Postgres puts NULLs first); id breaks exact ties. */
function meOrder(x: DevtoArticle, y: DevtoArticle): number {
  if (x.publishedAt !== y.publishedAt) {
    if (x.publishedAt === null) return -1;
    if (y.publishedAt === null) return 1;
    return y.publishedAt - x.publishedAt;
  }
  return y.createdAt - x.createdAt || y.id - x.id;
}

function definedOnly(attrs: Attrs): Partial<DevtoArticle> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) out[k] = v;
  return out as Partial<DevtoArticle>;
}

/** ActsAsTaggableOn: comma-separated, trimmed, lower-cased (Forem), duplicates removed. */
function parseTags(list: string): string[] {
  const tags = list.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  return [...new Set(tags)];
}

/** Whitespace runs collapse; control, zero-width and bidi-override characters are stripped. */
function normalizeTitle(title: string): string {
  return title.replace(/[\u0000-\u0008\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
}

function isPublicHttpUrl(value: string, needsDot: boolean): boolean {
  try {
    const u = new URL(value);
    const host = u.hostname.toLowerCase();
    if (needsDot && !host.replace(/\.$/, '').includes('.')) return false;
    return (u.protocol === 'http:' || u.protocol === 'https:') && host !== 'localhost' && !host.endsWith('.localhost');
  } catch {
    return false;
  }
}

function mentionCount(markdown: string, everyMention: boolean): number {
  const names = new Set<string>();
  let all = 0;
  // Code is not rendered as mentions.
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const m of text.matchAll(/(?<![\w@./])@([A-Za-z0-9_]+)/g)) {
    names.add(m[1].toLowerCase());
    all++;
  }
  return everyMention ? all : names.size;
}

function parseTime(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const t = Date.parse(String(value));
  return Number.isNaN(t) ? null : t;
}

/** Forem timestamps are `iso8601` without fractional seconds. */
function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** "Sep 3", or "Sep 3 '25" when not in the current year. */
function readableDate(ms: number, now: number): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const base = `${month} ${d.getUTCDate()}`;
  return d.getUTCFullYear() === new Date(now).getUTCFullYear() ? base : `${base} '${String(d.getUTCFullYear()).slice(-2)}`;
}

/** Sterile.sluggerize, approximately: ASCII-folded, lower-case, dash-separated. */
function sluggerize(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function stripFrontMatter(markdown: string): string {
  return markdown.replace(FRONT_MATTER, '');
}

function bodyText(markdown: string): string {
  return stripFrontMatter(markdown)
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** processed_description: about the first 100 characters of the body text. */
function derivedDescription(markdown: string, user: DevtoUser): string {
  const text = bodyText(markdown);
  if (!text) return `A post by ${user.name}`;
  return text.length > 100 ? `${text.slice(0, 101).trim()}...` : text;
}

function readingTime(markdown: string): number {
  const words = bodyText(markdown).split(' ').filter(Boolean).length;
  return Math.max(1, Math.ceil(words / 275));
}

/** A deliberately small renderer: headings and paragraphs, HTML-escaped. Not DEV's markdown engine. */
function renderHtml(markdown: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return stripFrontMatter(markdown)
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const h = /^(#{1,6})\s+(.*)$/.exec(block);
      return h ? `<h${h[1].length}>${escape(h[2])}</h${h[1].length}>` : `<p>${escape(block).replace(/\n/g, '<br>\n')}</p>`;
    })
    .join('\n');
}

function rubyClass(value: unknown): string {
  if (value === null || value === undefined) return 'NilClass';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return value ? 'TrueClass' : 'FalseClass';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  if (Array.isArray(value)) return 'Array';
  return 'Hash';
}

// ------------------------------------------------------------------ front matter (YAML subset)

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

/**
 * Parses a leading `---` block of flat `key: value` YAML: quoted/plain scalars, booleans, null,
 * flow lists `[a, b]` and block lists (`- a`). Nested mappings are ignored. Null when there is no block.
 */
export function parseFrontMatter(markdown: string): Record<string, unknown> | null {
  const m = FRONT_MATTER.exec(markdown);
  if (!m) return null;
  const out: Record<string, unknown> = {};
  let listKey: string | null = null;
  for (const raw of (m[1] ?? '').split(/\r?\n/)) {
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    const item = /^\s*-\s+(.*)$/.exec(raw) ?? /^\s*-$/.exec(raw);
    if (item && listKey) {
      if (!Array.isArray(out[listKey])) out[listKey] = [];
      (out[listKey] as unknown[]).push(yamlScalar(item[1] ?? ''));
      continue;
    }
    const kv = /^([^\s:#][^:]*?)\s*:(?:\s+(.*))?$/.exec(raw);
    if (!kv || /^\s/.test(raw)) {
      listKey = null; // nested mapping or something we do not model
      continue;
    }
    const value = (kv[2] ?? '').trim();
    out[kv[1]] = value === '' ? null : yamlValue(value);
    listKey = value === '' ? kv[1] : null;
  }
  return out;
}

function yamlValue(value: string): unknown {
  if (value.startsWith('[') && value.endsWith(']')) {
    const inner = value.slice(1, -1).trim();
    return inner ? inner.split(',').map((v) => yamlScalar(v.trim())) : [];
  }
  return yamlScalar(value);
}

function yamlScalar(raw: string): unknown {
  const value = raw.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value.slice(1, -1);
    }
  }
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1).replace(/''/g, "'");
  const plain = value.replace(/\s+#.*$/, '');
  if (/^(true|True|TRUE)$/.test(plain)) return true;
  if (/^(false|False|FALSE)$/.test(plain)) return false;
  if (/^(null|Null|NULL|~)?$/.test(plain)) return null;
  return plain;
}

// ------------------------------------------------------------------ OpenAPI request validation

interface SpecValidator {
  active: boolean;
  reason?: string;
  validate(op: 'create' | 'update', body: unknown): string[];
}

function off(reason: string): SpecValidator {
  return { active: false, reason, validate: () => [] };
}

/**
 * Compiles the request schemas of createArticle and updateArticle from the shared OpenAPI document.
 * `tags` is widened to accept the array DEV actually requires (the spec says string; a string is then
 * flagged and dropped by permittedAttrs, as strong params do).
 */
function loadSpecValidator(): SpecValidator {
  const dir = sharedSpecsDir();
  const file = dir && path.join(dir, 'forem-api-v1.openapi.json');
  if (!file || !fs.existsSync(file)) return off(dir ? `forem-api-v1.openapi.json not found in ${dir}` : 'no specs folder');
  let AjvCtor: new (opts: object) => { compile(schema: object): AjvValidate };
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require('ajv') as { default?: unknown };
    AjvCtor = (mod.default ?? mod) as typeof AjvCtor;
  } catch {
    return off('ajv is not installed');
  }
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  const ajv = new AjvCtor({ allErrors: true, strict: false });
  const compile = (pathKey: string, method: string): AjvValidate => {
    const op = ((doc.paths as Json)[pathKey] as Json)[method] as Json;
    const schema = resolveRefs(doc, ((((op.requestBody as Json).content as Json)['application/json'] as Json).schema)) as Json;
    return ajv.compile(widenTags(schema));
  };
  const validators = { create: compile('/api/articles', 'post'), update: compile('/api/articles/{id}', 'put') };
  return {
    active: true,
    validate(opName, body) {
      const v = validators[opName];
      if (v(body)) return [];
      return (v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`.trim());
    },
  };
}

type AjvValidate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

/** Inlines local `#/...` references (the request schemas are small and not recursive). */
function resolveRefs(doc: Json, node: unknown, depth = 0): unknown {
  if (depth > 20 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => resolveRefs(doc, n, depth + 1));
  const ref = (node as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    const target = ref.slice(2).split('/').reduce<unknown>((acc, key) => (acc as Json)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    return resolveRefs(doc, target, depth + 1);
  }
  return Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, resolveRefs(doc, v, depth + 1)]));
}

function widenTags(schema: Json): Json {
  const article = (schema.properties as Json | undefined)?.article as Json | undefined;
  const props = article?.properties as Json | undefined;
  if (!props?.tags) return schema;
  const copy = JSON.parse(JSON.stringify(schema)) as Json;
  const tags = (((copy.properties as Json).article as Json).properties as Json);
  tags.tags = { anyOf: [{ type: 'array', items: { type: 'string' } }, props.tags] };
  return copy;
}

/** `GET /api/users/me` (Forem's UsersController#me, "the authenticated user"): who a key belongs to. */
function usersMe(r: RecordedRequest, user: DevtoUser | undefined): SimulatorResponse {
  if (!user) return unauthorized();
  void r;
  return {
    status: 200,
    body: {
      type_of: 'user', id: user.id, username: user.username, name: user.name, twitter_username: null, github_username: null,
      summary: null, location: null, website_url: null, joined_at: 'Jan 1, 2024', profile_image: `https://dev.to/uploads/user/${user.id}.png`,
    },
  };
}
