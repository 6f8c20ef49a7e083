/**
 * Hashnode (gql-beta GraphQL API). Facts: reference/platform-apis.md §2, SDL: specs/hashnode-gql-beta.schema.graphql.
 *
 * - One endpoint, every call a POST. Errors mostly come inside HTTP 200 as `{errors:[{message, extensions:{code}}]}`,
 *   so the HTTP status alone says little: each answer is read as GraphQL first.
 * - Because every call is a POST, the shared client's "POST = create" rule does not fit: a timed-out `updatePost`
 *   or query is safe to retry, a timed-out `publishPost` is not. This file therefore keeps its own axios instance,
 *   configured exactly like http.ts (no redirects, raw text, never throws on a status), and tells
 *   `transportError` per call whether it was a create.
 * - Publish mode: `publishPost` with an explicit slug (the key for finding it again after a timeout), updates with
 *   `updatePost` (tags replace the old ones).
 * - Draft mode: `createDraft` only; the article stays a Hashnode draft. Its remote id is `draft:<id>` so that
 *   `update` knows to call `updateDraft` (or, when the entry is later published in publish mode, `updateDraft` +
 *   `publishDraft`).
 * - Unpublish: the API cannot remove posts (no `removePost`), but `UpdatePostInput.isDelisted` exists, so
 *   unpublishing delists the post: hidden from Hashnode's feeds, still reachable at its URL. A later publish lists
 *   it again. A draft is not public, so unpublishing it changes nothing on Hashnode.
 * - Requests over 100 KB are refused by Hashnode: `render` blocks them, and the request path refuses them again.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { classifyStatus, isHtml, parseJson, parseRetryAfter, transportError, type CallSafety } from './http';
import { PlatformError, type Connector, type EntryOptions, type LookupKeys, type RemoteRef, type RenderResult, type UpdateContext } from './types';
import type { Article } from '../content/types';
import { hashnodeTags, markdownForPlatform, slugify, type HashnodeTag } from '../content';
import { emptyBodyProblem } from '../content/checks';

export interface HashnodeConfig {
  token: string;
  publicationId: string;
  baseUrl: string;
  mode: 'publish' | 'draft';
  /** Minimum wait before looking up an interrupted create (Hashnode reads may be ~25 s stale). */
  lookupDelayMs?: number;
}

/** What render produces and the hash covers: the article's fields plus where and how it goes. */
export interface HashnodePayload {
  mode: 'publish' | 'draft';
  publicationId: string;
  post: {
    title: string;
    subtitle?: string;
    contentMarkdown: string;
    slug?: string;
    tags: HashnodeTag[];
    coverImage?: string;
    originalArticleURL?: string;
  };
}

/** Our lookup keys, plus which kind of object the create made (drafts are listed apart from posts). */
export interface HashnodeLookupKeys extends LookupKeys {
  kind?: 'post' | 'draft';
}

/** An unpublish result with the explanation editors should see (Hashnode can only delist). */
export interface HashnodeRemoteRef extends RemoteRef {
  note?: string;
}

const NAME = 'Hashnode';
const ENV_TOKEN = 'CROSSPOST_HASHNODE_TOKEN';
const ENV_PUBLICATION = 'CROSSPOST_HASHNODE_PUBLICATION_ID';
const ENV_BASE_URL = 'CROSSPOST_HASHNODE_BASE_URL';
/** "Request body ≤ 100 KB" (body-parser's `100kb`: 102,400 bytes). */
export const HASHNODE_MAX_REQUEST_BYTES = 100 * 1024;
const DRAFT_PREFIX = 'draft:';
/** Hashnode's reads may be ~25 s stale; a lookup waits this long after the write it looks for. */
const DEFAULT_LOOKUP_DELAY_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOOKUP_PAGE_SIZE = 50;
const LOOKUP_MAX_PAGES = 4;
/** Longest Hashnode ObjectId; used to size update requests before there is a real id. */
const ID_PLACEHOLDER = '0'.repeat(24);

export const DELIST_NOTE =
  "Hashnode's API cannot remove posts, so the post was delisted instead: it no longer appears in Hashnode's feeds, but it is still reachable at its URL. Delete it on Hashnode by hand if it must disappear completely.";

