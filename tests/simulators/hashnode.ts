/**
 * Hashnode simulator: a real HTTP server speaking the gql-beta GraphQL API (POST `/`) closely enough for the
 * crosspost connector's tests. See docs in /work/shared/reference/platform-apis.md §2 and §4.
 *
 * - Every request is parsed with `graphql`'s `parse`. When the published gql-beta SDL is available beside the
 *   project (`sharedSpecsDir()`), the schema is built once and every operation is validated against it; the
 *   SDL is read at runtime and is never copied into this repository. Without the SDL the simulator only parses
 *   (and rejects root fields it does not know).
 * - Execution is a small hand-written walker over the selection set (aliases, fragments, `@skip`/`@include`,
 *   `__typename` and variables are supported), so it works with or without the schema.
 * - Auth, the Pro gate, NOT_FOUND and BAD_USER_INPUT errors are answered inside HTTP 200 with `data: null`.
 */
import {
  buildSchema,
  getVariableValues,
  Kind,
  parse,
  validate,
  valueFromASTUntyped,
  GraphQLError,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { SimulatorServer, SlidingWindow, sharedSpecsDir, specCheckSkipped, type RecordedRequest, type SimulatorResponse } from './base';

// ---------------------------------------------------------------------------------------------------------------
// Constants and state types
// ---------------------------------------------------------------------------------------------------------------

export const HASHNODE_TEST_TOKEN = 'hashnode-test-token';
/** The default (Pro) publication. A 24-hex ObjectId, as gql-beta's `ObjectId` scalar expects. */
export const HASHNODE_DEFAULT_PUBLICATION_ID = '65f0c0ffee0000000000abcd';
export const HASHNODE_DEFAULT_PUBLICATION_HOST = 'alice.hashnode.dev';
export const HASHNODE_DEFAULT_USER: Readonly<HashnodeUser> = Object.freeze({
  id: '65f0c0ffee00000000000001',
  username: 'alice',
  name: 'Alice',
});
/** The Pro-plan gate, verbatim [HN-skill errors-and-limits.md]. */
export const HASHNODE_PRO_FORBIDDEN_MESSAGE =
  'Publication does not have an active Pro plan. Upgrade in your dashboard to access this via the API.';
export const HASHNODE_UNAUTHENTICATED_MESSAGE = 'You must be authenticated.';
/** Queries may be served ~25 s stale by Hashnode's cache; pass this as `staleReadMs` to reproduce it. */
export const HASHNODE_STALE_READ_MS = 25_000;
/** "Request body ≤ 100 KB": body-parser's `100kb` default, i.e. 102,400 bytes. */
export const HASHNODE_MAX_BODY_BYTES = 100 * 1024;
export const HASHNODE_MAX_TAGS = 15;
export const HASHNODE_MAX_FIRST = 100;
export const HASHNODE_MAX_FIRST_DRAFTS = 50;
export const HASHNODE_MAX_QUERY_DEPTH = 10;
export const HASHNODE_SDL_FILE = 'hashnode-gql-beta.schema.graphql';

export interface HashnodeUser {
  id: string;
  username: string;
  name?: string;
  /** A deactivated user's token counts as unauthenticated. */
  deactivated?: boolean;
}

export interface HashnodePublication {
  id: string;
  title: string;
  pro: boolean;
  host: string;
  /** The user who may write to it (the simulator has no EDITOR/CONTRIBUTOR roles). */
  ownerId: string;
}

export interface HashnodeTag {
  id: string;
  name: string;
  slug: string;
}

export interface HashnodePost {
  id: string;
  cuid: string;
  publicationId: string;
  authorId: string;
  title: string;
  subtitle: string | null;
  slug: string;
  url: string;
  contentMarkdown: string;
  tags: HashnodeTag[];
  coverImage: string | null;
  canonicalUrl: string | null;
  metaTitle: string | null;
  metaDescription: string | null;
  ogImage: string | null;
  disableComments: boolean;
  isDelisted: boolean;
  enableToc: boolean;
  seriesId: string | null;
  coAuthors: string[];
  /** ISO-8601. */
  publishedAt: string;
  updatedAt: string | null;
  /** Monotonic creation order (tie-breaker for listings). */
  seq: number;
}

export interface HashnodeDraft {
  id: string;
  publicationId: string;
  authorId: string;
  title: string | null;
  subtitle: string | null;
  slug: string | null;
  contentMarkdown: string | null;
  tags: HashnodeTag[];
  canonicalUrl: string | null;
  coverImage: string | null;
  metaTitle: string | null;
  metaDescription: string | null;
  ogImage: string | null;
  disableComments: boolean;
  isDelisted: boolean;
  enableToc: boolean;
  seriesId: string | null;
  publishedAt: string | null;
  updatedAt: string;
  /** `publishDraft` and `deleteDraft` soft-delete: the draft stays here with `active: false`. */
  active: boolean;
  /** Id of the post `publishDraft` created from it. */
  publishedPostId?: string;
  seq: number;
}

export interface HashnodeRateLimitOptions {
  /** Default 500 (the published, "not currently enforced" target). */
  mutationsPerWindow?: number;
  /** Default 20,000. */
  queriesPerWindow?: number;
  /** Default 60,000 (one minute). */
  windowMs?: number;
}

export interface HashnodeSimulatorOptions {
  /**
   * Validate operations against the gql-beta SDL. `true` (default) = when the SDL is found beside the project;
   * `false` = never (parse only); a string = path to an SDL file.
   */
  schema?: boolean | string;
  /** Serve queries from a cache for this many ms after first computing them (0 = off, the default). */
  staleReadMs?: number;
  /**
   * Hide a new post from every read (`post(id)`, `publication.post(slug)`, `publication.posts`) for this many
   * ms after it is created: Hashnode's reads may be ~25 s stale, so a post just created can be missing from a
   * lookup. 0 = off (the default here); tests that involve lookups turn it on.
   */
  hideNewPostsMs?: number;
  /**
   * Refuse tag slugs with letters outside ASCII (BAD_USER_INPUT). Hashnode's rule is undocumented (such slugs
   * have been seen renamed "untitled"); default true, the safe side. false = rename them "untitled".
   */
  refuseNonAsciiTagSlugs?: boolean;
  /** Enforce rate limits (off by default: Hashnode says they are "not currently enforced"). */
  rateLimit?: HashnodeRateLimitOptions;
  /** Maximum request body in bytes (default 100 KB). */
  maxBodyBytes?: number;
  /** Clock override (ms since epoch). `advanceTime()` adds to it. */
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema loading (read at runtime, cached per path)
// ---------------------------------------------------------------------------------------------------------------

const schemaCache = new Map<string, GraphQLSchema>();

/** Path of the gql-beta SDL beside the project, when present. */
export function hashnodeSdlPath(): string | undefined {
  const dir = sharedSpecsDir();
  if (!dir) return undefined;
  const p = path.join(dir, HASHNODE_SDL_FILE);
  return fs.existsSync(p) ? p : undefined;
}

function loadSchema(option: boolean | string | undefined): GraphQLSchema | undefined {
  if (option === false) return undefined;
  const file = typeof option === 'string' ? option : hashnodeSdlPath();
  if (!file) {
    const dir = sharedSpecsDir();
    specCheckSkipped('Hashnode operation validation against the gql-beta SDL', dir ? `${HASHNODE_SDL_FILE} not found in ${dir}` : 'no specs folder');
    return undefined;
  }
  let schema = schemaCache.get(file);
  if (!schema) {
    schema = buildSchema(fs.readFileSync(file, 'utf8'));
    schemaCache.set(file, schema);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

class GqlError extends Error {
  path?: Array<string | number>;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const unauthenticated = () => new GqlError('UNAUTHENTICATED', HASHNODE_UNAUTHENTICATED_MESSAGE);
const proForbidden = () => new GqlError('FORBIDDEN', HASHNODE_PRO_FORBIDDEN_MESSAGE);
const badInput = (message: string) => new GqlError('BAD_USER_INPUT', message);
const notFound = (message: string) => new GqlError('NOT_FOUND', message);

/** Body of an HTTP-level (non-200) GraphQL error answer. */
function httpError(status: number, code: string, errors: Array<{ message: string; locations?: unknown }>): SimulatorResponse {
  return {
    status,
    body: { errors: errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}), extensions: { code } })) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

const OBJECT_ID = /^[0-9a-f]{24}$/i;

let idCounter = 0;
function objectId(nowMs: number): string {
  idCounter = (idCounter + 1) % 0xffffff;
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0').slice(-8);
  const random = Math.floor(Math.random() * 0xffffffffff).toString(16).padStart(10, '0');
  return `${seconds}${random}${idCounter.toString(16).padStart(6, '0')}`;
}

function cuid(): string {
  return `cl${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
}

export function hashnodeSlugify(input: string): string {
  const slug = input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 250);
  return slug || 'untitled';
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A deliberately small markdown → HTML rendering (headings, paragraphs, code fences, inline basics). */
function renderHtml(markdown: string): string {
  const out: string[] = [];
  const blocks = markdown.replace(/\r\n/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const b = block.trim();
    if (!b) continue;
    const fence = /^```[^\n]*\n([\s\S]*?)\n?```$/.exec(b);
    if (fence) {
      out.push(`<pre><code>${escapeHtml(fence[1])}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(b);
    if (heading && !b.includes('\n')) {
      const n = heading[1].length;
      out.push(`<h${n}>${inline(heading[2])}</h${n}>`);
      continue;
    }
    out.push(`<p>${inline(b).replace(/\n/g, '<br />')}</p>`);
  }
  return out.join('\n');
  function inline(s: string): string {
    return escapeHtml(s)
      .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '<img src="$2" alt="$1" />')
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/\*([^*]+)\*/g, '<em>$1</em>');
  }
}

