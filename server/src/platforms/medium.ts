/**
 * Medium (API v1, unsupported by Medium since 2023 but still answering for existing integration tokens).
 * Facts: reference/platform-apis.md §3.
 * - Create only: `POST /users/{authorId}/posts` (author id from `GET /me`, fetched once per connector), or
 *   `POST /publications/{publicationId}/posts` when a publication is configured.
 * - There is no update, delete, get, list or search endpoint: capabilities are create-only, an edited entry
 *   becomes `outdated`, an unpublished one must be removed by hand, and a create whose answer was lost cannot
 *   be checked (the worker marks it `unconfirmed` and never retries it on its own).
 * - Medium does not render the post title: it is repeated as the first heading. Medium shows Markdown tables as
 *   pipes, so tables become lists. Only the first 3 tags of ≤ 25 characters count.
 * - The daily limit (10 posts per rolling 24 h) answers 429 with code 1007 and, as far as is known, no
 *   Retry-After: the worker decides the wait.
 */
import { createHttpClient, classifyStatus, isHtml, parseJson, type CallSafety, type HttpClient } from './http';
import { PlatformError, type Connector, type EntryOptions, type LookupKeys, type RemoteRef, type RenderResult } from './types';
import type { Article } from '../content/types';
import { markdownForPlatform, mediumTags } from '../content';
import { emptyBodyProblem } from '../content/checks';
import { charLength } from '../content/text';

export type MediumPublishStatus = 'public' | 'draft' | 'unlisted';
export type MediumLicense =
  | 'all-rights-reserved'
  | 'cc-40-by'
  | 'cc-40-by-sa'
  | 'cc-40-by-nd'
  | 'cc-40-by-nc'
  | 'cc-40-by-nc-nd'
  | 'cc-40-by-nc-sa'
  | 'cc-40-zero'
  | 'public-domain';

export interface MediumConfig {
  token: string;
  baseUrl: string;
  publicationId?: string;
  publishStatus: MediumPublishStatus;
  license: MediumLicense;
  notifyFollowers: boolean;
}

/** Exactly the body of the create call. */
export interface MediumPayload {
  title: string;
  contentFormat: 'markdown';
  content: string;
  tags: string[];
  canonicalUrl?: string;
  publishStatus: MediumPublishStatus;
  license: MediumLicense;
  notifyFollowers: boolean;
}

const NAME = 'Medium';
const ENV_TOKEN = 'CROSSPOST_MEDIUM_TOKEN';
const ENV_BASE_URL = 'CROSSPOST_MEDIUM_BASE_URL';
/** "Titles longer than 100 characters will be ignored" (Medium then makes one from the text). */
const TITLE_MAX = 100;
const RATE_LIMIT_CODE = 1007;

interface MediumErrorBody {
  errors?: Array<{ message?: string; code?: number }>;
}

interface MediumPost {
  id?: string;
  url?: string;
  publishStatus?: string;
}

type Response = Awaited<ReturnType<HttpClient['request']>>;

