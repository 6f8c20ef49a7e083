/**
 * The fault matrix: for each platform, every kind of failure a create can meet, injected into the platform
 * simulator, must end in the right state, after the right platform calls (read from the attempt rows), with
 * a message an editor can act on, and never with a second copy on the platform.
 *
 * One Strapi per platform (only that platform configured), cases run one after the other, each with its own
 * article. Timeouts are quick (CROSSPOST_HTTP_TIMEOUT_MS=500) and retries are 50–400 ms apart. Waits that are
 * long by design (a 429 without Retry-After: 30 s on DEV, 1 min on Hashnode, 1 h on Medium) are checked on
 * the row, then the delayed job is promoted in Bull ("time passes") and the publish must complete.
 *
 * Expected outcomes (DESIGN.md §5):
 * - DEV / Hashnode: 5xx on a create, a timeout, a reset or an unreadable answer are ambiguous → the next
 *   attempt looks the create up → not found: create again; found: adopt it (and sync it with an update).
 * - Medium cannot look anything up: every ambiguous outcome ends `unconfirmed`, never retried on its own.
 * - 429: retried when the platform says (Retry-After wins), without using the retry budget.
 * - 401 / 422 / Hashnode BAD_USER_INPUT or Pro gate / a retired endpoint (HTML 301): `failed`, no retry.
 */