const POST_FIELDS = 'id slug url';
const Q = {
  publishPost: `mutation CrosspostPublishPost($input: PublishPostInput!) { publishPost(input: $input) { post { ${POST_FIELDS} } } }`,
  updatePost: `mutation CrosspostUpdatePost($input: UpdatePostInput!) { updatePost(input: $input) { post { ${POST_FIELDS} } } }`,
  createDraft: `mutation CrosspostCreateDraft($input: CreateDraftInput!) { createDraft(input: $input) { draft { id slug } } }`,
  updateDraft: `mutation CrosspostUpdateDraft($input: UpdateDraftInput!) { updateDraft(input: $input) { draft { id slug } } }`,
  publishDraft: `mutation CrosspostPublishDraft($input: PublishDraftInput!) { publishDraft(input: $input) { post { ${POST_FIELDS} } } }`,
  findPost: `query CrosspostFindPost($publicationId: ObjectId!, $slug: String!) { publication(id: $publicationId) { id post(slug: $slug) { id slug url title canonicalUrl } } }`,
  listPosts: `query CrosspostListPosts($publicationId: ObjectId!, $first: Int!, $after: String) { publication(id: $publicationId) { id posts(first: $first, after: $after) { edges { node { id slug url title canonicalUrl } } pageInfo { hasNextPage endCursor } } } }`,
  whoAmI: `query CrosspostWhoAmI { me { id } }`,
  publicationById: `query CrosspostPublicationById($publicationId: ObjectId!) { publication(id: $publicationId) { id } }`,
  postById: `query CrosspostPostById($id: ID!) { post(id: $id) { id url publication { id } } }`,
  listDrafts: `query CrosspostListDrafts($publicationId: ObjectId!, $first: Int!, $after: String) { publication(id: $publicationId) { id drafts(first: $first, after: $after) { edges { node { id slug title canonicalUrl } } pageInfo { hasNextPage endCursor } } } }`,
  me: `query CrosspostMe { me { id username name } }`,
  publication: `query CrosspostPublication($publicationId: ObjectId!) { publication(id: $publicationId) { id title url } }`,
} as const;
type OperationName = keyof typeof Q;

interface GqlError {
  message?: string;
  extensions?: { code?: string };
}

interface PostNode {
  id: string;
  slug?: string;
  url?: string;
  title?: string;
  canonicalUrl?: string | null;
}

interface DraftNode {
  id: string;
  slug?: string | null;
  title?: string | null;
  canonicalUrl?: string | null;
}

interface Connection<T> {
  edges?: Array<{ node: T }>;
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
}

/** Hashnode slugs are lower-case ASCII letters, digits and dashes. */
function hashnodeSlug(slug: string): string {
  return slugify(slug)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 250);
}

function requestBody(operation: OperationName, variables: Record<string, unknown>): string {
  return JSON.stringify({ query: Q[operation], variables, operationName: operationNameOf(operation) });
}