export function createMediumConnector(config: MediumConfig, http: { timeoutMs: number }): Connector<MediumPayload> {
  const client = createHttpClient('medium', NAME, {
    baseUrl: config.baseUrl.replace(/\/+$/, ''),
    timeoutMs: http.timeoutMs,
    headers: {
      authorization: `Bearer ${config.token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-charset': 'utf-8',
    },
  });

  /** The token's user id, asked once per connector (a failed attempt is not cached). */
  let authorId: Promise<string> | undefined;

  function render(article: Article, options: EntryOptions): RenderResult<MediumPayload> {
    const warnings = [...article.warnings];
    const blocking: string[] = [];
    const title = article.title.replace(/\s+/g, ' ').trim();
    const tags = mediumTags(article.tags);
    warnings.push(...tags.warnings);
    // Medium does not display the post title, so it leads the body as a heading.
    const body = markdownForPlatform(article.markdown, { tables: 'degrade', titleHeading: title });
    warnings.push(...body.warnings);
    if (!title) blocking.push('Medium needs a title; this entry has none.');
    // Checked on the article's own body: the title heading added above is not content.
    const empty = emptyBodyProblem(article.markdown, NAME);
    if (empty) blocking.push(empty);
    if (charLength(title) > TITLE_MAX) {
      warnings.push(`Medium ignores titles longer than ${TITLE_MAX} characters (this one has ${charLength(title)}) and makes one from the first line of the text instead.`);
    }
    const payload: MediumPayload = {
      title,
      contentFormat: 'markdown',
      content: body.value,
      tags: tags.value,
      ...(article.canonicalUrl ? { canonicalUrl: article.canonicalUrl } : {}),
      publishStatus: options.draft ? 'draft' : config.publishStatus,
      license: config.license,
      notifyFollowers: config.notifyFollowers,
    };
    return { payload, warnings, blocking };
  }

  /** Medium's own words from `{errors:[{message, code}]}`. */
  function mediumError(res: Response): { message?: string; code?: number } {
    const body = parseJson(res) as MediumErrorBody | undefined;
    const first = Array.isArray(body?.errors) ? body!.errors[0] : undefined;
    return { message: typeof first?.message === 'string' ? first.message.trim() : undefined, code: typeof first?.code === 'number' ? first.code : undefined };
  }

  function fail(res: Response, safety: CallSafety, what: string): PlatformError {
    const s = res.status;
    const { message, code } = mediumError(res);
    const said = message ? `: "${message}"` : '';
    if (s >= 300 && s < 400) {
      return new PlatformError(
        'medium',
        'permanent',
        `Medium answered ${s} (moved to ${res.headers.location ?? 'another address'}): the API endpoint has moved. Check ${ENV_BASE_URL} (default https://api.medium.com/v1).`,
        { status: s },
      );
    }
    if (s === 401) {
      return new PlatformError(
        'medium',
        'permanent',
        `Medium did not accept the integration token (401${said}): check the integration token (${ENV_TOKEN}). Medium no longer issues new integration tokens, so a revoked one cannot be replaced.`,
        { status: s },
      );
    }
    if (s === 403) {
      const hint = config.publicationId
        ? ` Check that the account may publish into the Medium publication ${config.publicationId} (writers may only create drafts).`
        : ' Check the account behind the integration token.';
      return new PlatformError('medium', 'permanent', `Medium refused the post (403)${said}.${hint}`, { status: s });
    }
    if (s === 429) {
      // Nothing was created. The limit is 10 posts per rolling 24 h; Medium sends no Retry-After that we know of.
      const daily = code === RATE_LIMIT_CODE ? "Medium's daily publishing limit is reached (10 posts per 24 hours)" : `Medium rate limit reached${said}`;
      const base = classifyStatus('medium', NAME, res, safety)!;
      return new PlatformError('medium', 'retryable', `${daily}; will retry when it allows.`, {
        status: s,
        rateLimited: true,
        retryAfterMs: base.retryAfterMs,
      });
    }
    if (s === 400) {
      return new PlatformError('medium', 'permanent', `Medium rejected the post${message ? `: ${message}` : ' (400)'}`, { status: s });
    }
    if (s === 404) {
      return new PlatformError(
        'medium',
        'permanent',
        `Medium answered 404 for ${what}: ${ENV_BASE_URL} does not point to the API (it should end in /v1)${config.publicationId && what !== '/me' ? ', or the publication id is wrong' : ''}.`,
        { status: s },
      );
    }
    const detail = message ?? (typeof res.data === 'string' && res.data && !isHtml(res) ? res.data.trim().slice(0, 200) : undefined);
    return classifyStatus('medium', NAME, res, safety, detail) ?? new PlatformError('medium', 'permanent', `Medium answered ${s}.`, { status: s });
  }

  async function fetchAuthorId(): Promise<string> {
    const res = await client.request('GET', '/me');
    if (res.status !== 200) throw fail(res, 'idempotent', '/me');
    const body = parseJson(res) as { data?: { id?: unknown } } | undefined;
    const id = body?.data?.id;
    if (typeof id !== 'string' || !id) {
      if (isHtml(res)) {
        throw new PlatformError('medium', 'permanent', `Medium answered /me with a web page: ${ENV_BASE_URL} does not point to the API (https://api.medium.com/v1).`, { status: res.status });
      }
      throw new PlatformError('medium', 'retryable', 'Medium answered /me with an unreadable body; will retry.', { status: res.status });
    }
    return id;
  }

  function me(): Promise<string> {
    if (!authorId) {
      authorId = fetchAuthorId();
      authorId.catch(() => {
        authorId = undefined;
      });
    }
    return authorId;
  }

  /**
   * A writer (not an editor) of a publication may only submit drafts: Medium refuses a public post with a bare
   * 403. Ask the contributors list first and say what is wrong in words, before anything is sent.
   */
  async function checkRole(publishStatus: MediumPublishStatus): Promise<void> {
    const pubId = config.publicationId as string;
    const path = `/publications/${encodeURIComponent(pubId)}/contributors`;
    const res = await client.request('GET', path);
    if (res.status !== 200) throw fail(res, 'idempotent', path);
    const list = (parseJson(res) as { data?: Array<{ userId?: string; role?: string }> } | undefined)?.data;
    if (!Array.isArray(list)) throw new PlatformError('medium', 'retryable', 'Medium answered the contributors list with an unreadable body; will retry.', { status: res.status });
    const userId = await me();
    const role = list.find((c) => c.userId === userId)?.role;
    if (!role) {
      throw new PlatformError(
        'medium',
        'permanent',
        `The Medium account behind the integration token is not a contributor of the publication ${pubId}, so it cannot post there. Ask an editor of the publication to add it, or remove the publication id from the plugin config to post on the account itself.`,
      );
    }
    if (role !== 'editor' && publishStatus !== 'draft') {
      throw new PlatformError(
        'medium',
        'permanent',
        `The Medium account is a ${role} (not an editor) of the publication ${pubId}: Medium lets writers submit drafts only, so it cannot publish "${publishStatus}" there. Ask for the editor role, or set Medium's publishStatus to "draft" and have an editor publish it.`,
      );
    }
  }

  function noApi(what: string): PlatformError {
    return new PlatformError('medium', 'permanent', `Medium has no API to ${what} a post. Do it by hand on Medium, then confirm.`);
  }

  return {
    id: 'medium',
    name: NAME,
    capabilities: { update: false, unpublish: false, lookup: false },
    render,

    async create(payload) {
      if (config.publicationId) await checkRole(payload.publishStatus);
      const path = config.publicationId
        ? `/publications/${encodeURIComponent(config.publicationId)}/posts`
        : `/users/${encodeURIComponent(await me())}/posts`;
      const res = await client.request('POST', path, { body: payload });
      if (res.status !== 201 && res.status !== 200) throw fail(res, 'create', path);
      const post = (parseJson(res) as { data?: MediumPost } | undefined)?.data;
      if (!post || typeof post.id !== 'string') {
        throw new PlatformError('medium', 'ambiguous', 'Medium answered with an unreadable body after the article was sent; it may or may not have been created.', { status: res.status });
      }
      const status = post.publishStatus ?? payload.publishStatus;
      const ref: RemoteRef = { remoteId: post.id, remoteUrl: post.url, remoteState: status === 'draft' ? 'draft' : 'published' };
      return ref;
    },

    async update() {
      throw noApi('update');
    },

    async unpublish() {
      throw noApi('unpublish or delete');
    },

    lookupKeys(payload): LookupKeys {
      return { title: payload.title, canonicalUrl: payload.canonicalUrl };
    },

    async findExisting() {
      // capabilities.lookup is false, so the worker never asks; a caller that does has a bug.
      throw new Error('Medium has no API to list or search posts, so an earlier create cannot be looked up (capabilities.lookup is false).');
    },

    async identity() {
      const res = await client.request('GET', '/me');
      if (res.status === 401) {
        const { message } = mediumError(res);
        throw new PlatformError('medium', 'permanent', `Medium rejected the integration token (401${message ? `: "${message}"` : ''}). Medium no longer issues new integration tokens, so a revoked one cannot be replaced.`, { status: 401 });
      }
      if (res.status !== 200) throw fail(res, 'idempotent', '/me');
      const me = (parseJson(res) as { data?: { username?: string; name?: string } } | undefined)?.data;
      if (!me || typeof me.username !== 'string') {
        throw new PlatformError('medium', 'permanent', `Medium answered /me with something else than a user: ${ENV_BASE_URL} does not point to the API (https://api.medium.com/v1).`, { status: res.status });
      }
      return { account: `@${me.username}${me.name ? ` (${me.name})` : ''}` };
    },
  };
}