import Bull from 'bull';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import {
  createHashnodeSimulator,
  HASHNODE_DEFAULT_PUBLICATION_ID,
  HASHNODE_PRO_FORBIDDEN_MESSAGE,
  HASHNODE_TEST_TOKEN,
  type HashnodeSimulator,
} from '../simulators/hashnode';
import { createMediumSimulator, MEDIUM_ERRORS, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../simulators/medium';
import type { Fault, SimulatorServer } from '../simulators/base';
import {
  BOOT_TIMEOUT_MS,
  canonicalOf,
  clearAfterCommit,
  injectAfterCommit,
  publishArticle,
  startFaultApp,
  TERMINAL,
  type AfterCommitFault,
  type FaultApp,
} from '../helpers/fault';
import { attemptsFor, waitForStatus, type Row } from '../helpers/publications';
import { waitFor } from '../helpers/strapi';

jest.setTimeout(60_000);

const TIMEOUT_MS = 500;
const MATRIX_ENV = {
  CROSSPOST_HTTP_TIMEOUT_MS: String(TIMEOUT_MS),
  CROSSPOST_RETRY_BASE_MS: '50',
  CROSSPOST_RETRY_MAX_MS: '400',
  CROSSPOST_RETRY_ATTEMPTS: '5',
};

type Platform = 'devto' | 'hashnode' | 'medium';

interface Expect {
  /** Final row status. */
  status: 'published' | 'failed' | 'unconfirmed';
  /** The attempt rows, in order, as "operation:outcome[:httpStatus]". */
  trail: string[];
  /** Copies of the article on the platform at the end. */
  copies: number;
  /** failed / unconfirmed: the row's lastError, exactly. */
  lastError?: string;
  /** The first attempt's message (what the history shows for the failure that was recovered from). */
  firstMessage?: string;
  /** Minimum time between the first and the second create request (Retry-After honoured). */
  minGapMs?: number;
}

interface Case {
  name: string;
  faults?: Fault[];
  afterCommit?: AfterCommitFault[];
  /** Extra set-up / tear-down around the publish (e.g. a publication that loses its Pro plan). */
  before?: () => void;
  after?: () => void;
  /** A long wait by design: check the waiting row, then promote the delayed job. */
  waits?: { minMs: number; maxMs: number; lastError: string };
  expect: Expect;
}

/** Attempt trails after an ambiguous create: nothing was saved (look, then create) or it was (adopt, then sync). */
const lookThenCreate = ['lookup:success', 'create:success'];
const adoptThenSync = ['lookup:adopted', 'update:success'];

/**
 * DEV and Hashnode recover from a lost answer the same way: if nothing was saved the lookup finds
 * nothing and the create runs again; if it was saved the lookup adopts it. One copy either way.
 */
function lostAnswerCases(platform: 'DEV' | 'Hashnode', match: Fault['match'], noun: string): Case[] {
  const ambiguous = (what: string) => `${platform} ${what} after the article was sent; it may or may not have been created.`;
  return [
    {
      name: `timeout before ${platform} saved anything → ambiguous → lookup finds nothing → create → published`,
      faults: [{ kind: 'timeout-before', match }],
      expect: { status: 'published', trail: ['create:ambiguous', ...lookThenCreate], copies: 1, firstMessage: ambiguous('did not answer in time') },
    },
    {
      name: `timeout after ${platform} saved it → lookup adopts it → one ${noun}`,
      faults: [{ kind: 'timeout-after', match }],
      expect: { status: 'published', trail: ['create:ambiguous', ...adoptThenSync], copies: 1, firstMessage: ambiguous('did not answer in time') },
    },
    {
      name: 'connection reset before saving → ambiguous → lookup → create → published',
      faults: [{ kind: 'reset-before', match }],
      expect: { status: 'published', trail: ['create:ambiguous', ...lookThenCreate], copies: 1, firstMessage: ambiguous('closed the connection (ECONNRESET)') },
    },
    {
      name: `connection reset after saving → lookup adopts → one ${noun}`,
      faults: [{ kind: 'reset-after', match }],
      expect: { status: 'published', trail: ['create:ambiguous', ...adoptThenSync], copies: 1, firstMessage: ambiguous('closed the connection (ECONNRESET)') },
    },
  ];
}

function trailOf(attempts: Row[]): string[] {
  return attempts.map((a) => [a.operation, a.outcome, a.httpStatus].filter((x) => x !== null && x !== undefined).join(':'));
}

/** Runs one case on a fresh article and checks everything in `expect`. */
async function runCase(ctx: PlatformCtx, c: Case, index: number): Promise<void> {
  const { strapi } = ctx.app!;
  ctx.server.clearFaults();
  clearAfterCommit(ctx.server);
  const slug = `${ctx.platform}-m${index}`;
  for (const f of c.faults ?? []) ctx.server.inject(f);
  for (const f of c.afterCommit ?? []) injectAfterCommit(ctx.server, f);
  c.before?.();
  try {
    const documentId = await publishArticle(strapi, slug, `Matrix ${ctx.platform} ${index}`);
    if (c.waits) {
      const waiting = await waitFor(
        async () => {
          const r = (await strapi.db.query('plugin::crosspost.publication').findOne({ where: { targetDocumentId: documentId } })) as Row | null;
          return r && r.status === 'retrying' ? r : null;
        },
        { timeoutMs: 15000, what: `${c.name}: row retrying` },
      );
      const inMs = new Date(waiting.nextAttemptAt).getTime() - Date.now();
      expect(inMs).toBeGreaterThan(c.waits.minMs - 2000);
      expect(inMs).toBeLessThan(c.waits.maxMs);
      // Waiting for a rate limit is not a failure: the retry budget is untouched.
      expect({ status: waiting.status, attempts: waiting.attempts, kind: waiting.lastErrorKind, lastError: waiting.lastError }).toEqual({
        status: 'retrying',
        attempts: 0,
        kind: 'rate-limited',
        lastError: c.waits.lastError,
      });
      await promote(ctx, waiting);
    }
    const row = await waitForStatus(strapi, documentId, ctx.platform, TERMINAL, 20000);
    const attempts = await attemptsFor(strapi, row.id);
    const got = {
      status: row.status,
      trail: trailOf(attempts),
      copies: ctx.copies(canonicalOf(slug)),
      ...(c.expect.lastError !== undefined ? { lastError: row.lastError } : {}),
      ...(c.expect.firstMessage !== undefined ? { firstMessage: attempts[0]?.message } : {}),
    };
    const { minGapMs, ...wanted } = c.expect;
    expect(got).toEqual(wanted);
    if (row.status === 'published') {
      expect(row.lastError).toBeNull();
      expect(row.attempts).toBe(0);
      expect(row.remoteId).toBeTruthy();
    } else {
      expect(row.remoteId).toBeNull();
    }
    if (minGapMs !== undefined) {
      const creates = ctx.createRequests(canonicalOf(slug));
      expect(creates.length).toBeGreaterThanOrEqual(2);
      expect(creates[1].at - creates[0].at).toBeGreaterThanOrEqual(minGapMs);
    }
  } finally {
    c.after?.();
  }
}

/**
 * The entry is edited and published again while the platform sits on a create it has already saved (the
 * answer never comes: the client times out). The create's outcome is unknown, so whatever runs next must
 * look it up (DEV, Hashnode) or stop at `unconfirmed` (Medium): never create a second copy.
 */
async function runReplanDuringAmbiguousCreate(ctx: PlatformCtx, createMatch: Fault['match'], expected: { status: 'published' | 'unconfirmed'; trail: string[] }): Promise<void> {
  const { strapi } = ctx.app!;
  ctx.server.clearFaults();
  clearAfterCommit(ctx.server);
  const slug = `${ctx.platform}-replan`;
  ctx.server.inject({ kind: 'timeout-after', match: createMatch });
  const documentId = await publishArticle(strapi, slug, `Replan ${ctx.platform}`);
  // The create reached the platform (and was saved); the answer will never come.
  await waitFor(() => ctx.createRequests(canonicalOf(slug)).length === 1, { what: 'the create request' });
  const docs = strapi.documents('api::article.article' as never) as any;
  await docs.update({ documentId, data: { bodyMarkdown: 'Edited while the platform was busy.' } });
  await docs.publish({ documentId });
  const row = await waitForStatus(strapi, documentId, ctx.platform, TERMINAL, 20000);
  await new Promise((r) => setTimeout(r, 1500)); // let any follow-up job run
  const final = (await strapi.db.query('plugin::crosspost.publication').findOne({ where: { id: row.id } })) as Row;
  const attempts = await attemptsFor(strapi, row.id);
  expect({ copies: ctx.copies(canonicalOf(slug)), createRequests: ctx.createRequests(canonicalOf(slug)).length, status: final.status, trail: trailOf(attempts) }).toEqual({
    copies: 1,
    createRequests: 1,
    ...expected,
  });
  // Where the platform can update, the one copy carries the edit.
  if (ctx.body) expect(ctx.body(canonicalOf(slug))).toContain('Edited while the platform was busy.');
}

/** "Time passes": the delayed job of the row runs now (what Bull does when its delay is over). */
async function promote(ctx: PlatformCtx, row: Row): Promise<void> {
  const queue = new Bull(`crosspost:${ctx.platform}`, ctx.app!.env.CROSSPOST_REDIS_URL, { prefix: ctx.app!.prefix });
  try {
    const job = await waitFor(() => queue.getJob(`pub-${row.id}-${row.jobSeq}`), { what: `job pub-${row.id}-${row.jobSeq}` });
    expect(await job.getState()).toBe('delayed');
    await job.promote();
  } finally {
    await queue.close();
  }
}

interface PlatformCtx {
  platform: Platform;
  app?: FaultApp;
  server: SimulatorServer;
  copies(canonical: string): number;
  /** The copy's body (platforms that can update). */
  body?(canonical: string): string | undefined;
  createRequests(canonical: string): Array<{ at: number }>;
}

const html502 = { kind: 'status' as const, status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
const html504 = { kind: 'status' as const, status: 504, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>504 Gateway Time-out</h1></body></html>' };

// ================================================================================================ DEV

describe('DEV', () => {
  let devto: DevtoSimulator;
  const ctx = { platform: 'devto' } as PlatformCtx;
  const create = { method: 'POST', path: '/api/articles' };
  const ambiguous = (what: string) => `DEV ${what} after the article was sent; it may or may not have been created.`;

  beforeAll(async () => {
    devto = createDevtoSimulator({ limits: false });
    await devto.listen();
    ctx.server = devto.server;
    ctx.copies = (canonical) => devto.articles.filter((a) => a.canonicalUrl === canonical).length;
    ctx.body = (canonical) => devto.articles.find((a) => a.canonicalUrl === canonical)?.bodyMarkdown;
    ctx.createRequests = (canonical) => devto.server.requestsTo('POST', '/api/articles').filter((r) => (r.body as any)?.article?.canonical_url === canonical);
    ctx.app = await startFaultApp({ env: { ...MATRIX_ENV, CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl } });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await ctx.app?.stop();
    await devto?.close();
  });

  const cases: Case[] = [
    {
      name: '500 on create (nothing saved) → ambiguous → lookup finds nothing → create again → published',
      faults: [{ kind: 'status', match: create, status: 500, body: { error: 'Internal Server Error', status: 500 } }],
      expect: { status: 'published', trail: ['create:ambiguous:500', ...lookThenCreate], copies: 1, firstMessage: 'DEV failed with 500 after the article was sent: Internal Server Error; it may or may not have been created.' },
    },
    {
      name: '500 on create after DEV saved it → lookup adopts it → one article',
      afterCommit: [{ match: create, respond: { status: 500, body: { error: 'Internal Server Error', status: 500 } } }],
      expect: { status: 'published', trail: ['create:ambiguous:500', ...adoptThenSync], copies: 1 },
    },
    {
      name: '502 (HTML from the proxy) → ambiguous → lookup → create → published',
      faults: [{ ...html502, match: create }],
      expect: { status: 'published', trail: ['create:ambiguous:502', ...lookThenCreate], copies: 1, firstMessage: ambiguous('failed with 502') },
    },
    {
      name: '503 → ambiguous → lookup → create → published',
      faults: [{ kind: 'status', match: create, status: 503, headers: { 'retry-after': '0' }, body: { error: 'Service Unavailable', status: 503 } }],
      expect: { status: 'published', trail: ['create:ambiguous:503', ...lookThenCreate], copies: 1, firstMessage: 'DEV failed with 503 after the article was sent: Service Unavailable; it may or may not have been created.' },
    },
    {
      name: '504 → ambiguous → lookup → create → published',
      faults: [{ ...html504, match: create }],
      expect: { status: 'published', trail: ['create:ambiguous:504', ...lookThenCreate], copies: 1, firstMessage: ambiguous('failed with 504') },
    },
    {
      name: '429 with Retry-After: 1 → retried after ≥ 1 s → published, budget untouched',
      faults: [{ kind: 'status', match: create, status: 429, headers: { 'retry-after': '1' }, body: { error: 'Rate limit reached, try again in 1 seconds', status: 429 } }],
      expect: {
        status: 'published',
        trail: ['create:rate-limited:429', 'create:success'],
        copies: 1,
        firstMessage: 'DEV rate limit reached: Rate limit reached, try again in 1 seconds; will retry when it allows.',
        minGapMs: 1000,
      },
    },
    {
      name: '429 six times (more than the 5-attempt budget) → still published: 429s do not use the budget',
      faults: [{ kind: 'status', match: create, status: 429, times: 6, headers: { 'retry-after': '0' }, body: { error: 'Rate limit reached, try again in 0 seconds', status: 429 } }],
      expect: { status: 'published', trail: [...Array(6).fill('create:rate-limited:429'), 'create:success'], copies: 1 },
    },
    {
      name: "429 without Retry-After → waits DEV's 30 s window (not failed, budget untouched) → then published",
      faults: [{ kind: 'status', match: create, status: 429, body: 'Retry later\n', headers: { 'content-type': 'text/plain' } }],
      waits: { minMs: 30000, maxMs: 37000, lastError: 'DEV rate limit reached: Retry later; will retry when it allows.' },
      expect: { status: 'published', trail: ['create:rate-limited:429', 'create:success'], copies: 1 },
    },
    ...lostAnswerCases('DEV', create, 'article'),
    {
      name: '401 → failed at once, no retry, says to check the API key',
      faults: [{ kind: 'status', match: create, status: 401, body: { error: 'unauthorized', status: 401 } }],
      expect: { status: 'failed', trail: ['create:permanent:401'], copies: 0, lastError: 'DEV rejected the credentials (401). Check the API key/token in the plugin config.' },
    },
    {
      name: "422 → failed with DEV's own words, no retry",
      faults: [{ kind: 'status', match: create, status: 422, body: { error: 'Tag "github-actions" contains non-alphanumeric or prohibited unicode characters', status: 422 } }],
      expect: {
        status: 'failed',
        trail: ['create:permanent:422'],
        copies: 0,
        lastError: 'DEV rejected the article: Tag "github-actions" contains non-alphanumeric or prohibited unicode characters',
      },
    },
    {
      name: 'malformed JSON (nothing saved) → ambiguous → lookup finds nothing → create → published',
      faults: [{ kind: 'malformed', match: create }],
      expect: { status: 'published', trail: ['create:ambiguous:200', ...lookThenCreate], copies: 1, firstMessage: 'DEV answered with an unreadable body; the change may have been saved.' },
    },
    {
      name: 'malformed JSON after DEV saved it → lookup adopts → one article',
      afterCommit: [{ match: create, respond: 'malformed' }],
      expect: { status: 'published', trail: ['create:ambiguous:200', ...adoptThenSync], copies: 1, firstMessage: 'DEV answered with an unreadable body; the change may have been saved.' },
    },
    {
      name: 'HTML 301 (retired endpoint) → failed: the endpoint moved',
      faults: [{ kind: 'html-redirect', match: create }],
      expect: {
        status: 'failed',
        trail: ['create:permanent:301'],
        copies: 0,
        lastError: 'DEV answered 301 (moved to https://example.invalid/changelog): the API endpoint has changed. Check the devto base URL in the plugin config.',
      },
    },
  ];

  test.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => runCase(ctx, c, i));

  test('edited and published again during a create that timed out after DEV saved it → lookup, one article, no second create', async () =>
    runReplanDuringAmbiguousCreate(ctx, create, { status: 'published', trail: ['create:ambiguous', ...adoptThenSync] }));
});

// ================================================================================================ Hashnode

describe('Hashnode', () => {
  let hashnode: HashnodeSimulator;
  const ctx = { platform: 'hashnode' } as PlatformCtx;
  const create = { operation: 'publishPost' };
  const ambiguous = (what: string) => `Hashnode ${what} after the article was sent; it may or may not have been created.`;
  const gql = (code: string, message: string) => ({ data: null, errors: [{ message, extensions: { code } }] });
  const tokenMessage = (said: string) => `Hashnode did not accept the token ("${said}"): check the token (CROSSPOST_HASHNODE_TOKEN). Tokens of deactivated accounts do not work.`;

  beforeAll(async () => {
    hashnode = createHashnodeSimulator();
    await hashnode.listen();
    ctx.server = hashnode.server;
    ctx.copies = (canonical) => [...hashnode.posts.values()].filter((p) => p.canonicalUrl === canonical).length;
    ctx.body = (canonical) => [...hashnode.posts.values()].find((p) => p.canonicalUrl === canonical)?.contentMarkdown;
    ctx.createRequests = (canonical) =>
      hashnode.server.requests.filter((r) => r.operation === 'publishPost' && (r.body as any)?.variables?.input?.originalArticleURL === canonical);
    ctx.app = await startFaultApp({
      env: {
        ...MATRIX_ENV,
        CROSSPOST_HASHNODE_TOKEN: HASHNODE_TEST_TOKEN,
        CROSSPOST_HASHNODE_PUBLICATION_ID: HASHNODE_DEFAULT_PUBLICATION_ID,
        CROSSPOST_HASHNODE_BASE_URL: hashnode.url,
      },
    });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await ctx.app?.stop();
    await hashnode?.close();
  });

  const cases: Case[] = [
    {
      name: '500 on publishPost → ambiguous → lookup by slug finds nothing → publish again → published',
      faults: [{ kind: 'status', match: create, status: 500 }],
      expect: { status: 'published', trail: ['create:ambiguous:500', ...lookThenCreate], copies: 1, firstMessage: ambiguous('failed with 500') },
    },
    {
      name: '500 after Hashnode saved the post → lookup adopts it → one post',
      afterCommit: [{ match: create, respond: { status: 500, body: gql('INTERNAL_SERVER_ERROR', 'Internal server error') } }],
      expect: { status: 'published', trail: ['create:ambiguous:500', ...adoptThenSync], copies: 1, firstMessage: 'Hashnode failed with 500 after the article was sent: Internal server error; it may or may not have been created.' },
    },
    {
      name: '502 → ambiguous → lookup → publish → published',
      faults: [{ ...html502, match: create }],
      expect: { status: 'published', trail: ['create:ambiguous:502', ...lookThenCreate], copies: 1, firstMessage: ambiguous('failed with 502') },
    },
    {
      name: '503 → ambiguous → lookup → publish → published',
      faults: [{ kind: 'status', match: create, status: 503 }],
      expect: { status: 'published', trail: ['create:ambiguous:503', ...lookThenCreate], copies: 1, firstMessage: ambiguous('failed with 503') },
    },
    {
      name: '504 → ambiguous → lookup → publish → published',
      faults: [{ ...html504, match: create }],
      expect: { status: 'published', trail: ['create:ambiguous:504', ...lookThenCreate], copies: 1, firstMessage: ambiguous('failed with 504') },
    },
    {
      name: '429 with Retry-After: 1 → retried after ≥ 1 s → published',
      faults: [{ kind: 'status', match: create, status: 429, headers: { 'retry-after': '1' }, body: gql('TOO_MANY_REQUESTS', 'Too many requests') }],
      expect: {
        status: 'published',
        trail: ['create:rate-limited:429', 'create:success'],
        copies: 1,
        firstMessage: 'Hashnode rate limit reached ("Too many requests"); will retry when it allows.',
        minGapMs: 1000,
      },
    },
    {
      name: '429 six times → still published: 429s do not use the budget',
      faults: [{ kind: 'status', match: create, status: 429, times: 6, headers: { 'retry-after': '0' }, body: gql('TOO_MANY_REQUESTS', 'Too many requests') }],
      expect: { status: 'published', trail: [...Array(6).fill('create:rate-limited:429'), 'create:success'], copies: 1 },
    },
    {
      name: '429 without Retry-After → waits a minute (not failed) → then published',
      faults: [{ kind: 'status', match: create, status: 429, body: gql('TOO_MANY_REQUESTS', 'Too many requests') }],
      waits: { minMs: 60000, maxMs: 73000, lastError: 'Hashnode rate limit reached ("Too many requests"); will retry when it allows.' },
      expect: { status: 'published', trail: ['create:rate-limited:429', 'create:success'], copies: 1 },
    },
    ...lostAnswerCases('Hashnode', create, 'post'),
    {
      name: 'HTTP 401 → failed, says to check the token',
      faults: [{ kind: 'status', match: create, status: 401 }],
      expect: { status: 'failed', trail: ['create:permanent:401'], copies: 0, lastError: tokenMessage('HTTP 401') },
    },
    {
      name: 'UNAUTHENTICATED inside a 200 → failed, says to check the token',
      faults: [{ kind: 'status', match: create, status: 200, body: gql('UNAUTHENTICATED', 'You must be authenticated.') }],
      expect: { status: 'failed', trail: ['create:permanent:200'], copies: 0, lastError: tokenMessage('You must be authenticated.') },
    },
    {
      name: "BAD_USER_INPUT inside a 200 → failed with Hashnode's words",
      faults: [{ kind: 'status', match: create, status: 200, body: gql('BAD_USER_INPUT', 'Invalid tag: the slug "c++" may only contain letters, digits and dashes.') }],
      expect: {
        status: 'failed',
        trail: ['create:permanent:200'],
        copies: 0,
        lastError: 'Hashnode rejected the article: Invalid tag: the slug "c++" may only contain letters, digits and dashes.',
      },
    },
    {
      name: 'publication without Pro (the real gate) → failed with the Pro message',
      before: () => {
        hashnode.publications.get(HASHNODE_DEFAULT_PUBLICATION_ID)!.pro = false;
      },
      after: () => {
        hashnode.publications.get(HASHNODE_DEFAULT_PUBLICATION_ID)!.pro = true;
      },
      expect: {
        status: 'failed',
        trail: ['create:permanent:200'],
        copies: 0,
        lastError: `Hashnode's API needs an active Hashnode Pro plan on this publication (CROSSPOST_HASHNODE_PUBLICATION_ID). Upgrade the publication to Pro in Hashnode's dashboard, then retry. Hashnode said: "${HASHNODE_PRO_FORBIDDEN_MESSAGE}"`,
      },
    },
    {
      name: 'INTERNAL_SERVER_ERROR inside a 200 (nothing saved) → ambiguous → lookup → publish → published',
      faults: [{ kind: 'status', match: create, status: 200, body: gql('INTERNAL_SERVER_ERROR', 'Something went wrong') }],
      expect: {
        status: 'published',
        trail: ['create:ambiguous:200', ...lookThenCreate],
        copies: 1,
        firstMessage: 'Hashnode failed with an internal error after the article was sent ("Something went wrong"); it may or may not have been created.',
      },
    },
    {
      name: 'INTERNAL_SERVER_ERROR inside a 200 after saving → lookup adopts → one post',
      afterCommit: [{ match: create, respond: { status: 200, body: gql('INTERNAL_SERVER_ERROR', 'Something went wrong') } }],
      expect: { status: 'published', trail: ['create:ambiguous:200', ...adoptThenSync], copies: 1 },
    },
    {
      name: 'malformed JSON (nothing saved) → ambiguous → lookup → publish → published',
      faults: [{ kind: 'malformed', match: create }],
      expect: { status: 'published', trail: ['create:ambiguous:200', ...lookThenCreate], copies: 1, firstMessage: ambiguous('answered with an unreadable body') },
    },
    {
      name: 'malformed JSON after saving → lookup adopts → one post',
      afterCommit: [{ match: create, respond: 'malformed' }],
      expect: { status: 'published', trail: ['create:ambiguous:200', ...adoptThenSync], copies: 1, firstMessage: ambiguous('answered with an unreadable body') },
    },
    {
      name: 'HTML 301 (retired endpoint) → failed: the endpoint moved',
      faults: [{ kind: 'html-redirect', match: create }],
      expect: {
        status: 'failed',
        trail: ['create:permanent:301'],
        copies: 0,
        lastError:
          'Hashnode answered 301 (moved to https://example.invalid/changelog): this API endpoint has moved or been retired. Set CROSSPOST_HASHNODE_BASE_URL to the current GraphQL endpoint (https://gql-beta.hashnode.com).',
      },
    },
  ];

  test.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => runCase(ctx, c, i));

  test('edited and published again during a create that timed out after Hashnode saved it → lookup, one post, no second publishPost', async () =>
    runReplanDuringAmbiguousCreate(ctx, create, { status: 'published', trail: ['create:ambiguous', ...adoptThenSync] }));
});

// ================================================================================================ Medium

describe('Medium', () => {
  let medium: MediumSimulator;
  const ctx = { platform: 'medium' } as PlatformCtx;
  const create = { method: 'POST', path: /\/posts$/ };
  const unconfirmed = (what: string) =>
    `Medium ${what} after the article was sent; it may or may not have been created. Medium offers no way to check, so it will not be retried automatically: look on Medium, then either enter the post's URL or choose "retry anyway".`;
  const rateLimited = { status: MEDIUM_ERRORS.rateLimited.status, body: { errors: [{ message: MEDIUM_ERRORS.rateLimited.message, code: MEDIUM_ERRORS.rateLimited.code }] } };
  const dailyLimit = "Medium's daily publishing limit is reached (10 posts per 24 hours); will retry when it allows.";

  beforeAll(async () => {
    medium = createMediumSimulator({ dailyLimit: { max: 100000, windowMs: 1000 } });
    await medium.listen();
    ctx.server = medium.server;
    ctx.copies = (canonical) => [...medium.posts.values()].filter((p) => p.canonicalUrl === canonical).length;
    ctx.createRequests = (canonical) => medium.server.requestsTo('POST', /\/posts$/).filter((r) => (r.body as any)?.canonicalUrl === canonical);
    ctx.app = await startFaultApp({ env: { ...MATRIX_ENV, CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN, CROSSPOST_MEDIUM_BASE_URL: medium.url } });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await ctx.app?.stop();
    await medium?.close();
  });

  const cases: Case[] = [
    {
      name: '500 on create → unconfirmed (Medium cannot be searched), never retried, nothing posted',
      faults: [{ kind: 'status', match: create, status: 500 }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:500'], copies: 0, lastError: unconfirmed('failed with 500') },
    },
    {
      name: '500 after Medium saved the post → unconfirmed, exactly one post',
      afterCommit: [{ match: create, respond: { status: 500, body: { errors: [{ message: 'Internal error', code: -1 }] } } }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:500'], copies: 1, lastError: 'Medium failed with 500 after the article was sent: Internal error; it may or may not have been created. Medium offers no way to check, so it will not be retried automatically: look on Medium, then either enter the post\'s URL or choose "retry anyway".' },
    },
    {
      name: '502 → unconfirmed',
      faults: [{ ...html502, match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:502'], copies: 0, lastError: unconfirmed('failed with 502') },
    },
    {
      name: '503 → unconfirmed',
      faults: [{ kind: 'status', match: create, status: 503 }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:503'], copies: 0, lastError: unconfirmed('failed with 503') },
    },
    {
      name: '504 → unconfirmed',
      faults: [{ ...html504, match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:504'], copies: 0, lastError: unconfirmed('failed with 504') },
    },
    {
      name: '429 code 1007 (daily limit, no Retry-After) → waits about an hour, not failed → then published',
      faults: [{ kind: 'status', match: create, ...rateLimited }],
      waits: { minMs: 3600000, maxMs: 3600000 * 1.2 + 5000, lastError: dailyLimit },
      expect: { status: 'published', trail: ['create:rate-limited:429', 'create:success'], copies: 1 },
    },
    {
      name: '429 code 1007 with Retry-After: 1 → retried after ≥ 1 s → published',
      faults: [{ kind: 'status', match: create, ...rateLimited, headers: { 'retry-after': '1' } }],
      expect: { status: 'published', trail: ['create:rate-limited:429', 'create:success'], copies: 1, firstMessage: dailyLimit, minGapMs: 1000 },
    },
    {
      name: '429 six times → still published: 429s do not use the budget',
      faults: [{ kind: 'status', match: create, ...rateLimited, times: 6, headers: { 'retry-after': '0' } }],
      expect: { status: 'published', trail: [...Array(6).fill('create:rate-limited:429'), 'create:success'], copies: 1 },
    },
    {
      name: 'timeout before saving → unconfirmed, nothing posted',
      faults: [{ kind: 'timeout-before', match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous'], copies: 0, lastError: unconfirmed('did not answer in time') },
    },
    {
      name: 'timeout after saving → unconfirmed, exactly one post',
      faults: [{ kind: 'timeout-after', match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous'], copies: 1, lastError: unconfirmed('did not answer in time') },
    },
    {
      name: 'connection reset before saving → unconfirmed',
      faults: [{ kind: 'reset-before', match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous'], copies: 0, lastError: unconfirmed('closed the connection (ECONNRESET)') },
    },
    {
      name: 'connection reset after saving → unconfirmed, exactly one post',
      faults: [{ kind: 'reset-after', match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous'], copies: 1, lastError: unconfirmed('closed the connection (ECONNRESET)') },
    },
    {
      name: '401 → failed, says the integration token is not accepted',
      faults: [{ kind: 'status', match: create, status: 401, body: { errors: [{ message: 'Token was invalid.', code: 6003 }] } }],
      expect: {
        status: 'failed',
        trail: ['create:permanent:401'],
        copies: 0,
        lastError:
          'Medium did not accept the integration token (401: "Token was invalid."): check the integration token (CROSSPOST_MEDIUM_TOKEN). Medium no longer issues new integration tokens, so a revoked one cannot be replaced.',
      },
    },
    {
      name: "400 (validation) → failed with Medium's words",
      faults: [{ kind: 'status', match: create, status: 400, body: { errors: [{ message: 'Invalid field: tags must be an array of strings.', code: 2004 }] } }],
      expect: { status: 'failed', trail: ['create:permanent:400'], copies: 0, lastError: 'Medium rejected the post: Invalid field: tags must be an array of strings.' },
    },
    {
      name: 'malformed JSON → unconfirmed',
      faults: [{ kind: 'malformed', match: create }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:200'], copies: 0, lastError: unconfirmed('answered with an unreadable body') },
    },
    {
      name: 'malformed JSON after saving → unconfirmed, exactly one post',
      afterCommit: [{ match: create, respond: 'malformed' }],
      expect: { status: 'unconfirmed', trail: ['create:ambiguous:200'], copies: 1, lastError: unconfirmed('answered with an unreadable body') },
    },
    {
      name: 'HTML 301 (retired endpoint) → failed: the endpoint moved',
      faults: [{ kind: 'html-redirect', match: create }],
      expect: {
        status: 'failed',
        trail: ['create:permanent:301'],
        copies: 0,
        lastError: 'Medium answered 301 (moved to https://example.invalid/changelog): the API endpoint has moved. Check CROSSPOST_MEDIUM_BASE_URL (default https://api.medium.com/v1).',
      },
    },
  ];

  test.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => runCase(ctx, c, i));

  test('edited and published again during a create that timed out after Medium saved it → unconfirmed, one post, no second create', async () =>
    runReplanDuringAmbiguousCreate(ctx, create, { status: 'unconfirmed', trail: ['create:ambiguous'] }));
});

