/**
 * DEV (dev.to, Forem API v1). Facts: reference/platform-apis.md §1.
 * - Always send `accept: application/vnd.forem.api-v1+json` (without it the v0 controllers answer).
 * - Unpublish = PUT with `published: false` (authors have no delete).
 * - No idempotency key: after an ambiguous create, page /articles/me/all and match our canonical URL
 *   (else the title) to adopt the earlier create.
 */
import { createHash } from 'node:crypto';
import { createHttpClient, classifyStatus, parseJson, isHtml, type HttpClient } from './http';
import { PlatformError, type Connector, type EntryOptions, type LookupKeys, type RemoteRef, type RenderResult } from './types';
import type { Article } from '../content/types';
import { devtoTags, markdownForPlatform, neutralizeFrontMatter } from '../content';
import { devtoCanonicalProblem, devtoMentionProblem, emptyBodyProblem, isHttpUrl } from '../content/checks';
import { charLength } from '../content/text';

export interface DevtoConfig {
  apiKey: string;
  baseUrl: string;
  published: boolean;
  organizationId?: number;
  series?: string;
  /** Articles per page of the lookup (default 1000, DEV's maximum). */
  lookupPageSize?: number;
  /** Least time between two reads of the lookup (DEV allows about 3 GETs a second). */
  readIntervalMs?: number;
  /** How long DEV keeps a title taken for the same user ("in the last five minutes"). */
  titleReuseMs?: number;
}

export interface DevtoPayload {
  article: {
    title: string;
    body_markdown: string;
    published: boolean;
    tags: string[];
    canonical_url?: string;
    main_image?: string;
    description?: string;
    series?: string;
    organization_id?: number;
  };
}

const NAME = 'DEV';
const TITLE_MAX = 128;
const BODY_MAX_BYTES = 800 * 1024;
const LOOKUP_PAGE_SIZE = 1000;
const LOOKUP_MAX_PAGES = 10;
/** 3 reads a second per IP, with room for another process's reads. */
const READ_INTERVAL_MS = 400;
/** A 429 in the middle of the lookup: wait and ask for the same page again, this many times. */
const READ_RETRIES = 3;
const READ_RETRY_MAX_WAIT_MS = 30_000;
const TITLE_REUSE_MS = 5 * 60_000;
/** Our create reaches DEV within this much of `sentAt` (clock skew, a slow request). */
const CREATE_WINDOW_SLACK_MS = 2 * 60_000;

