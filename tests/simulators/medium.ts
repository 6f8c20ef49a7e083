/**
 * Medium simulator: a real HTTP server for the (unsupported but still working) Medium API v1, as documented in
 * /work/shared/reference/platform-apis.md §3 and §4.
 *
 * - Base path `/v1`; success bodies are `{data: …}`, errors `{errors: [{message, code}]}`.
 * - Endpoints: `GET /me`, `GET /users/:id/publications`, `GET /publications/:id/contributors`,
 *   `POST /users/:authorId/posts`, `POST /publications/:id/posts`, `POST /images`. Nothing else exists: there is
 *   no update, delete, get-post or list-posts endpoint, so those paths answer 404.
 * - A rolling per-user publishing limit (10 posts per 24 h by default; window and max configurable) answers 429
 *   with code 1007.
 * - The clock can be overridden (`now`) or moved forward (`advanceTime`).
 */
import crypto from 'node:crypto';
import { SimulatorServer, SlidingWindow, type RecordedRequest, type SimulatorResponse } from './base';

export const MEDIUM_TEST_TOKEN = 'medium-test-token';
export const MEDIUM_DEFAULT_USER: Readonly<MediumUser> = Object.freeze({
  id: '5303d74c64f66366f00cb9b2a94f3251bf5',
  username: 'alice',
  name: 'Alice Example',
});
/** A publication where the default user is an editor. */
export const MEDIUM_EDITOR_PUBLICATION_ID = 'b45573563f5a';
/** A publication where the default user is a writer (may only create drafts). */
export const MEDIUM_WRITER_PUBLICATION_ID = 'b969ac62a46b';
/** A publication the default user does not belong to. */
export const MEDIUM_OTHER_PUBLICATION_ID = 'c0ffee123456';
export const MEDIUM_DAILY_LIMIT = 10;
export const MEDIUM_DAILY_WINDOW_MS = 24 * 60 * 60 * 1000;

export const MEDIUM_LICENSES = [
  'all-rights-reserved',
  'cc-40-by',
  'cc-40-by-sa',
  'cc-40-by-nd',
  'cc-40-by-nc',
  'cc-40-by-nc-nd',
  'cc-40-by-nc-sa',
  'cc-40-zero',
  'public-domain',
] as const;
export type MediumLicense = (typeof MEDIUM_LICENSES)[number];
export const MEDIUM_PUBLISH_STATUSES = ['public', 'draft', 'unlisted'] as const;
export type MediumPublishStatus = (typeof MEDIUM_PUBLISH_STATUSES)[number];

/**
 * Error codes. Only 6000 (missing token) and 1007 (daily limit) are documented by captured responses; every
 * other code/message below is UNVERIFIED and chosen by the simulator.
 */
export const MEDIUM_ERRORS = {
  /** Verbatim (md-publisher#1). */
  missingToken: { status: 401, code: 6000, message: 'An access token is required.' },
  /** UNVERIFIED: the invalid/revoked-token text and code are not documented; 401 per the docs' error tables. */
  invalidToken: { status: 401, code: 6003, message: 'Token was invalid.' },
  /** Verbatim, status 429 per medium-api-docs PR #141. */
  rateLimited: { status: 429, code: 1007, message: 'User has reached the rate limit for publishing today.' },
  /** UNVERIFIED code: "400 Required fields were invalid, not specified." */
  invalidField: { status: 400, code: 2004 },
  /** UNVERIFIED code. */
  forbidden: { status: 403, code: 2006 },
  /** UNVERIFIED code and message: Medium's answer to an unknown API path. */
  notFound: { status: 404, code: 2001, message: 'Not found.' },
} as const;

