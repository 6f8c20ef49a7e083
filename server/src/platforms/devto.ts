/**
 * DEV (dev.to, Forem API v1). Facts: reference/platform-apis.md §1.
 * - Always send `accept: application/vnd.forem.api-v1+json` (without it the v0 controllers answer).
 * - Unpublish = PUT with `published: false` (authors have no delete).
 * - No idempotency key: after an ambiguous create, page /articles/me/all and match our canonical URL
 *   (else the title) to adopt the earlier create.
 */
import { createHttpClient, classifyStatus, parseJson, isHtml, type HttpClient } from './http';
import { PlatformError, type Connector, type EntryOptions, type LookupKeys, type RemoteRef, type RenderResult } from './types';
import type { Article } from '../content/types';
import { devtoTags, markdownForPlatform, neutralizeFrontMatter } from '../content';

export interface DevtoConfig {
  apiKey: string;
  baseUrl: string;
  published: boolean;
  organizationId?: number;
  series?: string;
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

interface DevtoArticle {
  id: number;
  url?: string;
  title?: string;
  canonical_url?: string;
  published?: boolean;
  published_at?: string | null;
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
    if (title.length > TITLE_MAX) blocking.push(`DEV titles are limited to ${TITLE_MAX} characters; this one has ${title.length}. Shorten the title.`);
    const bytes = Buffer.byteLength(markdown, 'utf8');
    if (bytes > BODY_MAX_BYTES) blocking.push(`DEV accepts bodies up to 800 KB; this one is ${Math.round(bytes / 1024)} KB.`);
    if (article.canonicalUrl && /\s/.test(article.canonicalUrl)) blocking.push('DEV rejects canonical URLs with spaces; check the canonical URL template.');

    const payload: DevtoPayload = {
      article: {
        title,
        body_markdown: markdown,
        published: options.draft ? false : config.published,
        tags: tags.value,
        ...(article.canonicalUrl ? { canonical_url: article.canonicalUrl } : {}),
        ...(article.coverUrl ? { main_image: article.coverUrl } : {}),
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
        // Our canonical URL is already taken: maybe by our own earlier create. Look before failing.
        if (res.status === 422 && /canonical url has already been taken|title has already been used/i.test(err.message)) {
          const existing = await this.findExisting(this.lookupKeys(payload));
          if (existing) return existing;
        }
        throw err;
      }
      return { ...toRef(readArticle(res, 'create'), payload), remoteState: payload.article.published ? 'published' : 'draft' };
    },

    async update(remoteId, payload) {
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
      return { title: payload.article.title, canonicalUrl: payload.article.canonical_url };
    },

    async findExisting(keys) {
      let byTitle: DevtoArticle | undefined;
      for (let page = 1; page <= LOOKUP_MAX_PAGES; page++) {
        const res = await client.request('GET', '/articles/me/all', { params: { page, per_page: LOOKUP_PAGE_SIZE } });
        if (res.status !== 200) throw fail(res, 'idempotent');
        const items = parseJson(res);
        if (!Array.isArray(items)) throw new PlatformError('devto', 'retryable', 'DEV answered the article list with an unreadable body; will retry.');
        for (const a of items as DevtoArticle[]) {
          if (keys.canonicalUrl && a.canonical_url === keys.canonicalUrl) return toRef(a);
          if (!byTitle && a.title === keys.title) byTitle = a;
        }
        if (items.length < LOOKUP_PAGE_SIZE) break;
      }
      // Without a canonical URL DEV fills in the article's own URL, so the title is the only key left.
      return byTitle && !keys.canonicalUrl ? toRef(byTitle) : null;
    },
  };
}
