/**
 * The one interface every platform connector implements (devto.ts, hashnode.ts, medium.ts), and the
 * error type they throw. Errors are classified once, here in the connectors (DESIGN.md §5).
 */
import { redactSecrets } from './redact';
import type { Article } from '../content/types';
import type { PlatformId } from '../config/schema';

export type { PlatformId };

export type RemoteState = 'published' | 'draft' | 'unpublished';

/** Where the article lives on the platform. */
export interface RemoteRef {
  remoteId: string;
  remoteUrl?: string;
  remoteState: RemoteState;
  /** Something the editor should know about the outcome (e.g. "delisted, still reachable by URL"). */
  note?: string;
}

/** What identifies our create on the platform, kept on the row so a later run can look for it. */
export interface LookupKeys {
  title: string;
  canonicalUrl?: string;
  slug?: string;
  /** Hash of the body we sent: with the title and the time, identifies our create when there is no canonical URL. */
  bodyHash?: string;
  /** When the create was sent (ISO): an article made long before it is not ours; reads may lag behind it. */
  sentAt?: string;
}

/** What the worker knows about the remote copy when it asks for an update. */
export interface UpdateContext {
  /** Our own unpublish took the copy down (e.g. delisted it): list it again. */
  relist?: boolean;
}

/** Per-entry options an editor can set (which platforms, draft mode, delay). */
export interface EntryOptions {
  /** Create as a draft on the platform instead of publishing. */
  draft?: boolean;
}

export interface RenderResult<TPayload> {
  payload: TPayload;
  /** Shown to editors; the job still runs. */
  warnings: string[];
  /** The platform would certainly reject this: the job does not run and the row fails with these. */
  blocking: string[];
}

export interface Capabilities {
  update: boolean;
  unpublish: boolean;
  /** Can find an earlier create after an ambiguous outcome (timeout after sending). */
  lookup: boolean;
  /** Wait at least this long before that lookup (Hashnode's reads can be ~25 s stale). */
  lookupDelayMs?: number;
}

export interface Connector<TPayload = unknown> {
  readonly id: PlatformId;
  /** Name editors know: "DEV", "Hashnode", "Medium". */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Pure: article → exactly what will be sent. Its hash decides whether an update is needed. */
  render(article: Article, options: EntryOptions): RenderResult<TPayload>;
  create(payload: TPayload): Promise<RemoteRef>;
  update(remoteId: string, payload: TPayload, context?: UpdateContext): Promise<RemoteRef>;
  unpublish(remoteId: string): Promise<RemoteRef>;
  lookupKeys(payload: TPayload): LookupKeys;
  /** After an ambiguous create: the earlier create if it exists, null if it certainly does not. */
  findExisting(keys: LookupKeys): Promise<RemoteRef | null>;
  /** "Test connection": who the credentials belong to, or a PlatformError saying in words what is wrong. */
  identity(): Promise<Identity>;
  /** The configured account's post at this URL (for an editor's confirm), null if it has none there. Absent: the platform cannot be asked. */
  postByUrl?(url: string): Promise<RemoteRef | null>;
}

/** The account behind a connector's credentials, in words ("@alice (Alice)"). */
export interface Identity {
  account: string;
  /** Anything else checked on the way (e.g. the Hashnode publication). */
  details?: string;
}

/**
 * - retryable: nothing happened on the platform (or the call is idempotent); try again later.
 * - ambiguous: a create may or may not have happened; look it up before trying again.
 * - permanent: retrying cannot help; `message` says what the editor must fix.
 */
export type ErrorKind = 'retryable' | 'ambiguous' | 'permanent';

export class PlatformError extends Error {
  readonly kind: ErrorKind;
  readonly platform: PlatformId;
  readonly status?: number;
  /** Server asked us to wait (Retry-After), in ms. */
  readonly retryAfterMs?: number;
  /** A rate limit answer: retried without using up the retry budget. */
  readonly rateLimited: boolean;
  /** The remote copy no longer exists (deleted on the platform): a retry should post it afresh. */
  readonly remoteGone: boolean;

  constructor(
    platform: PlatformId,
    kind: ErrorKind,
    message: string,
    opts: { status?: number; retryAfterMs?: number; rateLimited?: boolean; remoteGone?: boolean } = {},
  ) {
    // Messages quote platform answers and reach lastError: credentials echoed back are cut out here.
    super(redactSecrets(message));
    this.name = 'PlatformError';
    this.platform = platform;
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.rateLimited = opts.rateLimited ?? false;
    this.remoteGone = opts.remoteGone ?? false;
  }
}