const LICENSE_URLS: Record<MediumLicense, string> = {
  'all-rights-reserved': 'https://medium.com/policy/9db0094a1e0f',
  'cc-40-by': 'https://creativecommons.org/licenses/by/4.0/',
  'cc-40-by-sa': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'cc-40-by-nd': 'https://creativecommons.org/licenses/by-nd/4.0/',
  'cc-40-by-nc': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'cc-40-by-nc-nd': 'https://creativecommons.org/licenses/by-nc-nd/4.0/',
  'cc-40-by-nc-sa': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'cc-40-zero': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'public-domain': 'https://creativecommons.org/publicdomain/mark/1.0/',
};

export interface MediumUser {
  id: string;
  username: string;
  name: string;
}

export interface MediumContributor {
  userId: string;
  role: 'editor' | 'writer';
}

export interface MediumPublication {
  id: string;
  name: string;
  description?: string;
  contributors: MediumContributor[];
}

export interface MediumPost {
  id: string;
  title: string;
  /** The title as sent (differs from `title` when it was over 100 chars and a title was synthesized). */
  requestedTitle: string;
  authorId: string;
  tags: string[];
  /** The tags as sent, before Medium kept only the first three of ≤ 25 chars. */
  requestedTags: string[];
  url: string;
  canonicalUrl?: string;
  publishStatus: MediumPublishStatus;
  /** Epoch ms; absent for drafts. */
  publishedAt?: number;
  license: MediumLicense;
  licenseUrl: string;
  contentFormat: 'html' | 'markdown';
  content: string;
  notifyFollowers?: boolean;
  publicationId?: string;
  /** A writer's publication draft waits for an editor's approval. */
  pendingApproval?: boolean;
  /** Simulator time of creation (epoch ms). */
  createdAt: number;
}

export interface MediumImage {
  url: string;
  md5: string;
  contentType: string;
  bytes: number;
}

export interface MediumSimulatorOptions {
  /** The rolling publishing limit per user (default 10 posts per 24 h). Tests compress it, e.g. `{max: 3, windowMs: 2000}`. */
  dailyLimit?: { max?: number; windowMs?: number };
  /** Send `Retry-After` (seconds until the oldest post leaves the window) on the 429. Off by default (UNVERIFIED). */
  retryAfter?: boolean;
  /**
   * Answer 400 to a POST whose Content-Type is not JSON (default true). The exact behaviour is UNVERIFIED; the
   * docs require `Content-Type: application/json`.
   */
  requireJsonContentType?: boolean;
  /** Clock override (ms since epoch). `advanceTime()` adds to it. */
  now?: () => number;
}

export interface MediumSimulator {
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  /** API base, ending in `/v1` (no trailing slash). */
  readonly url: string;
  readonly server: SimulatorServer;
  /** Drop posts, images, counters, recorded requests and faults; restore default users, publications and clock. */
  reset(): void;
  readonly posts: Map<string, MediumPost>;
  readonly images: MediumImage[];
  readonly tokens: Map<string, MediumUser>;
  readonly publications: Map<string, MediumPublication>;
  addUser(token: string, user: MediumUser): MediumUser;
  addPublication(p: MediumPublication): MediumPublication;
  /** Posts created by a user within the current rolling window. */
  postsInWindow(userId: string): number;
  /** Current simulator time in ms. */
  now(): number;
  /** Move the simulator clock forward (or back, with a negative value). */
  advanceTime(ms: number): void;
  /** Current clock offset in ms (settable). */
  clockOffsetMs: number;
}

function slugify(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'untitled'
  );
}