/** DEV may normalise line endings and trailing space; the hash ignores both. */
export function devtoBodyHash(markdown: string): string {
  return createHash('sha256').update(markdown.replace(/\r\n?/g, '\n').trim()).digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface DevtoArticle {
  id: number;
  url?: string;
  title?: string;
  canonical_url?: string;
  published?: boolean;
  published_at?: string | null;
  body_markdown?: string;
  created_at?: string;
}

export function createDevtoConnector(config: DevtoConfig, http: { timeoutMs: number }): Connector<DevtoPayload> {
  const client: HttpClient = createHttpClient('devto', NAME, {
    baseUrl: config.baseUrl,
    timeoutMs: http.timeoutMs,
    headers: {
      'api-key': config.apiKey,
      accept: 'application/vnd.forem.api-v1+json',
      'content-type': 'application/json',
    },
  });

  function render(article: Article, options: EntryOptions): RenderResult<DevtoPayload> {
    const warnings = [...article.warnings];
    const blocking: string[] = [];
    const tags = devtoTags(article.tags);
    warnings.push(...tags.warnings);
    const body = markdownForPlatform(article.markdown, { tables: 'keep' });
    warnings.push(...body.warnings);
    const markdown = neutralizeFrontMatter(body.value);

    const title = article.title.replace(/\s+/g, ' ').trim();
    // DEV (Rails) counts characters, not UTF-16 units: an emoji is one.
    if (charLength(title) > TITLE_MAX) blocking.push(`DEV titles are limited to ${TITLE_MAX} characters; this one has ${charLength(title)}. Shorten the title.`);
    const bytes = Buffer.byteLength(markdown, 'utf8');
    if (bytes > BODY_MAX_BYTES) blocking.push(`DEV accepts bodies up to 800 KB; this one is ${Math.round(bytes / 1024)} KB.`);
    for (const problem of [emptyBodyProblem(markdown, NAME), devtoCanonicalProblem(article.canonicalUrl), devtoMentionProblem(markdown)]) {
      if (problem) blocking.push(problem);
    }
    let cover = article.coverUrl;
    if (cover && !isHttpUrl(cover)) {
      warnings.push(`DEV: the cover image "${cover}" was left out: DEV only takes http(s) image addresses.`);
      cover = undefined;
    }

    const payload: DevtoPayload = {
      article: {
        title,
        body_markdown: markdown,
        published: options.draft ? false : config.published,
        tags: tags.value,
        ...(article.canonicalUrl ? { canonical_url: article.canonicalUrl } : {}),
        ...(cover ? { main_image: cover } : {}),
        ...(article.description ? { description: article.description } : {}),
        ...(config.series ? { series: config.series } : {}),
        ...(config.organizationId ? { organization_id: config.organizationId } : {}),
      },
    };
    return { payload, warnings, blocking };
  }

  /** DEV's error text ("Tag \"x\" contains non-alphanumeric ...") is what editors need to see. */
  function fail(res: Awaited<ReturnType<HttpClient['request']>>, safety: 'create' | 'idempotent', notFound?: string): PlatformError {
    const body = parseJson(res) as { error?: string } | undefined;
    const detail = typeof body?.error === 'string' ? body.error : typeof res.data === 'string' && !isHtml(res) ? res.data.trim().slice(0, 300) : undefined;
    if (res.status === 422) {
      return new PlatformError('devto', 'permanent', `DEV rejected the article: ${detail ?? 'validation failed'}`, { status: 422 });
    }
    if (res.status === 404 && notFound) return new PlatformError('devto', 'permanent', notFound, { status: 404, remoteGone: true });
    return classifyStatus('devto', NAME, res, safety, detail && detail !== 'unauthorized' ? detail : undefined) ??
      new PlatformError('devto', 'permanent', `DEV answered ${res.status}.`, { status: res.status });
  }

  function toRef(a: DevtoArticle, payload?: DevtoPayload): RemoteRef {
    const published = a.published ?? (a.published_at ? true : payload?.article.published ?? false);
    return { remoteId: String(a.id), remoteUrl: a.url, remoteState: published ? 'published' : 'draft' };
  }

  /** A 2xx whose body is not the article we expect: the write probably happened. */
  function readArticle(res: Awaited<ReturnType<HttpClient['request']>>, safety: 'create' | 'idempotent'): DevtoArticle {
    const body = parseJson(res) as DevtoArticle | undefined;
    if (!body || typeof body.id !== 'number') {
      throw new PlatformError('devto', safety === 'create' ? 'ambiguous' : 'retryable', 'DEV answered with an unreadable body; the change may have been saved.', { status: res.status });
    }
    return body;
  }

  return {
    id: 'devto',
    name: NAME,
    capabilities: { update: true, unpublish: true, lookup: true },
    render,

    async create(payload) {
      const res = await client.request('POST', '/articles', { body: payload });
      if (res.status !== 201 && res.status !== 200) {
        const err = fail(res, 'create');
        // Our canonical URL or title is already taken: maybe by our own earlier create. Look before failing.
        if (res.status === 422 && /canonical url has already been taken|title has already been used/i.test(err.message)) {
          const existing = await this.findExisting(this.lookupKeys(payload));
          if (existing) return existing;
        }
        if (res.status === 422 && /title has already been used/i.test(err.message)) {
          // Another article of this account (another entry, another locale) took the title in the last five
          // minutes: not a fault of this article, only a wait. Retried without using up the retry budget.
          const waitMs = config.titleReuseMs ?? TITLE_REUSE_MS;
          throw new PlatformError('devto', 'retryable', `DEV allows one article per title every ${Math.round(waitMs / 60000) || 1} minutes and another article of this account has just used "${payload.article.title}"; will post it when DEV allows.`, {
            status: 422,
            retryAfterMs: waitMs,
            rateLimited: true,
          });
        }
        throw err;
      }
      return { ...toRef(readArticle(res, 'create'), payload), remoteState: payload.article.published ? 'published' : 'draft' };
    },

    async update(remoteId, payload, _context) {
      const res = await client.request('PUT', `/articles/${encodeURIComponent(remoteId)}`, { body: payload });
      if (res.status !== 200) {
        throw fail(res, 'idempotent', `The article ${remoteId} no longer exists on DEV, or belongs to another account (404).`);
      }
      return { ...toRef(readArticle(res, 'idempotent'), payload), remoteState: payload.article.published ? 'published' : 'draft' };
    },

    async unpublish(remoteId) {
      const res = await client.request('PUT', `/articles/${encodeURIComponent(remoteId)}`, { body: { article: { published: false } } });
      if (res.status === 404) {
        // Gone already: nothing left to take down.
        return { remoteId, remoteState: 'unpublished' };
      }
      if (res.status !== 200) throw fail(res, 'idempotent');
      const a = readArticle(res, 'idempotent');
      return { remoteId: String(a.id), remoteUrl: a.url, remoteState: 'unpublished' };
    },

    lookupKeys(payload): LookupKeys {
      return {
        title: payload.article.title,
        canonicalUrl: payload.article.canonical_url,
        bodyHash: devtoBodyHash(payload.article.body_markdown),
        sentAt: new Date().toISOString(),
      };
    },

    async postByUrl(url) {
      for (let page = 1; page <= LOOKUP_MAX_PAGES; page++) {
        const res = await client.request('GET', '/articles/me/all', { params: { page, per_page: LOOKUP_PAGE_SIZE } });
        if (res.status !== 200) throw fail(res, 'idempotent');
        const items = parseJson(res);
        if (!Array.isArray(items)) throw new PlatformError('devto', 'retryable', 'DEV answered the article list with an unreadable body.');
        const match = (items as DevtoArticle[]).find((a) => a.url === url);
        if (match) return toRef(match);
        if (items.length < LOOKUP_PAGE_SIZE) break;
      }
      return null;
    },

    /**
     * Adopts an article only when it is certainly ours: same canonical URL; or, without one, same title AND
     * same body AND made around the time we sent ours. Never on the title alone: titles are only unique for
     * five minutes, so an older article (or another entry's) can carry the same title.
     */
    async findExisting(keys) {
      const pageSize = config.lookupPageSize ?? LOOKUP_PAGE_SIZE;
      const interval = config.readIntervalMs ?? READ_INTERVAL_MS;
      const sentAt = keys.sentAt ? Date.parse(keys.sentAt) : NaN;
      const ours = (a: DevtoArticle): boolean => {
        if (keys.canonicalUrl) return a.canonical_url === keys.canonicalUrl;
        if (a.title !== keys.title || !keys.bodyHash || typeof a.body_markdown !== 'string') return false;
        if (devtoBodyHash(a.body_markdown) !== keys.bodyHash) return false;
        // /me items carry published_at (null for drafts) and, on some Forem versions, created_at.
        const made = Date.parse(a.created_at ?? a.published_at ?? '');
        return Number.isNaN(sentAt) || Number.isNaN(made) || made >= sentAt - CREATE_WINDOW_SLACK_MS;
      };
      let lastRead = 0;
      for (let page = 1; page <= LOOKUP_MAX_PAGES; page++) {
        let items: unknown;
        // Paced reads; a 429 waits and asks for the same page again instead of starting over.
        for (let attempt = 0; ; attempt++) {
          const wait = lastRead + interval - Date.now();
          if (wait > 0) await sleep(wait);
          lastRead = Date.now();
          const res = await client.request('GET', '/articles/me/all', { params: { page, per_page: pageSize } });
          if (res.status === 429 && attempt < READ_RETRIES) {
            const err = fail(res, 'idempotent');
            await sleep(Math.min(err.retryAfterMs ?? 1000, READ_RETRY_MAX_WAIT_MS));
            continue;
          }
          if (res.status !== 200) throw fail(res, 'idempotent');
          items = parseJson(res);
          break;
        }
        if (!Array.isArray(items)) throw new PlatformError('devto', 'retryable', 'DEV answered the article list with an unreadable body; will retry.');
        const match = (items as DevtoArticle[]).find(ours);
        if (match) return toRef(match);
        if (items.length < pageSize) break;
      }
      return null;
    },

    async identity() {
      const res = await client.request('GET', '/users/me');
      if (res.status === 401) {
        throw new PlatformError('devto', 'permanent', 'DEV did not accept this API key (401): it is wrong, revoked, or its account is suspended. Create a key at https://dev.to/settings/extensions.', { status: 401 });
      }
      if (res.status !== 200) throw fail(res, 'idempotent');
      const me = parseJson(res) as { username?: string; name?: string } | undefined;
      if (!me || typeof me.username !== 'string') {
        throw new PlatformError('devto', 'permanent', `DEV answered /users/me with something else than a user: check the DEV base URL (CROSSPOST_DEVTO_BASE_URL).`, { status: res.status });
      }
      return { account: `@${me.username}${me.name ? ` (${me.name})` : ''}` };
    },
  };
}