function renderText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/[*_`>]/g, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function brief(markdown: string): string {
  const text = renderText(markdown).replace(/\s+/g, ' ');
  return text.length > 150 ? `${text.slice(0, 150).trimEnd()}…` : text;
}

function readTime(markdown: string): number {
  return Math.max(1, Math.ceil(renderText(markdown).split(/\s+/).filter(Boolean).length / 200));
}

function encodeCursor(id: string): string {
  return Buffer.from(`cursor:${id}`).toString('base64');
}

function decodeCursor(cursor: unknown): string {
  if (typeof cursor !== 'string') throw badInput('Invalid cursor.');
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith('cursor:')) throw badInput('Invalid cursor.');
  return decoded.slice('cursor:'.length);
}

/** Cursor connection over `items` (already ordered), with `first` clamped to `max`. */
function connection<T extends { id: string }>(
  items: T[],
  args: Record<string, unknown>,
  max: number,
  view: (item: T) => unknown,
  edgeTypename: string,
  connTypename: string,
): Record<string, unknown> {
  const first = args.first;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0) {
    throw badInput('Argument "first" must be a non-negative integer.');
  }
  const limit = Math.min(first, max); // larger values are silently clamped [HN-skill]
  let start = 0;
  if (args.after !== undefined && args.after !== null) {
    const afterId = decodeCursor(args.after);
    const i = items.findIndex((it) => it.id === afterId);
    if (i < 0) throw badInput('Invalid cursor.');
    start = i + 1;
  }
  const page = items.slice(start, start + limit);
  const edges = page.map((it) => ({ __typename: edgeTypename, node: view(it), cursor: encodeCursor(it.id) }));
  return {
    __typename: connTypename,
    edges,
    totalDocuments: items.length,
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: start + page.length < items.length,
      endCursor: page.length ? encodeCursor(page[page.length - 1].id) : null,
      totalDocuments: items.length,
    },
  };
}

function emptyConnection(typename: string) {
  return () => ({ __typename: typename, edges: [], totalDocuments: 0, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null } });
}

// ---------------------------------------------------------------------------------------------------------------
// Input validation shared by the post/draft mutations
// ---------------------------------------------------------------------------------------------------------------

type Input = Record<string, unknown>;

function requireInputObject(input: unknown): Input {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw badInput('Argument "input" is required.');
  return input as Input;
}

function optString(input: Input, key: string): string | null | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string') throw badInput(`"${key}" must be a string.`);
  return v;
}

function optBool(input: Input, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badInput(`"${key}" must be a boolean.`);
  return v;
}

function optUrl(input: Input, key: string): string | null | undefined {
  const v = optString(input, key);
  if (v === undefined || v === null || v === '') return v === '' ? null : v;
  if (!isHttpUrl(v)) throw badInput(`"${key}" must be a valid http(s) URL.`);
  return v;
}

function optDate(input: Input, key: string): string | null | undefined {
  const v = optString(input, key);
  if (v === undefined || v === null) return v;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badInput(`"${key}" must be a valid DateTime.`);
  return new Date(t).toISOString();
}

function checkPublicationId(v: unknown): string {
  if (typeof v !== 'string' || !OBJECT_ID.test(v)) {
    throw badInput('Invalid publicationId: expected a 24-character hex ObjectId.');
  }
  return v.toLowerCase();
}

function checkTitle(v: unknown, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw badInput('Title is required.');
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') throw badInput('Title must not be empty.');
  return v.trim();
}

function checkTagInputs(v: unknown): Array<{ slug: string; name?: string }> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badInput('"tags" must be a list.');
  if (v.length > HASHNODE_MAX_TAGS) throw badInput(`A post can have at most ${HASHNODE_MAX_TAGS} tags.`);
  return v.map((t) => {
    if (!t || typeof t !== 'object') throw badInput('Each tag must be an object with a "slug".');
    const { slug, name } = t as Input;
    if (typeof slug !== 'string' || slug.trim() === '') throw badInput('Each tag needs a non-empty "slug".');
    if (name !== undefined && name !== null && typeof name !== 'string') throw badInput('Tag "name" must be a string.');
    return { slug, name: (name as string | null | undefined) ?? undefined };
  });
}

function checkObjectIdList(v: unknown, key: string, max: number): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !OBJECT_ID.test(x))) {
    throw badInput(`"${key}" must be a list of ObjectIds.`);
  }
  if (v.length > max) throw badInput(`At most ${max} ${key} are allowed.`);
  return v as string[];
}

function checkOptObjectId(input: Input, key: string): string | null | undefined {
  const v = input[key];
  if (v === undefined || v === null) return v as undefined | null;
  if (typeof v !== 'string' || !OBJECT_ID.test(v)) throw badInput(`"${key}" must be a 24-character hex ObjectId.`);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// The executor: walks the selection set over plain objects. A property that is a function is a field with
// arguments (or a lazily computed one) and is called with the field's argument values.
// ---------------------------------------------------------------------------------------------------------------

interface ExecContext {
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  user?: HashnodeUser;
}

type FieldFn = (args: Record<string, unknown>, ctx: ExecContext) => unknown;

function argumentValues(field: FieldNode, ctx: ExecContext): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const a of field.arguments ?? []) {
    const v = valueFromASTUntyped(a.value, ctx.variables);
    if (v !== undefined) args[a.name.value] = v;
  }
  return args;
}

function shouldInclude(node: { directives?: readonly DirectiveNode[] }, ctx: ExecContext): boolean {
  for (const d of node.directives ?? []) {
    const ifArg = d.arguments?.find((a) => a.name.value === 'if');
    const value = ifArg ? valueFromASTUntyped(ifArg.value, ctx.variables) : undefined;
    if (d.name.value === 'skip' && value === true) return false;
    if (d.name.value === 'include' && value !== true) return false;
  }
  return true;
}

function collectFields(selectionSet: SelectionSetNode, ctx: ExecContext, typename: string | undefined, out: FieldNode[] = []): FieldNode[] {
  for (const sel of selectionSet.selections) {
    if (!shouldInclude(sel, ctx)) continue;
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || !typename || sel.typeCondition.name.value === typename) collectFields(sel.selectionSet, ctx, typename, out);
    } else {
      const frag = ctx.fragments[sel.name.value];
      if (frag && (!typename || frag.typeCondition.name.value === typename)) collectFields(frag.selectionSet, ctx, typename, out);
    }
  }
  return out;
}

function complete(value: unknown, field: FieldNode, ctx: ExecContext, path: Array<string | number>): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((v, i) => complete(v, field, ctx, [...path, i]));
  if (!field.selectionSet) {
    // A scalar leaf. An object asked for without a selection would fail validation with the schema.
    return typeof value === 'object' ? null : value;
  }
  if (typeof value !== 'object') return null;
  return selectObject(value as Record<string, unknown>, field.selectionSet, ctx, path);
}

function selectObject(obj: Record<string, unknown>, selectionSet: SelectionSetNode, ctx: ExecContext, path: Array<string | number>): Record<string, unknown> {
  const typename = typeof obj.__typename === 'string' ? obj.__typename : undefined;
  const out: Record<string, unknown> = {};
  for (const field of collectFields(selectionSet, ctx, typename)) {
    const key = field.alias?.value ?? field.name.value;
    const fieldPath = [...path, key];
    if (field.name.value === '__typename') {
      out[key] = typename ?? null;
      continue;
    }
    try {
      const raw = obj[field.name.value];
      const value = typeof raw === 'function' ? (raw as FieldFn)(argumentValues(field, ctx), ctx) : raw;
      out[key] = complete(value, field, ctx, fieldPath);
    } catch (err) {
      if (err instanceof GqlError && !err.path) err.path = fieldPath;
      throw err;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------------------------------

const KNOWN_ROOT_FIELDS = {
  query: new Set(['me', 'post', 'publication', 'draft', 'user', 'tag', 'feed', 'scheduledPost', 'checkCustomDomainAvailability', 'checkSubdomainAvailability', 'searchPostsOfPublication', 'topCommenters', 'documentationProject']),
  mutation: new Set(['publishPost', 'updatePost', 'createDraft', 'updateDraft', 'publishDraft', 'submitDraftForReview', 'rejectDraftSubmission', 'deleteDraft', 'createImageUploadURL']),
};

export interface HashnodeSimulator {
  /** Start listening on 127.0.0.1; resolves to `url`. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  /** The GraphQL endpoint (POST). */
  readonly url: string;
  readonly server: SimulatorServer;
  /** Drop posts, drafts, tags, caches, counters, recorded requests and faults; restore the default user and publication. */
  reset(): void;
  readonly posts: Map<string, HashnodePost>;
  readonly drafts: Map<string, HashnodeDraft>;
  readonly publications: Map<string, HashnodePublication>;
  readonly tokens: Map<string, HashnodeUser>;
  /** Tags created so far, by slug. */
  readonly tags: Map<string, HashnodeTag>;
  /** Whether operations are validated against the gql-beta SDL. */
  readonly schemaLoaded: boolean;
  /** Stale-read window in ms (0 = off); may be changed at any time. */
  staleReadMs: number;
  /** New posts are invisible to reads for this many ms (0 = off); may be changed at any time. */
  hideNewPostsMs: number;
  /** Add a publication (defaults: Pro, owned by the default user, a generated id and host). */
  addPublication(p?: Partial<HashnodePublication>): HashnodePublication;
  /** Register a token for a (new) user. */
  addUser(token: string, user: HashnodeUser): HashnodeUser;
  /** Current simulator time in ms. */
  now(): number;
  /** Move the simulator clock forward. */
  advanceTime(ms: number): void;
}

export function createHashnodeSimulator(options: HashnodeSimulatorOptions = {}): HashnodeSimulator {
  const schema = loadSchema(options.schema);
  const maxBodyBytes = options.maxBodyBytes ?? HASHNODE_MAX_BODY_BYTES;
  const posts = new Map<string, HashnodePost>();
  const drafts = new Map<string, HashnodeDraft>();
  const publications = new Map<string, HashnodePublication>();
  const tokens = new Map<string, HashnodeUser>();
  const tags = new Map<string, HashnodeTag>();
  const readCache = new Map<string, { at: number; body: string }>();
  let offsetMs = 0;
  let seq = 0;
  const baseNow = options.now ?? Date.now;
  const now = () => baseNow() + offsetMs;
  const rl = options.rateLimit;
  const windowMs = rl?.windowMs ?? 60_000;
  let mutationWindow = new SlidingWindow(rl?.mutationsPerWindow ?? 500, windowMs);
  let queryWindow = new SlidingWindow(rl?.queriesPerWindow ?? 20_000, windowMs);
  /** Parsed documents by request record, so `describe` and the handler parse once. */
  const parsed = new WeakMap<RecordedRequest, DocumentNode | GraphQLError>();

  function seed(): void {
    tokens.set(HASHNODE_TEST_TOKEN, { ...HASHNODE_DEFAULT_USER });
    publications.set(HASHNODE_DEFAULT_PUBLICATION_ID, {
      id: HASHNODE_DEFAULT_PUBLICATION_ID,
      title: "Alice's blog",
      pro: true,
      host: HASHNODE_DEFAULT_PUBLICATION_HOST,
      ownerId: HASHNODE_DEFAULT_USER.id,
    });
  }
  seed();

  // ---- lookups and permission checks ------------------------------------------------------------------------

  function userById(id: string): HashnodeUser | undefined {
    for (const u of tokens.values()) if (u.id === id) return u;
    return undefined;
  }

  function requireUser(ctx: ExecContext): HashnodeUser {
    if (!ctx.user) throw unauthenticated();
    return ctx.user;
  }

  /** A publication the caller may write to; order: exists → Pro → ownership. */
  function writablePublication(id: string, user: HashnodeUser): HashnodePublication {
    const pub = publications.get(id.toLowerCase());
    if (!pub) throw notFound('Publication not found');
    if (!pub.pro) throw proForbidden();
    if (pub.ownerId !== user.id) throw new GqlError('FORBIDDEN', 'You do not have permission to write to this publication.');
    return pub;
  }

  function resolveTags(inputs: Array<{ slug: string; name?: string }>): HashnodeTag[] {
    const out: HashnodeTag[] = [];
    for (const t of inputs) {
      if (options.refuseNonAsciiTagSlugs !== false && /[^\x00-\x7f]/.test(t.slug.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))) {
        throw badInput(`Tag slug "${t.slug}" is invalid: use lower-case Latin letters, digits and dashes.`);
      }
      const slug = hashnodeSlugify(t.slug);
      if (out.some((x) => x.slug === slug)) continue;
      let tag = tags.get(slug);
      if (!tag) {
        // Unknown tags are created [HN-skill].
        tag = { id: objectId(now()), slug, name: t.name?.trim() || t.slug.trim() };
        tags.set(slug, tag);
      }
      out.push(tag);
    }
    return out;
  }

  /**
   * UNVERIFIED whether a duplicate slug errors or auto-suffixes on Hashnode. The simulator auto-suffixes
   * (`-1`, `-2`, …) within the publication, as many blog engines do, so a blind retry produces a second post
   * with a different slug (which is what the connector's slug-based recovery has to cope with).
   */
  function uniqueSlug(publicationId: string, base: string, exceptPostId?: string): string {
    const taken = new Set([...posts.values()].filter((p) => p.publicationId === publicationId && p.id !== exceptPostId).map((p) => p.slug));
    if (!taken.has(base)) return base;
    for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  /** When each post was created (simulator clock), for the hide-new-posts read model. */
  const createdAt = new Map<string, number>();
  function readable(p: HashnodePost): boolean {
    return sim.hideNewPostsMs <= 0 || now() - (createdAt.get(p.id) ?? 0) >= sim.hideNewPostsMs;
  }

  function postsOf(pubId: string): HashnodePost[] {
    // Newest first. Delisted posts are included: delisting hides a post from Hashnode's feeds, not from the
    // API's publication listing (UNVERIFIED; keeps canonicalUrl-based recovery possible).
    return [...posts.values()]
      .filter((p) => p.publicationId === pubId && readable(p))
      .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || b.seq - a.seq);
  }

  function draftsOf(pubId: string): HashnodeDraft[] {
    return [...drafts.values()].filter((d) => d.active && d.publicationId === pubId).sort((a, b) => b.seq - a.seq);
  }

  // ---- views (the GraphQL-shaped objects the executor walks) -------------------------------------------------

  function userView(u: HashnodeUser | undefined): Record<string, unknown> | null {
    if (!u) return null;
    return {
      __typename: 'User',
      id: u.id,
      username: u.username,
      name: u.name ?? u.username,
      deactivated: !!u.deactivated,
      profilePicture: null,
      followersCount: 0,
      followingsCount: 0,
      badges: [],
      posts: emptyConnection('PostConnection'),
      publications: emptyConnection('PublicationConnection'),
    };
  }

  function contentView(markdown: string) {
    return { __typename: 'Content', markdown, html: renderHtml(markdown), text: renderText(markdown) };
  }

  function coverView(url: string | null) {
    return url ? { __typename: 'CoverImage', url, attribution: null, photographer: null, isPortrait: false, isAttributionHidden: false } : null;
  }

  function tagView(t: HashnodeTag) {
    return { __typename: 'Tag', id: t.id, name: t.name, slug: t.slug, followersCount: 0, postsCount: 0 };
  }

  function postView(p: HashnodePost): Record<string, unknown> {
    return {
      __typename: 'Post',
      id: p.id,
      cuid: p.cuid,
      title: p.title,
      subtitle: p.subtitle,
      slug: p.slug,
      url: p.url,
      content: contentView(p.contentMarkdown),
      brief: brief(p.contentMarkdown),
      coverImage: coverView(p.coverImage),
      author: () => userView(userById(p.authorId)),
      coAuthors: () => p.coAuthors.map((id) => userView(userById(id))).filter(Boolean),
      publication: () => {
        const pub = publications.get(p.publicationId);
        return pub ? publicationView(pub) : null;
      },
      tags: p.tags.map(tagView),
      reactionCount: 0,
      responseCount: 0,
      replyCount: 0,
      readTimeInMinutes: readTime(p.contentMarkdown),
      views: 0,
      featured: false,
      publishedAt: p.publishedAt,
      updatedAt: p.updatedAt,
      canonicalUrl: p.canonicalUrl,
      hasLatexInPost: false,
      comments: emptyConnection('CommentConnection'),
      likedBy: emptyConnection('UserConnection'),
      series: null,
      seo: { __typename: 'SEO', title: p.metaTitle, description: p.metaDescription },
      ogMetaData: { __typename: 'OpenGraphMetaData', image: p.ogImage },
      features: { __typename: 'PostFeatures', tableOfContents: { __typename: 'TableOfContents', isEnabled: p.enableToc, items: [] } },
      preferences: {
        __typename: 'PostPreferences',
        pinnedToBlog: false,
        disableComments: p.disableComments,
        stickCoverToBottom: false,
        isDelisted: p.isDelisted,
      },
    };
  }

  function draftView(d: HashnodeDraft): Record<string, unknown> {
    return {
      __typename: 'Draft',
      id: d.id,
      title: d.title,
      subtitle: d.subtitle,
      slug: d.slug,
      content: d.contentMarkdown === null ? null : contentView(d.contentMarkdown),
      author: () => userView(userById(d.authorId)),
      coverImage: coverView(d.coverImage),
      tags: d.tags.map(tagView),
      publishAs: null,
      settings: {
        __typename: 'DraftSettings',
        enableTableOfContents: d.enableToc,
        disableComments: d.disableComments,
        stickCoverToBottom: false,
        isDelisted: d.isDelisted,
      },
      updatedAt: d.updatedAt,
      scheduledDate: null,
      publication: () => {
        const pub = publications.get(d.publicationId);
        return pub ? publicationView(pub) : null;
      },
      series: null,
      coAuthors: [],
      canonicalUrl: d.canonicalUrl,
      seo: { __typename: 'SEO', title: d.metaTitle, description: d.metaDescription },
      ogMetaData: { __typename: 'OpenGraphMetaData', image: d.ogImage },
      features: { __typename: 'PostFeatures', tableOfContents: { __typename: 'TableOfContents', isEnabled: d.enableToc, items: [] } },
      isSubmittedForReview: false,
      readTimeInMinutes: d.contentMarkdown ? readTime(d.contentMarkdown) : 0,
    };
  }

  function publicationView(pub: HashnodePublication): Record<string, unknown> {
    // Publication-scoped reads (post, posts, drafts) are Pro-gated wherever the publication is reached from.
    const gate = () => {
      if (!pub.pro) throw proForbidden();
    };
    const draftsField: FieldFn = (args, ctx) => {
      gate();
      requireUser(ctx);
      if (ctx.user!.id !== pub.ownerId) throw new GqlError('FORBIDDEN', 'You do not have permission to read the drafts of this publication.');
      return connection(draftsOf(pub.id), args, HASHNODE_MAX_FIRST_DRAFTS, draftView, 'DraftEdge', 'DraftConnection');
    };
    return {
      __typename: 'Publication',
      id: pub.id,
      title: pub.title,
      displayTitle: pub.title,
      url: `https://${pub.host}`,
      canonicalURL: `https://${pub.host}`,
      isTeam: false,
      isHeadless: false,
      isGitHubBackupEnabled: false,
      isGithubAsSourceConnected: false,
      allowContributorEdits: false,
      author: () => userView(userById(pub.ownerId)),
      features: {
        __typename: 'PublicationFeatures',
        proTeam: { __typename: 'ProTeamFeature', isEnabled: pub.pro },
      },
      domainInfo: {
        __typename: 'DomainInfo',
        hashnodeSubdomain: pub.host.endsWith('.hashnode.dev') ? pub.host.replace(/\.hashnode\.dev$/, '') : null,
        domain: pub.host.endsWith('.hashnode.dev') ? null : { __typename: 'Domain', host: pub.host, ready: true },
        wwwPrefixedDomain: null,
      },
      redirectionRules: [],
      customRules: [],
      widgets: [],
      recommendedPublications: [],
      totalRecommendedPublications: 0,
      post: (args: Record<string, unknown>) => {
        gate();
        if (typeof args.slug !== 'string') throw badInput('Argument "slug" is required.');
        // Delisted posts keep their URL, so they are still found by slug.
        const found = postsOf(pub.id).find((p) => p.slug === args.slug);
        return found ? postView(found) : null;
      },
      posts: (args: Record<string, unknown>) => {
        gate();
        let list = postsOf(pub.id);
        const filter = args.filter as { tagSlugs?: unknown } | undefined;
        if (filter && Array.isArray(filter.tagSlugs) && filter.tagSlugs.length) {
          const wanted = new Set(filter.tagSlugs as string[]);
          list = list.filter((p) => p.tags.some((t) => wanted.has(t.slug)));
        }
        return connection(list, args, HASHNODE_MAX_FIRST, postView, 'PostEdge', 'PostConnection');
      },
      drafts: draftsField,
      allDrafts: draftsField,
    };
  }

  // ---- post creation shared by publishPost and publishDraft -------------------------------------------------

  interface NewPost {
    title: string;
    subtitle?: string | null;
    contentMarkdown: string;
    slug?: string | null;
    tags?: Array<{ slug: string; name?: string }>;
    coverImage?: string | null;
    canonicalUrl?: string | null;
    metaTitle?: string | null;
    metaDescription?: string | null;
    ogImage?: string | null;
    disableComments?: boolean;
    isDelisted?: boolean;
    enableToc?: boolean;
    seriesId?: string | null;
    coAuthors?: string[];
    publishedAt?: string | null;
  }

  function createPost(pub: HashnodePublication, user: HashnodeUser, f: NewPost): HashnodePost {
    const slug = uniqueSlug(pub.id, hashnodeSlugify(f.slug || f.title));
    const nowIso = new Date(now()).toISOString();
    const post: HashnodePost = {
      id: objectId(now()),
      cuid: cuid(),
      publicationId: pub.id,
      authorId: user.id,
      title: f.title,
      subtitle: f.subtitle ?? null,
      slug,
      url: `https://${pub.host}/${slug}`,
      contentMarkdown: f.contentMarkdown,
      tags: resolveTags(f.tags ?? []),
      coverImage: f.coverImage ?? null,
      canonicalUrl: f.canonicalUrl ?? null,
      metaTitle: f.metaTitle ?? null,
      metaDescription: f.metaDescription ?? null,
      ogImage: f.ogImage ?? null,
      disableComments: f.disableComments ?? false,
      isDelisted: f.isDelisted ?? false,
      enableToc: f.enableToc ?? false,
      seriesId: f.seriesId ?? null,
      coAuthors: f.coAuthors ?? [],
      // `publishedAt` only backdates; publishing is immediate.
      publishedAt: f.publishedAt ?? nowIso,
      updatedAt: null,
      seq: ++seq,
    };
    posts.set(post.id, post);
    createdAt.set(post.id, now());
    return post;
  }

  function postFields(input: Input): Omit<NewPost, 'title' | 'contentMarkdown'> {
    const tagInputs = checkTagInputs(input.tags);
    return {
      subtitle: optString(input, 'subtitle'),
      slug: optString(input, 'slug'),
      tags: tagInputs,
      coverImage: optUrl(input, 'coverImage'),
      canonicalUrl: optUrl(input, 'originalArticleURL'),
      metaTitle: optString(input, 'metaTitle'),
      metaDescription: optString(input, 'metaDescription'),
      ogImage: optUrl(input, 'ogImage'),
      disableComments: optBool(input, 'disableComments'),
      isDelisted: optBool(input, 'isDelisted'),
      enableToc: optBool(input, 'enableToc'),
      seriesId: checkOptObjectId(input, 'seriesId'),
      coAuthors: checkObjectIdList(input.coAuthors, 'coAuthors', 4),
      publishedAt: optDate(input, 'publishedAt'),
    };
  }

  // ---- root resolvers ---------------------------------------------------------------------------------------

  const queryRoot: Record<string, FieldFn> = {
    me: (_args, ctx) => {
      const user = requireUser(ctx);
      return {
        ...userView(user),
        __typename: 'MyUser',
        email: `${user.username}@example.test`,
        publications: (args: Record<string, unknown>) =>
          connection(
            [...publications.values()].filter((p) => p.ownerId === user.id),
            args,
            HASHNODE_MAX_FIRST,
            publicationView,
            'PublicationEdge',
            'PublicationConnection',
          ),
      };
    },
    post: (args) => {
      // Public: no token, no Pro plan needed.
      const found = typeof args.id === 'string' ? posts.get(args.id) : undefined;
      const p = found && readable(found) ? found : undefined;
      if (!p) throw notFound('Post not found');
      return postView(p);
    },
    publication: (args) => {
      // Pro needed (no token needed). Unknown id/host → null.
      let pub: HashnodePublication | undefined;
      if (typeof args.id === 'string') pub = publications.get(args.id.toLowerCase());
      else if (typeof args.host === 'string') pub = [...publications.values()].find((p) => p.host === args.host);
      else throw badInput('Either "id" or "host" is required.');
      if (!pub) return null;
      if (!pub.pro) throw proForbidden();
      return publicationView(pub);
    },
    draft: (args, ctx) => {
      const user = requireUser(ctx);
      const d = typeof args.id === 'string' ? drafts.get(args.id) : undefined;
      // Inaccessible drafts answer NOT_FOUND, not FORBIDDEN.
      if (!d || !d.active || d.authorId !== user.id) throw notFound('Draft not found');
      const pub = publications.get(d.publicationId);
      if (pub && !pub.pro) throw proForbidden();
      return draftView(d);
    },
  };

  function activeDraftFor(draftId: unknown, user: HashnodeUser): { draft: HashnodeDraft; pub: HashnodePublication } {
    if (typeof draftId !== 'string' || !draftId) throw badInput('"draftId" is required.');
    const draft = drafts.get(draftId);
    if (!draft || !draft.active) throw notFound('Draft not found');
    const pub = publications.get(draft.publicationId);
    if (!pub) throw notFound('Draft not found');
    if (!pub.pro) throw proForbidden();
    if (draft.authorId !== user.id && pub.ownerId !== user.id) throw notFound('Draft not found');
    return { draft, pub };
  }

  function draftFields(input: Input, d: Partial<HashnodeDraft>): void {
    const title = input.title;
    if (title !== undefined && title !== null && typeof title !== 'string') throw badInput('"title" must be a string.');
    if (typeof title === 'string') d.title = title.trim() || null;
    const set = <K extends keyof HashnodeDraft>(k: K, v: HashnodeDraft[K] | undefined) => {
      if (v !== undefined) d[k] = v;
    };
    set('subtitle', optString(input, 'subtitle'));
    set('contentMarkdown', optString(input, 'contentMarkdown'));
    set('slug', optString(input, 'slug'));
    const tagInputs = checkTagInputs(input.tags);
    if (tagInputs) d.tags = resolveTags(tagInputs);
    set('seriesId', checkOptObjectId(input, 'seriesId'));
    set('disableComments', optBool(input, 'disableComments'));
    set('canonicalUrl', optUrl(input, 'originalArticleURL'));
    set('publishedAt', optDate(input, 'publishedAt'));
    checkObjectIdList(input.coAuthors, 'coAuthors', 4);
    const settings = input.settings as Input | undefined | null;
    if (settings) {
      set('enableToc', optBool(settings, 'enableTableOfContent'));
      set('isDelisted', optBool(settings, 'delist'));
    }
    const meta = input.metaTags as Input | undefined | null;
    if (meta) {
      set('metaTitle', optString(meta, 'title'));
      set('metaDescription', optString(meta, 'description'));
      set('ogImage', optUrl(meta, 'image'));
    }
    const cover = input.coverImageOptions as Input | undefined | null;
    if (cover) set('coverImage', optUrl(cover, 'coverImageURL'));
  }

  const mutationRoot: Record<string, FieldFn> = {
    publishPost: (args, ctx) => {
      const user = requireUser(ctx);
      const input = requireInputObject(args.input);
      const pub = writablePublication(checkPublicationId(input.publicationId), user);
      const title = checkTitle(input.title, true)!;
      if (typeof input.contentMarkdown !== 'string') throw badInput('"contentMarkdown" is required.');
      const post = createPost(pub, user, { ...postFields(input), title, contentMarkdown: input.contentMarkdown });
      return { __typename: 'PublishPostPayload', post: postView(post) };
    },
    updatePost: (args, ctx) => {
      const user = requireUser(ctx);
      const input = requireInputObject(args.input);
      if (typeof input.id !== 'string' || !input.id) throw badInput('"id" is required.');
      const post = posts.get(input.id);
      if (!post) throw notFound('Post not found');
      const pub = publications.get(post.publicationId);
      if (!pub) throw notFound('Post not found');
      if (!pub.pro) throw proForbidden();
      // A post the token cannot see (another account, a lost membership) answers NOT_FOUND, like a deleted one
      // ("NOT_FOUND: also returned for hidden resources").
      if (post.authorId !== user.id && pub.ownerId !== user.id) throw notFound('Post not found');
      const title = checkTitle(input.title, false);
      const content = optString(input, 'contentMarkdown');
      if (content === null) throw badInput('"contentMarkdown" must not be null.');
      const f = postFields(input);
      if (title !== undefined) post.title = title;
      if (content !== undefined) post.contentMarkdown = content;
      if (f.subtitle !== undefined) post.subtitle = f.subtitle;
      if (f.slug) {
        post.slug = uniqueSlug(pub.id, hashnodeSlugify(f.slug), post.id);
        post.url = `https://${pub.host}/${post.slug}`;
      }
      if (f.tags) post.tags = resolveTags(f.tags); // `tags` replaces the existing tags
      if (f.coverImage !== undefined) post.coverImage = f.coverImage;
      if (f.canonicalUrl !== undefined) post.canonicalUrl = f.canonicalUrl;
      if (f.metaTitle !== undefined) post.metaTitle = f.metaTitle;
      if (f.metaDescription !== undefined) post.metaDescription = f.metaDescription;
      if (f.ogImage !== undefined) post.ogImage = f.ogImage;
      if (f.disableComments !== undefined) post.disableComments = f.disableComments;
      if (f.isDelisted !== undefined) post.isDelisted = f.isDelisted;
      if (f.enableToc !== undefined) post.enableToc = f.enableToc;
      if (f.seriesId !== undefined) post.seriesId = f.seriesId;
      if (f.coAuthors) post.coAuthors = f.coAuthors;
      if (f.publishedAt) post.publishedAt = f.publishedAt;
      post.updatedAt = new Date(now()).toISOString();
      return { __typename: 'UpdatePostPayload', post: postView(post) };
    },
    createDraft: (args, ctx) => {
      const user = requireUser(ctx);
      const input = requireInputObject(args.input);
      const pub = writablePublication(checkPublicationId(input.publicationId), user);
      const draft: HashnodeDraft = {
        id: objectId(now()),
        publicationId: pub.id,
        authorId: user.id,
        title: null,
        subtitle: null,
        slug: null,
        contentMarkdown: null,
        tags: [],
        canonicalUrl: null,
        coverImage: null,
        metaTitle: null,
        metaDescription: null,
        ogImage: null,
        disableComments: false,
        isDelisted: false,
        enableToc: false,
        seriesId: null,
        publishedAt: null,
        updatedAt: new Date(now()).toISOString(),
        active: true,
        seq: ++seq,
      };
      draftFields(input, draft);
      drafts.set(draft.id, draft);
      return { __typename: 'CreateDraftPayload', draft: draftView(draft) };
    },
    updateDraft: (args, ctx) => {
      const user = requireUser(ctx);
      const input = requireInputObject(args.input);
      const { draft } = activeDraftFor(input.draftId, user);
      const patch: Partial<HashnodeDraft> = {};
      draftFields(input, patch);
      Object.assign(draft, patch, { updatedAt: new Date(now()).toISOString() });
      return { __typename: 'UpdateDraftPayload', draft: draftView(draft) };
    },
    publishDraft: (args, ctx) => {
      const user = requireUser(ctx);
      const input = requireInputObject(args.input);
      const { draft, pub } = activeDraftFor(input.draftId, user);
      if (!draft.title) throw badInput('The draft needs a title before it can be published.');
      if (!draft.contentMarkdown) throw badInput('The draft needs content before it can be published.');
      const post = createPost(pub, userById(draft.authorId) ?? user, {
        title: draft.title,
        subtitle: draft.subtitle,
        contentMarkdown: draft.contentMarkdown,
        slug: draft.slug,
        tags: draft.tags.map((t) => ({ slug: t.slug, name: t.name })),
        coverImage: draft.coverImage,
        canonicalUrl: draft.canonicalUrl,
        metaTitle: draft.metaTitle,
        metaDescription: draft.metaDescription,
        ogImage: draft.ogImage,
        disableComments: draft.disableComments,
        isDelisted: draft.isDelisted,
        enableToc: draft.enableToc,
        seriesId: draft.seriesId,
        publishedAt: draft.publishedAt,
      });
      // The draft is soft-deleted once the post is created.
      draft.active = false;
      draft.publishedPostId = post.id;
      return { __typename: 'PublishDraftPayload', post: postView(post) };
    },
    deleteDraft: (args, ctx) => {
      const user = requireUser(ctx);
      const input = requireInputObject(args.input);
      const { draft } = activeDraftFor(input.draftId, user);
      draft.active = false;
      return { __typename: 'DeleteDraftPayload', draft: draftView(draft) };
    },
  };

  // ---- request handling -------------------------------------------------------------------------------------

  function tokenFrom(header: string | string[] | undefined): string | undefined {
    const raw = Array.isArray(header) ? header[0] : header;
    if (!raw) return undefined;
    // `Bearer ` is optional and case-insensitive; the raw token is accepted too.
    const t = raw.trim().replace(/^bearer\s+/i, '').trim();
    return t || undefined;
  }

  function parseBody(record: RecordedRequest): DocumentNode | GraphQLError | undefined {
    if (parsed.has(record)) return parsed.get(record);
    const body = record.body as { query?: unknown } | undefined;
    if (!body || typeof body !== 'object' || typeof body.query !== 'string' || !body.query.trim()) return undefined;
    let doc: DocumentNode | GraphQLError;
    try {
      doc = parse(body.query);
    } catch (err) {
      doc = err instanceof GraphQLError ? err : new GraphQLError(String(err));
    }
    parsed.set(record, doc);
    return doc;
  }

  function pickOperation(doc: DocumentNode, operationName: unknown): OperationDefinitionNode | string {
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (typeof operationName === 'string' && operationName) {
      const op = ops.find((o) => o.name?.value === operationName);
      return op ?? `Unknown operation named "${operationName}".`;
    }
    if (ops.length === 1) return ops[0];
    if (ops.length === 0) return 'Must provide an operation.';
    return 'Must provide operation name if query contains multiple operations.';
  }

  function firstRootField(op: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): string | undefined {
    const walk = (set: SelectionSetNode): string | undefined => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (s.name.value !== '__typename') return s.name.value;
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          const f = walk(s.selectionSet);
          if (f) return f;
        } else if (fragments[s.name.value]) {
          const f = walk(fragments[s.name.value].selectionSet);
          if (f) return f;
        }
      }
      return undefined;
    };
    return walk(op.selectionSet);
  }

  function fragmentsOf(doc: DocumentNode): Record<string, FragmentDefinitionNode> {
    const out: Record<string, FragmentDefinitionNode> = {};
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
    return out;
  }

  function depthOf(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) max = Math.max(max, s.selectionSet ? 1 + depthOf(s.selectionSet, fragments, seen) : 1);
      else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(s.selectionSet, fragments, seen));
      else if (!seen.has(s.name.value) && fragments[s.name.value]) {
        max = Math.max(max, depthOf(fragments[s.name.value].selectionSet, fragments, new Set([...seen, s.name.value])));
      }
    }
    return max;
  }

  /** Fills `record.operation` (the first root field, e.g. `publishPost`) so faults can match it. */
  function describe(record: RecordedRequest): void {
    if (record.method !== 'POST') return;
    const doc = parseBody(record);
    if (!doc || doc instanceof GraphQLError) return;
    const op = pickOperation(doc, (record.body as { operationName?: unknown }).operationName);
    if (typeof op === 'string') return;
    record.operation = firstRootField(op, fragmentsOf(doc));
  }

  function handle(record: RecordedRequest, authorization: string | string[] | undefined): SimulatorResponse {
    if (record.path !== '/') return httpError(404, 'NOT_FOUND', [{ message: `Cannot ${record.method} ${record.path}` }]);
    if (record.method !== 'POST') {
      const r = httpError(405, 'BAD_REQUEST', [{ message: 'The simulator only accepts POST requests.' }]);
      r.headers = { allow: 'POST' };
      return r;
    }
    // Body limit: "Request body ≤ 100 KB" [HN-skill]. The real status/body is UNVERIFIED; an Express/body-parser
    // stack answers 413 ("request entity too large"), so the simulator answers 413 with a GraphQL-style JSON error.
    if (Buffer.byteLength(record.rawBody, 'utf8') > maxBodyBytes) {
      return httpError(413, 'PAYLOAD_TOO_LARGE', [{ message: `Request body exceeds the ${Math.round(maxBodyBytes / 1024)} KB limit.` }]);
    }
    const body = record.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return httpError(400, 'BAD_REQUEST', [{ message: 'POST body missing, invalid Content-Type, or JSON object has no keys.' }]);
    }
    if (typeof body.query !== 'string' || !body.query.trim()) {
      return httpError(400, 'BAD_REQUEST', [{ message: 'GraphQL operations must contain a non-empty `query`.' }]);
    }
    if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
      return httpError(400, 'BAD_REQUEST', [{ message: '`variables` in a POST body should be an object.' }]);
    }
    // UNVERIFIED whether gql-beta answers parse/validation errors with HTTP 400 or inside a 200. The simulator
    // follows Apollo Server 4 (which gql-beta appears to run): 400 with GRAPHQL_PARSE_FAILED for syntax errors,
    // 400 with GRAPHQL_VALIDATION_FAILED for operations the schema rejects, and 400 with BAD_USER_INPUT when the
    // variables cannot be coerced to their declared types. Resolver-level problems (auth, Pro gate, NOT_FOUND,
    // semantic input checks) are answered inside HTTP 200.
    const doc = parseBody(record);
    if (!doc || doc instanceof GraphQLError) {
      const e = doc ?? new GraphQLError('Syntax Error');
      return httpError(400, 'GRAPHQL_PARSE_FAILED', [{ message: e.message, locations: e.locations }]);
    }
    if (schema) {
      const errors = validate(schema, doc);
      if (errors.length) return httpError(400, 'GRAPHQL_VALIDATION_FAILED', errors.map((e) => ({ message: e.message, locations: e.locations })));
    }
    const op = pickOperation(doc, body.operationName);
    if (typeof op === 'string') return httpError(400, 'BAD_REQUEST', [{ message: op }]);
    if (op.operation === 'subscription') return httpError(400, 'BAD_REQUEST', [{ message: 'Subscriptions are not supported.' }]);
    const fragments = fragmentsOf(doc);
    // Query depth ≤ 10 [HN-skill]; the rejection format is UNVERIFIED (answered like a validation error).
    const depth = depthOf(op.selectionSet, fragments);
    if (depth > HASHNODE_MAX_QUERY_DEPTH) {
      return httpError(400, 'GRAPHQL_VALIDATION_FAILED', [{ message: `Query depth ${depth} exceeds the maximum allowed depth of ${HASHNODE_MAX_QUERY_DEPTH}.` }]);
    }
    const rootType = op.operation === 'mutation' ? 'Mutation' : 'Query';
    if (!schema) {
      // Without the SDL, at least reject root fields the API does not have.
      const known = KNOWN_ROOT_FIELDS[op.operation as 'query' | 'mutation'];
      for (const s of op.selectionSet.selections) {
        if (s.kind === Kind.FIELD && s.name.value !== '__typename' && !known.has(s.name.value)) {
          return httpError(400, 'GRAPHQL_VALIDATION_FAILED', [{ message: `Cannot query field "${s.name.value}" on type "${rootType}".` }]);
        }
      }
    }
    // Variables: coerced against the schema when available, otherwise raw JSON plus declared defaults.
    const rawVars = (body.variables ?? {}) as Record<string, unknown>;
    let variables: Record<string, unknown>;
    if (schema) {
      const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVars);
      if (coerced.errors) return httpError(400, 'BAD_USER_INPUT', coerced.errors.map((e) => ({ message: e.message, locations: e.locations })));
      variables = coerced.coerced;
    } else {
      variables = { ...rawVars };
      for (const def of op.variableDefinitions ?? []) {
        const name = def.variable.name.value;
        if (variables[name] === undefined && def.defaultValue) variables[name] = valueFromASTUntyped(def.defaultValue);
      }
    }

    // Rate limits: off by default ("not currently enforced"). The 429 format is UNVERIFIED; the simulator answers
    // 429 with a GraphQL-style error body and a Retry-After (seconds) header.
    const t = now();
    if (rl) {
      const w = op.operation === 'mutation' ? mutationWindow : queryWindow;
      const wait = w.waitMs(t);
      if (wait > 0) {
        return {
          status: 429,
          headers: { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
          body: { errors: [{ message: 'Too many requests, please try again later.', extensions: { code: 'TOO_MANY_REQUESTS' } }] },
        };
      }
      w.add(t);
    }

    const token = tokenFrom(authorization);
    const found = token ? tokens.get(token) : undefined;
    const ctx: ExecContext = { variables, fragments, user: found && !found.deactivated ? found : undefined };

    // Optional stale reads: queries (never mutations) are served from a cache for `staleReadMs`.
    const cacheKey = op.operation === 'query' && sim.staleReadMs > 0 ? JSON.stringify([token ?? '', body.query, variables, body.operationName ?? null]) : undefined;
    if (cacheKey) {
      const hit = readCache.get(cacheKey);
      if (hit && t - hit.at < sim.staleReadMs) {
        return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', age: String(Math.floor((t - hit.at) / 1000)) }, body: hit.body };
      }
    }

    const root = op.operation === 'mutation' ? mutationRoot : queryRoot;
    const data: Record<string, unknown> = {};
    let error: GqlError | undefined;
    for (const field of collectFields(op.selectionSet, ctx, rootType)) {
      const key = field.alias?.value ?? field.name.value;
      if (field.name.value === '__typename') {
        data[key] = rootType;
        continue;
      }
      try {
        const resolver = root[field.name.value];
        if (!resolver) throw new GqlError('INTERNAL_SERVER_ERROR', `The simulator does not implement "${field.name.value}".`);
        data[key] = complete(resolver(argumentValues(field, ctx), ctx), field, ctx, [key]);
      } catch (err) {
        if (err instanceof GqlError) {
          error = err;
          if (!err.path) err.path = [key];
        } else {
          error = new GqlError('INTERNAL_SERVER_ERROR', 'Internal server error');
          error.path = [key];
        }
        break; // mutations run serially and a failed non-null payload nulls `data`
      }
    }
    if (error) {
      // Errors inside HTTP 200, with `data: null` (the documented UNAUTHENTICATED example has data null).
      return { status: 200, body: { data: null, errors: [{ message: error.message, path: error.path, extensions: { code: error.code } }] } };
    }
    const out = JSON.stringify({ data });
    if (cacheKey) readCache.set(cacheKey, { at: t, body: out });
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: out };
  }

  const server = new SimulatorServer(({ req, record }) => handle(record, req.headers.authorization), describe);

  const sim: HashnodeSimulator = {
    listen: (port?: number) => server.listen(port).then(() => sim.url),
    close: () => server.close(),
    get url() {
      return `${server.url}/`;
    },
    server,
    reset() {
      posts.clear();
      drafts.clear();
      publications.clear();
      tokens.clear();
      tags.clear();
      readCache.clear();
      offsetMs = 0;
      mutationWindow = new SlidingWindow(mutationWindow.max, windowMs);
      queryWindow = new SlidingWindow(queryWindow.max, windowMs);
      server.requests.length = 0;
      server.clearFaults();
      sim.staleReadMs = options.staleReadMs ?? 0;
      sim.hideNewPostsMs = options.hideNewPostsMs ?? 0;
      createdAt.clear();
      seed();
    },
    posts,
    drafts,
    publications,
    tokens,
    tags,
    schemaLoaded: !!schema,
    staleReadMs: options.staleReadMs ?? 0,
    hideNewPostsMs: options.hideNewPostsMs ?? 0,
    addPublication(p = {}) {
      const id = (p.id ?? objectId(now())).toLowerCase();
      const pub: HashnodePublication = {
        id,
        title: p.title ?? `Publication ${id.slice(-4)}`,
        pro: p.pro ?? true,
        host: p.host ?? `blog-${id.slice(-6)}.hashnode.dev`,
        ownerId: p.ownerId ?? HASHNODE_DEFAULT_USER.id,
      };
      publications.set(id, pub);
      return pub;
    },
    addUser(token, user) {
      tokens.set(token, user);
      return user;
    },
    now,
    advanceTime(ms) {
      offsetMs += ms;
    },
  };
  return sim;
}