function operationNameOf(operation: OperationName): string {
  return `Crosspost${operation[0].toUpperCase()}${operation.slice(1)}`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function isDraftId(remoteId: string): boolean {
  return remoteId.startsWith(DRAFT_PREFIX);
}

/** The mutation inputs for a payload (pure, also used to size requests in render). */
function publishInput(p: HashnodePayload): Record<string, unknown> {
  return { publicationId: p.publicationId, ...p.post };
}

/**
 * Only the fields the entry has; tags are replaced. What `null` does to subtitle, coverImage or
 * originalArticleURL is not documented, so they are never sent as null (safe side: a field the entry no longer
 * has keeps its value on Hashnode). `isDelisted` is sent only to list again a post our own unpublish delisted:
 * a post an editor delisted by hand on Hashnode stays delisted.
 */
function updatePostInput(id: string, p: HashnodePayload, context: UpdateContext = {}): Record<string, unknown> {
  return { id, ...p.post, ...(context.relist ? { isDelisted: false } : {}) };
}

function draftFields(p: HashnodePayload): Record<string, unknown> {
  const { coverImage, ...rest } = p.post;
  return {
    ...rest,
    subtitle: rest.subtitle ?? null,
    originalArticleURL: rest.originalArticleURL ?? null,
    coverImageOptions: { coverImageURL: coverImage ?? null },
    // Keep our slug when the draft is published (it is how a post is found again after a timeout).
    ...(rest.slug ? { settings: { slugOverridden: true } } : {}),
  };
}

export function createHashnodeConnector(config: HashnodeConfig, http: { timeoutMs: number }): Connector<HashnodePayload> {
  /** Errors that mean "the post/draft is not there" (NOT_FOUND), for the callers that can recover from that. */
  const notFoundErrors = new WeakSet<PlatformError>();
  const isNotFound = (err: unknown): err is PlatformError => err instanceof PlatformError && notFoundErrors.has(err);

  const client: AxiosInstance = axios.create({
    baseURL: config.baseUrl.replace(/\/+$/, ''),
    timeout: http.timeoutMs,
    headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json', accept: 'application/json' },
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data) => data],
  });

  function render(article: Article, options: EntryOptions): RenderResult<HashnodePayload> {
    const warnings = [...article.warnings];
    const blocking: string[] = [];
    const tags = hashnodeTags(article.tags);
    warnings.push(...tags.warnings);
    const body = markdownForPlatform(article.markdown, { tables: 'keep' });
    warnings.push(...body.warnings);

    const title = article.title.replace(/\s+/g, ' ').trim();
    if (!title) blocking.push('Hashnode needs a title; this entry has none.');
    // `contentMarkdown` is required (String!) by publishPost.
    const empty = emptyBodyProblem(body.value, NAME);
    if (empty) blocking.push(empty);
    const slug = hashnodeSlug(article.slug);
    if (!slug && article.slug) {
      warnings.push(`Hashnode: the slug "${article.slug}" has no Latin letters or digits, so Hashnode will make one from the title.`);
    }
    const payload: HashnodePayload = {
      mode: options.draft ? 'draft' : config.mode,
      publicationId: config.publicationId,
      post: {
        title,
        ...(article.description ? { subtitle: article.description } : {}),
        contentMarkdown: body.value,
        ...(slug ? { slug } : {}),
        tags: tags.value,
        ...(article.coverUrl ? { coverImage: article.coverUrl } : {}),
        ...(article.canonicalUrl ? { originalArticleURL: article.canonicalUrl } : {}),
      },
    };

    // The limit is on the whole request body, so measure the largest request this payload will be sent in.
    const bytes = largestRequestBytes(payload);
    if (bytes > HASHNODE_MAX_REQUEST_BYTES) {
      blocking.push(
        `Hashnode accepts requests up to ${kb(HASHNODE_MAX_REQUEST_BYTES)}; this article makes a ${kb(bytes)} request. Shorten the article (or split it) by at least ${kb(bytes - HASHNODE_MAX_REQUEST_BYTES)}.`,
      );
    }
    return { payload, warnings, blocking };
  }

  function largestRequestBytes(p: HashnodePayload): number {
    const sizes =
      p.mode === 'draft'
        ? [
            requestBody('createDraft', { input: { publicationId: p.publicationId, ...draftFields(p) } }),
            requestBody('updateDraft', { input: { draftId: ID_PLACEHOLDER, ...draftFields(p) } }),
          ]
        : [requestBody('publishPost', { input: publishInput(p) }), requestBody('updatePost', { input: updatePostInput(ID_PLACEHOLDER, p, { relist: true }) })];
    return Math.max(...sizes.map((s) => Buffer.byteLength(s, 'utf8')));
  }

  /** What a NOT_FOUND means depends on the call; the caller says. */
  interface CallContext {
    notFound?: string;
    /** NOT_FOUND means our remote copy is gone (a retry should post it afresh). */
    remoteGone?: boolean;
  }

  /**
   * One GraphQL call. Returns `data`; throws a classified PlatformError for anything else.
   * `safety` = 'create' when a lost answer may hide a created post (publishPost, createDraft, publishDraft).
   */
  async function gql<T>(operation: OperationName, variables: Record<string, unknown>, safety: CallSafety, ctx: CallContext = {}): Promise<T> {
    const body = requestBody(operation, variables);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > HASHNODE_MAX_REQUEST_BYTES) {
      throw new PlatformError('hashnode', 'permanent', `Hashnode accepts requests up to ${kb(HASHNODE_MAX_REQUEST_BYTES)}; this one is ${kb(bytes)}. Shorten the article.`);
    }
    let res: AxiosResponse;
    try {
      res = await client.post('', body);
    } catch (err) {
      throw transportError('hashnode', NAME, err, safety);
    }
    const json = parseJson(res) as { data?: Record<string, unknown> | null; errors?: GqlError[] } | undefined;
    const errors = Array.isArray(json?.errors) ? json!.errors : [];
    const s = res.status;

    if (s >= 300 && s < 400) {
      throw new PlatformError(
        'hashnode',
        'permanent',
        `Hashnode answered ${s} (moved to ${res.headers.location ?? 'another address'}): this API endpoint has moved or been retired. Set ${ENV_BASE_URL} to the current GraphQL endpoint (https://gql-beta.hashnode.com).`,
        { status: s },
      );
    }
    if (s === 429) {
      const said = errors[0]?.message ? ` ("${errors[0].message}")` : '';
      throw new PlatformError('hashnode', 'retryable', `Hashnode rate limit reached${said}; will retry when it allows.`, {
        status: s,
        rateLimited: true,
        retryAfterMs: parseRetryAfter(res.headers['retry-after']),
      });
    }
    if (s >= 500) {
      throw classifyStatus('hashnode', NAME, res, safety, errors[0]?.message)!;
    }
    if (s === 413) {
      throw new PlatformError('hashnode', 'permanent', `Hashnode refused the request as too large (413); it accepts up to ${kb(HASHNODE_MAX_REQUEST_BYTES)}. Shorten the article.`, { status: s });
    }
    // An HTTP-level 404 is about the endpoint (Hashnode reports missing posts inside HTTP 200).
    if (s === 404 || s === 405) {
      throw new PlatformError(
        'hashnode',
        'permanent',
        `Hashnode answered ${s}: ${ENV_BASE_URL} does not point to the GraphQL API (use https://gql-beta.hashnode.com).`,
        { status: s },
      );
    }
    if (errors.length > 0) {
      const data = json?.data?.[operation];
      // A partial answer that still carries what we asked for is a success.
      if (s >= 200 && s < 300 && data) return json!.data as T;
      throw classifyGqlError(errors[0], res, safety, ctx);
    }
    if (s === 401 || s === 403) {
      // An auth answer without a GraphQL body (a proxy, a gateway): same advice as the GraphQL codes.
      throw classifyGqlError({ message: `HTTP ${s}`, extensions: { code: s === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN' } }, res, safety, ctx);
    }
    if (s < 200 || s >= 300) {
      throw classifyStatus('hashnode', NAME, res, safety) ?? new PlatformError('hashnode', 'permanent', `Hashnode answered ${s}.`, { status: s });
    }
    if (!json || typeof json !== 'object' || !json.data) {
      if (isHtml(res)) {
        throw new PlatformError(
          'hashnode',
          'permanent',
          `Hashnode answered with a web page instead of GraphQL: ${ENV_BASE_URL} does not point to the GraphQL API (use https://gql-beta.hashnode.com).`,
          { status: s },
        );
      }
      throw unreadable(safety, s);
    }
    return json.data as T;
  }

  function unreadable(safety: CallSafety, status?: number): PlatformError {
    return safety === 'create'
      ? new PlatformError('hashnode', 'ambiguous', 'Hashnode answered with an unreadable body after the article was sent; it may or may not have been created.', { status })
      : new PlatformError('hashnode', 'retryable', 'Hashnode answered with an unreadable body; will retry.', { status });
  }

  function classifyGqlError(e: GqlError, res: AxiosResponse, safety: CallSafety, ctx: CallContext): PlatformError {
    const code = e.extensions?.code ?? 'UNKNOWN';
    const said = (e.message ?? '').trim() || code;
    const status = res.status;
    switch (code) {
      case 'FORBIDDEN':
        if (/pro plan|\bpro\b/i.test(said)) {
          return new PlatformError(
            'hashnode',
            'permanent',
            `Hashnode's API needs an active Hashnode Pro plan on this publication (${ENV_PUBLICATION}). Upgrade the publication to Pro in Hashnode's dashboard, then retry. Hashnode said: "${said}"`,
            { status },
          );
        }
        return new PlatformError(
          'hashnode',
          'permanent',
          `Hashnode refused the request: "${said}". Check that the token's account may publish to the publication (${ENV_PUBLICATION}); contributors can only submit drafts.`,
          { status },
        );
      case 'UNAUTHENTICATED':
        return new PlatformError(
          'hashnode',
          'permanent',
          `Hashnode did not accept the token ("${said}"): check the token (${ENV_TOKEN}). Tokens of deactivated accounts do not work.`,
          { status },
        );
      case 'BAD_USER_INPUT':
      case 'GRAPHQL_VALIDATION_FAILED':
      case 'GRAPHQL_PARSE_FAILED':
      case 'BAD_REQUEST':
        return new PlatformError('hashnode', 'permanent', `Hashnode rejected the article: ${said}`, { status });
      case 'NOT_FOUND': {
        const err = new PlatformError('hashnode', 'permanent', ctx.notFound ?? `Hashnode could not find what was asked for: ${said}`, { status, remoteGone: ctx.remoteGone });
        notFoundErrors.add(err);
        return err;
      }
      case 'INTERNAL_SERVER_ERROR':
        return safety === 'create'
          ? new PlatformError('hashnode', 'ambiguous', `Hashnode failed with an internal error after the article was sent ("${said}"); it may or may not have been created.`, { status })
          : new PlatformError('hashnode', 'retryable', `Hashnode failed with an internal error ("${said}"); will retry.`, { status });
      case 'TOO_MANY_REQUESTS':
      case 'RATE_LIMITED':
        return new PlatformError('hashnode', 'retryable', `Hashnode rate limit reached ("${said}"); will retry when it allows.`, {
          status,
          rateLimited: true,
          retryAfterMs: parseRetryAfter(res.headers['retry-after']),
        });
      default:
        return new PlatformError('hashnode', 'permanent', `Hashnode refused the request (${code}): ${said}`, { status });
    }
  }

  const publicationMissing = `The Hashnode publication ${config.publicationId} was not found: check ${ENV_PUBLICATION}.`;

  function postRef(post: PostNode | undefined | null, safety: CallSafety): RemoteRef {
    if (!post || typeof post.id !== 'string') throw unreadable(safety);
    return { remoteId: post.id, remoteUrl: post.url, remoteState: 'published' };
  }

  function draftRef(draft: DraftNode | undefined | null, safety: CallSafety): RemoteRef {
    if (!draft || typeof draft.id !== 'string') throw unreadable(safety);
    return { remoteId: `${DRAFT_PREFIX}${draft.id}`, remoteState: 'draft' };
  }

  function postGone(remoteId: string): string {
    return `The post ${remoteId} no longer exists on Hashnode (it was deleted there), so it cannot be changed.`;
  }

  /**
   * Hashnode answers NOT_FOUND both for a deleted post and for one this token cannot see (another account, a
   * lost membership, a token for another publication). Only a deleted post may be posted afresh; otherwise a
   * retry would make a second copy. So check the token, the publication, then whether the post still exists
   * publicly (`post(id)` needs no rights), and say which it is.
   */
  async function explainNotFound(postId: string, original: PlatformError): Promise<PlatformError> {
    await gql('whoAmI', {}, 'idempotent'); // a bad token throws its own, clear error
    const pub = await gql<{ publication?: { id: string } | null }>('publicationById', { publicationId: config.publicationId }, 'idempotent');
    if (!pub.publication) return new PlatformError('hashnode', 'permanent', publicationMissing);
    type Found = { post?: { id: string; url?: string; publication?: { id: string } | null } | null };
    // A missing post answers either `post: null` or a NOT_FOUND error ("Post not found", path ["post"]).
    const found = await gql<Found>('postById', { id: postId }, 'idempotent').catch((e: unknown): Found => {
      if (isNotFound(e)) return { post: null };
      throw e;
    });
    const post = found.post;
    if (!post) {
      const err = new PlatformError('hashnode', 'permanent', postGone(postId), { status: original.status, remoteGone: true });
      notFoundErrors.add(err);
      return err;
    }
    const where = post.publication?.id && post.publication.id !== config.publicationId ? ` It is in another publication (${post.publication.id}).` : '';
    return new PlatformError(
      'hashnode',
      'permanent',
      `The post ${postId} still exists on Hashnode${post.url ? ` (${post.url})` : ''}, but this token cannot change it: it belongs to another account, or the token's account is no longer a member of the publication.${where} Check the token (${ENV_TOKEN}) and the publication (${ENV_PUBLICATION}); it is not posted again, to avoid a duplicate.`,
      { status: original.status },
    );
  }

  async function updatePost(postId: string, payload: HashnodePayload, context?: UpdateContext): Promise<RemoteRef> {
    try {
      const data = await gql<{ updatePost?: { post?: PostNode } }>('updatePost', { input: updatePostInput(postId, payload, context) }, 'idempotent', { notFound: postGone(postId) });
      return postRef(data.updatePost?.post, 'idempotent');
    } catch (err) {
      if (isNotFound(err)) throw await explainNotFound(postId, err);
      throw err;
    }
  }

  async function updateDraft(draftId: string, payload: HashnodePayload): Promise<RemoteRef> {
    const data = await gql<{ updateDraft?: { draft?: DraftNode } }>('updateDraft', { input: { draftId, ...draftFields(payload) } }, 'idempotent', {
      notFound: `The draft ${draftId} no longer exists on Hashnode (deleted, or published by hand), so it cannot be updated.`,
      remoteGone: true,
    });
    return draftRef(data.updateDraft?.draft, 'idempotent');
  }

  async function publishDraft(draftId: string): Promise<RemoteRef> {
    const data = await gql<{ publishDraft?: { post?: PostNode } }>('publishDraft', { input: { draftId } }, 'create', {
      notFound: `The draft ${draftId} no longer exists on Hashnode, so it cannot be published.`,
    });
    return postRef(data.publishDraft?.post, 'create');
  }

  function lookupKeys(payload: HashnodePayload): HashnodeLookupKeys {
    return {
      title: payload.post.title,
      canonicalUrl: payload.post.originalArticleURL,
      slug: payload.post.slug,
      kind: payload.mode === 'draft' ? 'draft' : 'post',
    };
  }

  /** Ours when the canonical URL matches (or, without one, the title). */
  function isOurs(node: { title?: string | null; canonicalUrl?: string | null }, keys: LookupKeys): boolean {
    if (keys.canonicalUrl) return node.canonicalUrl === keys.canonicalUrl;
    return node.title === keys.title;
  }

  async function findPost(keys: LookupKeys): Promise<RemoteRef | null> {
    if (keys.slug) {
      const data = await gql<{ publication?: { post?: PostNode | null } | null }>('findPost', { publicationId: config.publicationId, slug: keys.slug }, 'idempotent');
      if (!data.publication) throw new PlatformError('hashnode', 'permanent', publicationMissing);
      const post = data.publication.post;
      if (post && isOurs(post, keys)) return postRef(post, 'idempotent');
    }
    // Slug not found (Hashnode may have changed it, e.g. suffixed a taken one): scan the newest posts.
    let after: string | null = null;
    for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
      const data: { publication?: { posts?: Connection<PostNode> } | null } = await gql('listPosts', { publicationId: config.publicationId, first: LOOKUP_PAGE_SIZE, after }, 'idempotent');
      if (!data.publication) throw new PlatformError('hashnode', 'permanent', publicationMissing);
      const conn = data.publication.posts;
      const match = conn?.edges?.map((e) => e.node).find((n) => n && isOurs(n, keys));
      if (match) return postRef(match, 'idempotent');
      if (!conn?.pageInfo?.hasNextPage || !conn.pageInfo.endCursor) break;
      after = conn.pageInfo.endCursor;
    }
    return null;
  }

  async function findDraft(keys: LookupKeys): Promise<RemoteRef | null> {
    let after: string | null = null;
    for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
      const data: { publication?: { drafts?: Connection<DraftNode> } | null } = await gql('listDrafts', { publicationId: config.publicationId, first: LOOKUP_PAGE_SIZE, after }, 'idempotent');
      if (!data.publication) throw new PlatformError('hashnode', 'permanent', publicationMissing);
      const conn = data.publication.drafts;
      const match = conn?.edges
        ?.map((e) => e.node)
        .find((n) => n && isOurs(n, keys));
      if (match) return draftRef(match, 'idempotent');
      if (!conn?.pageInfo?.hasNextPage || !conn.pageInfo.endCursor) break;
      after = conn.pageInfo.endCursor;
    }
    return null;
  }

  return {
    id: 'hashnode',
    name: NAME,
    capabilities: { update: true, unpublish: true, lookup: true, lookupDelayMs: config.lookupDelayMs ?? DEFAULT_LOOKUP_DELAY_MS },
    render,

    async create(payload) {
      if (payload.mode === 'draft') {
        const input = { publicationId: payload.publicationId, ...draftFields(payload) };
        const data = await gql<{ createDraft?: { draft?: DraftNode } }>('createDraft', { input }, 'create', { notFound: publicationMissing });
        return draftRef(data.createDraft?.draft, 'create');
      }
      const data = await gql<{ publishPost?: { post?: PostNode } }>('publishPost', { input: publishInput(payload) }, 'create', { notFound: publicationMissing });
      return postRef(data.publishPost?.post, 'create');
    },

    async update(remoteId, payload, context) {
      if (!isDraftId(remoteId)) {
        // A published post stays published, even if the entry is now in draft mode (Hashnode cannot unpublish).
        return updatePost(remoteId, payload, context);
      }
      const draftId = remoteId.slice(DRAFT_PREFIX.length);
      try {
        await updateDraft(draftId, payload);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The draft is gone: maybe our own publishDraft went through without us hearing back, or the editor
        // published it by hand. Then the post carries our slug/canonical URL: update that post instead. Reads
        // can be ~25 s stale, so a post published just now may not show yet: wait that out before looking.
        await sleep(config.lookupDelayMs ?? DEFAULT_LOOKUP_DELAY_MS);
        const post = await findPost(lookupKeys(payload));
        if (!post) throw err;
        return updatePost(post.remoteId, payload);
      }
      if (payload.mode === 'draft') return { remoteId, remoteState: 'draft' };
      return publishDraft(draftId);
    },

    async unpublish(remoteId): Promise<HashnodeRemoteRef> {
      if (isDraftId(remoteId)) {
        // Drafts are not public: nothing to take down. The draft is kept so a later publish can use it.
        return { remoteId, remoteState: 'unpublished', note: 'The Hashnode draft was kept; drafts are not public.' };
      }
      const data = await gql<{ updatePost?: { post?: PostNode } }>('updatePost', { input: { id: remoteId, isDelisted: true } }, 'idempotent', {
        notFound: postGone(remoteId),
      }).catch(async (err: unknown) => {
        if (!isNotFound(err)) throw err;
        // Gone already: nothing left to take down. Unless the token merely cannot see it: then say so.
        const why = await explainNotFound(remoteId, err);
        if (why.remoteGone) return null;
        throw why;
      });
      if (!data) return { remoteId, remoteState: 'unpublished', note: 'The post no longer exists on Hashnode.' };
      const ref = postRef(data.updatePost?.post, 'idempotent');
      return { ...ref, remoteState: 'unpublished', note: DELIST_NOTE };
    },

    lookupKeys,

    async postByUrl(url) {
      const slug = new URL(url).pathname.split('/').filter(Boolean).pop();
      if (!slug) return null;
      const data = await gql<{ publication?: { post?: PostNode | null } | null }>('findPost', { publicationId: config.publicationId, slug }, 'idempotent');
      if (!data.publication) throw new PlatformError('hashnode', 'permanent', publicationMissing);
      return data.publication.post ? postRef(data.publication.post, 'idempotent') : null;
    },

    async findExisting(keys) {
      const kind = (keys as HashnodeLookupKeys).kind;
      if (kind === 'draft') {
        // A draft may have been published by hand meanwhile: then the post is what exists.
        return (await findDraft(keys)) ?? (await findPost(keys));
      }
      if (kind === 'post') return findPost(keys);
      return (await findPost(keys)) ?? (await findDraft(keys));
    },

    /** The token's user (`me`), then the publication (`publication(id)`, which also answers the Pro gate). */
    async identity() {
      const who = await gql<{ me?: { username?: string; name?: string } | null }>('me', {}, 'idempotent');
      if (!who.me || typeof who.me.username !== 'string') throw unreadable('idempotent');
      const account = `@${who.me.username}${who.me.name ? ` (${who.me.name})` : ''}`;
      const found = await gql<{ publication?: { title?: string; url?: string } | null }>('publication', { publicationId: config.publicationId }, 'idempotent').catch((err: unknown) => {
        if (!(err instanceof PlatformError)) throw err;
        throw new PlatformError('hashnode', err.kind, `The token works (${account}), but: ${err.message}`, { status: err.status });
      });
      if (!found.publication) {
        throw new PlatformError('hashnode', 'permanent', `The token works (${account}), but the Hashnode publication ${config.publicationId} was not found: check the publication id (${ENV_PUBLICATION}).`);
      }
      const pub = found.publication;
      return { account, details: `publication "${pub.title ?? config.publicationId}"${pub.url ? ` (${pub.url})` : ''}` };
    },
  };
}