/** "Titles longer than 100 characters will be ignored … a title will be synthesized from the first content." */
function synthesizeTitle(content: string, format: 'html' | 'markdown'): string {
  const text =
    format === 'html'
      ? content
          .replace(/<(br|\/p|\/h[1-6]|\/li|\/blockquote|\/pre|\/div)\b[^>]*>/gi, '\n')
          .replace(/<[^>]+>/g, '')
          .replace(/&nbsp;/g, ' ')
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
      : content.replace(/^#{1,6}\s+/gm, '').replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/[*_`>]/g, '');
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  return (first ?? 'Untitled').slice(0, 100).trim();
}

export function createMediumSimulator(options: MediumSimulatorOptions = {}): MediumSimulator {
  const maxPerWindow = options.dailyLimit?.max ?? MEDIUM_DAILY_LIMIT;
  const windowMs = options.dailyLimit?.windowMs ?? MEDIUM_DAILY_WINDOW_MS;
  const requireJson = options.requireJsonContentType ?? true;
  const baseNow = options.now ?? Date.now;
  const posts = new Map<string, MediumPost>();
  const images: MediumImage[] = [];
  const tokens = new Map<string, MediumUser>();
  const publications = new Map<string, MediumPublication>();
  const windows = new Map<string, SlidingWindow>();

  function seed(): void {
    tokens.set(MEDIUM_TEST_TOKEN, { ...MEDIUM_DEFAULT_USER });
    publications.set(MEDIUM_EDITOR_PUBLICATION_ID, {
      id: MEDIUM_EDITOR_PUBLICATION_ID,
      name: 'Developers',
      description: 'A publication the test user edits',
      contributors: [{ userId: MEDIUM_DEFAULT_USER.id, role: 'editor' }],
    });
    publications.set(MEDIUM_WRITER_PUBLICATION_ID, {
      id: MEDIUM_WRITER_PUBLICATION_ID,
      name: 'About Medium',
      description: 'A publication the test user writes for',
      contributors: [
        { userId: '1c9c63b15b874d3e354340b7d7458d55e', role: 'editor' },
        { userId: MEDIUM_DEFAULT_USER.id, role: 'writer' },
      ],
    });
    publications.set(MEDIUM_OTHER_PUBLICATION_ID, {
      id: MEDIUM_OTHER_PUBLICATION_ID,
      name: 'Someone Else',
      description: 'A publication the test user does not belong to',
      contributors: [{ userId: '1cc07499453463518b77d31650c0b5360', role: 'editor' }],
    });
  }
  seed();

  const now = () => baseNow() + sim.clockOffsetMs;

  function windowFor(userId: string): SlidingWindow {
    let w = windows.get(userId);
    if (!w) {
      w = new SlidingWindow(maxPerWindow, windowMs);
      windows.set(userId, w);
    }
    return w;
  }

  const ok = (status: number, data: unknown): SimulatorResponse => ({ status, body: { data } });
  const fail = (status: number, code: number, message: string, headers?: Record<string, string>): SimulatorResponse => ({
    status,
    headers,
    body: { errors: [{ message, code }] },
  });
  const invalid = (message: string) => fail(MEDIUM_ERRORS.invalidField.status, MEDIUM_ERRORS.invalidField.code, message);
  const forbidden = (message: string) => fail(MEDIUM_ERRORS.forbidden.status, MEDIUM_ERRORS.forbidden.code, message);
  const notFound = () => fail(MEDIUM_ERRORS.notFound.status, MEDIUM_ERRORS.notFound.code, MEDIUM_ERRORS.notFound.message);

  /**
   * Missing token (no header, or no `Bearer` credentials): 401 code 6000, verbatim. Unknown token: 401 with the
   * UNVERIFIED "Token was invalid." / 6003 (the docs only say "401 Unauthorized: the accessToken is invalid or has
   * been revoked").
   */
  function authenticate(header: string | string[] | undefined): MediumUser | SimulatorResponse {
    const raw = (Array.isArray(header) ? header[0] : header)?.trim();
    const m = raw ? /^bearer\s+(\S+)\s*$/i.exec(raw) : null;
    if (!m) return fail(MEDIUM_ERRORS.missingToken.status, MEDIUM_ERRORS.missingToken.code, MEDIUM_ERRORS.missingToken.message);
    const user = tokens.get(m[1]);
    if (!user) return fail(MEDIUM_ERRORS.invalidToken.status, MEDIUM_ERRORS.invalidToken.code, MEDIUM_ERRORS.invalidToken.message);
    return user;
  }

  function userJson(u: MediumUser) {
    return {
      id: u.id,
      username: u.username,
      name: u.name,
      url: `https://medium.com/@${u.username}`,
      imageUrl: `https://cdn-images-1.medium.com/fit/c/400/400/${u.id.slice(0, 12)}.png`,
    };
  }

  function publicationJson(p: MediumPublication) {
    return {
      id: p.id,
      name: p.name,
      description: p.description ?? '',
      url: `https://medium.com/${slugify(p.name)}`,
      imageUrl: `https://cdn-images-1.medium.com/fit/c/200/200/${p.id}.png`,
    };
  }

  function postJson(p: MediumPost): Record<string, unknown> {
    const out: Record<string, unknown> = { id: p.id, title: p.title, authorId: p.authorId, tags: p.tags, url: p.url };
    if (p.canonicalUrl !== undefined) out.canonicalUrl = p.canonicalUrl; // omitted when not set
    out.publishStatus = p.publishStatus;
    if (p.publishedAt !== undefined) out.publishedAt = p.publishedAt; // omitted for drafts
    out.license = p.license;
    out.licenseUrl = p.licenseUrl;
    if (p.publicationId) out.publicationId = p.publicationId;
    return out;
  }

  interface PostInput {
    title: string;
    requestedTitle: string;
    contentFormat: 'html' | 'markdown';
    content: string;
    tags: string[];
    requestedTags: string[];
    canonicalUrl?: string;
    publishStatus: MediumPublishStatus;
    license: MediumLicense;
    notifyFollowers?: boolean;
  }

  /** Validates a create-post body; the 400 code and messages are UNVERIFIED (see MEDIUM_ERRORS.invalidField). */
  function parsePostBody(body: unknown): PostInput | SimulatorResponse {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return invalid('The request body must be a JSON object.');
    const b = body as Record<string, unknown>;
    if (typeof b.title !== 'string' || !b.title.trim()) return invalid('Missing or invalid field: title.');
    if (b.contentFormat !== 'html' && b.contentFormat !== 'markdown') {
      return invalid('Missing or invalid field: contentFormat. Valid values are "html" and "markdown".');
    }
    if (typeof b.content !== 'string' || !b.content.trim()) return invalid('Missing or invalid field: content.');
    let requestedTags: string[] = [];
    if (b.tags !== undefined && b.tags !== null) {
      if (!Array.isArray(b.tags) || b.tags.some((t) => typeof t !== 'string')) return invalid('Invalid field: tags must be an array of strings.');
      requestedTags = b.tags as string[];
    }
    if (b.canonicalUrl !== undefined && b.canonicalUrl !== null && typeof b.canonicalUrl !== 'string') {
      return invalid('Invalid field: canonicalUrl.');
    }
    const publishStatus = (b.publishStatus ?? 'public') as MediumPublishStatus;
    if (!MEDIUM_PUBLISH_STATUSES.includes(publishStatus)) {
      return invalid('Invalid field: publishStatus. Valid values are "public", "draft" and "unlisted".');
    }
    const license = (b.license ?? 'all-rights-reserved') as MediumLicense;
    if (!MEDIUM_LICENSES.includes(license)) return invalid(`Invalid field: license. Valid values are ${MEDIUM_LICENSES.map((l) => `"${l}"`).join(', ')}.`);
    if (b.notifyFollowers !== undefined && typeof b.notifyFollowers !== 'boolean') return invalid('Invalid field: notifyFollowers.');
    const contentFormat = b.contentFormat;
    const requestedTitle = b.title;
    // "Titles longer than 100 characters will be ignored" → synthesize one from the content. Characters are
    // code points (an emoji is one), not UTF-16 units.
    const title = [...requestedTitle].length > 100 ? synthesizeTitle(b.content, contentFormat) : requestedTitle;
    // "Only the first three will be used. Tags longer than 25 characters will be ignored." The order of the two
    // rules is UNVERIFIED: the simulator drops over-long tags first, then keeps the first three of the rest.
    const tags = requestedTags.map((t) => t.trim()).filter((t) => t && [...t].length <= 25).slice(0, 3);
    return {
      title,
      requestedTitle,
      contentFormat,
      content: b.content,
      tags,
      requestedTags,
      canonicalUrl: typeof b.canonicalUrl === 'string' && b.canonicalUrl ? b.canonicalUrl : undefined,
      publishStatus,
      license,
      notifyFollowers: b.notifyFollowers as boolean | undefined,
    };
  }

  function jsonBodyCheck(req: { headers: Record<string, unknown> }, record: RecordedRequest): SimulatorResponse | undefined {
    const ct = String(req.headers['content-type'] ?? '');
    if (requireJson && !/^application\/json\b/i.test(ct)) return invalid('Content-Type must be application/json.');
    if (record.rawBody && record.body === undefined) return invalid('The request body is not valid JSON.');
    return undefined;
  }

  function createPost(user: MediumUser, input: PostInput, publication?: MediumPublication): SimulatorResponse {
    // The rolling daily limit: every created post (drafts included) counts; rejected requests do not. No
    // Retry-After is documented (UNVERIFIED), so none is sent unless `retryAfter` is set.
    const t = now();
    const w = windowFor(user.id);
    const wait = w.waitMs(t);
    if (wait > 0) {
      const headers = options.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) } : undefined;
      return fail(MEDIUM_ERRORS.rateLimited.status, MEDIUM_ERRORS.rateLimited.code, MEDIUM_ERRORS.rateLimited.message, headers);
    }
    w.add(t);
    const id = crypto.randomBytes(6).toString('hex');
    const base = publication ? `https://medium.com/${slugify(publication.name)}` : `https://medium.com/@${user.username}`;
    const post: MediumPost = {
      id,
      title: input.title,
      requestedTitle: input.requestedTitle,
      authorId: user.id,
      tags: input.tags,
      requestedTags: input.requestedTags,
      url: `${base}/${slugify(input.title)}-${id}`,
      canonicalUrl: input.canonicalUrl,
      publishStatus: input.publishStatus,
      publishedAt: input.publishStatus === 'draft' ? undefined : t,
      license: input.license,
      licenseUrl: LICENSE_URLS[input.license],
      contentFormat: input.contentFormat,
      content: input.content,
      notifyFollowers: input.notifyFollowers,
      publicationId: publication?.id,
      pendingApproval: publication && input.publishStatus === 'draft' ? true : undefined,
      createdAt: t,
    };
    posts.set(id, post);
    return ok(201, postJson(post));
  }

  function handle(req: { headers: Record<string, string | string[] | undefined> }, record: RecordedRequest): SimulatorResponse {
    const { method } = record;
    const m = /^\/v1(\/.*)$/.exec(record.path.replace(/\/+$/, ''));
    const route = m?.[1] ?? '';
    const parts = route.split('/').filter(Boolean);

    // Routing first: anything that is not one of the documented endpoints does not exist (404), whatever the auth.
    type Route = 'me' | 'publications' | 'contributors' | 'userPosts' | 'publicationPosts' | 'images';
    let which: Route | undefined;
    if (method === 'GET' && parts.length === 1 && parts[0] === 'me') which = 'me';
    else if (method === 'GET' && parts.length === 3 && parts[0] === 'users' && parts[2] === 'publications') which = 'publications';
    else if (method === 'GET' && parts.length === 3 && parts[0] === 'publications' && parts[2] === 'contributors') which = 'contributors';
    else if (method === 'POST' && parts.length === 3 && parts[0] === 'users' && parts[2] === 'posts') which = 'userPosts';
    else if (method === 'POST' && parts.length === 3 && parts[0] === 'publications' && parts[2] === 'posts') which = 'publicationPosts';
    else if (method === 'POST' && parts.length === 1 && parts[0] === 'images') which = 'images';
    if (!which) return notFound();

    const auth = authenticate(req.headers.authorization);
    if (!('id' in auth)) return auth;
    const user = auth;

    switch (which) {
      case 'me':
        return ok(200, userJson(user));
      case 'publications': {
        if (parts[1] !== user.id) return forbidden('You may not list publications for another user.');
        const list = [...publications.values()].filter((p) => p.contributors.some((c) => c.userId === user.id));
        return ok(200, list.map(publicationJson));
      }
      case 'contributors': {
        const pub = publications.get(parts[1]);
        // UNVERIFIED: the docs list no 404 here; an unknown publication answers 404 in the simulator.
        if (!pub) return notFound();
        return ok(
          200,
          pub.contributors.map((c) => ({ publicationId: pub.id, userId: c.userId, role: c.role })),
        );
      }
      case 'userPosts': {
        const bad = jsonBodyCheck(req, record);
        if (bad) return bad;
        if (parts[1] !== user.id) return forbidden('You do not have permission to publish as this user.');
        const input = parsePostBody(record.body);
        if ('status' in input) return input;
        return createPost(user, input);
      }
      case 'publicationPosts': {
        const bad = jsonBodyCheck(req, record);
        if (bad) return bad;
        const pub = publications.get(parts[1]);
        const role = pub?.contributors.find((c) => c.userId === user.id)?.role;
        // Unknown publication or not a contributor: 403 ("doesn't point to a publication that the user can publish into").
        if (!pub || !role) return forbidden('You do not have permission to publish into this publication.');
        const input = parsePostBody(record.body);
        if ('status' in input) return input;
        // A writer may only create drafts (pending approval). UNVERIFIED whether Medium rejects or silently turns a
        // writer's public post into a draft; the simulator rejects with 403.
        if (role === 'writer' && input.publishStatus !== 'draft') {
          return forbidden('Writers may only create draft posts in this publication.');
        }
        return createPost(user, input, pub);
      }
      case 'images': {
        const ct = String(req.headers['content-type'] ?? '');
        if (!/^multipart\/form-data\b/i.test(ct)) return invalid('Images must be sent as multipart/form-data.');
        const part = /Content-Disposition:\s*form-data;\s*name="image"[^\r\n]*\r?\nContent-Type:\s*([^\r\n]+)/i.exec(record.rawBody);
        if (!part) return invalid('Missing field: image.');
        const type = part[1].trim().toLowerCase();
        if (!['image/jpeg', 'image/png', 'image/gif', 'image/tiff'].includes(type)) return invalid(`Unsupported image type: ${type}.`);
        const md5 = crypto.createHash('md5').update(record.rawBody).digest('hex');
        const ext = type.split('/')[1].replace('jpeg', 'jpg');
        const image: MediumImage = { url: `https://cdn-images-1.medium.com/0*${md5.slice(0, 16)}.${ext}`, md5, contentType: type, bytes: Buffer.byteLength(record.rawBody) };
        images.push(image);
        return ok(201, { url: image.url, md5: image.md5 });
      }
    }
  }

  const server = new SimulatorServer(({ req, record }) => handle(req as { headers: Record<string, string | string[] | undefined> }, record));

  const sim: MediumSimulator = {
    listen: (port?: number) => server.listen(port).then(() => sim.url),
    close: () => server.close(),
    get url() {
      return `${server.url}/v1`;
    },
    server,
    reset() {
      posts.clear();
      images.length = 0;
      tokens.clear();
      publications.clear();
      windows.clear();
      sim.clockOffsetMs = 0;
      server.requests.length = 0;
      server.clearFaults();
      seed();
    },
    posts,
    images,
    tokens,
    publications,
    addUser(token, user) {
      tokens.set(token, user);
      return user;
    },
    addPublication(p) {
      publications.set(p.id, p);
      return p;
    },
    postsInWindow(userId) {
      return windows.get(userId)?.count(now()) ?? 0;
    },
    now,
    advanceTime(ms) {
      sim.clockOffsetMs += ms;
    },
    clockOffsetMs: 0,
  };
  return sim;
}
