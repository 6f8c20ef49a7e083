/** Shapes the plugin's admin routes answer with (see server/src/notify/events.ts publicationView). */
export type PlatformId = 'devto' | 'hashnode' | 'medium';
export const PLATFORM_IDS: PlatformId[] = ['devto', 'hashnode', 'medium'];
export type Status =
  | 'pending'
  | 'queued'
  | 'processing'
  | 'retrying'
  | 'published'
  | 'unpublished'
  | 'outdated'
  | 'unconfirmed'
  | 'failed'
  | 'canceled';
export const STATUSES: Status[] = ['pending', 'queued', 'processing', 'retrying', 'published', 'unpublished', 'outdated', 'unconfirmed', 'failed', 'canceled'];
/** Rows in these states are still moving: the pages poll while one is on screen. */
export const MOVING: Status[] = ['pending', 'queued', 'processing', 'retrying'];

export interface PublicationView {
  id: number;
  documentId: string;
  platform: PlatformId;
  status: Status;
  desired: string;
  contentType: string;
  entryDocumentId: string;
  locale: string | null;
  title: string | null;
  remoteId: string | null;
  remoteUrl: string | null;
  remoteState: string | null;
  attempts: number;
  lastError: string | null;
  lastErrorKind: 'retryable' | 'ambiguous' | 'permanent' | null;
  warnings: string[];
  options: Record<string, unknown>;
  nextAttemptAt: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Attempt {
  id: number;
  operation?: string;
  outcome?: string;
  httpStatus?: number | null;
  durationMs?: number | null;
  message?: string | null;
  createdAt?: string;
  [key: string]: unknown;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

export interface ListParams {
  status?: string;
  platform?: string;
  contentType?: string;
  entryDocumentId?: string;
  locale?: string;
  q?: string;
  page?: number;
  pageSize?: number;
  sort?: string;
}

export interface Stats {
  platforms: { id: PlatformId; configured: boolean }[];
  counts: Partial<Record<PlatformId, Partial<Record<Status, number>>>>;
  daily: { day: string; platform: PlatformId; published: number; failed: number }[];
}

export interface BulkRetryResult {
  requeued: number[];
  skipped: { id: number; reason: string }[];
}

export interface ContentTypeInfo {
  uid: string;
  displayName: string;
  kind: 'collectionType' | 'singleType';
  draftAndPublish: boolean;
  localized: boolean;
  locales: string[];
}

export interface Backfill {
  id: number | string;
  contentType: string;
  platforms: PlatformId[];
  since: string | null;
  status: 'running' | 'done' | 'canceled' | 'failed';
  found: number;
  planned: number;
  published: number;
  failed: number;
  skipped: number;
  progress: number;
  estimatedSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface BackfillEstimate {
  found: number;
  alreadyPosted: number;
  toPost: number;
  estimatedSeconds: number;
}

/** Per-entry choice for one platform (server/src/store/entry-settings.ts: `draft`; `mode` is read too). */
export interface PlatformEntryOptions {
  enabled?: boolean;
  draft?: boolean;
  mode?: 'publish' | 'draft';
  delayMs?: number;
}

export interface EntrySettings {
  platforms?: Partial<Record<PlatformId, PlatformEntryOptions>>;
  defaults?: Partial<Record<PlatformId, PlatformEntryOptions>> | { platforms?: Partial<Record<PlatformId, PlatformEntryOptions>> };
  [key: string]: unknown;
}

export interface PreviewItem {
  platform: PlatformId;
  configured: boolean;
  willPost: boolean;
  mode: string;
  delayMs?: number;
  /** null when the entry cannot be rendered (see `blocking`). */
  fields: Record<string, unknown> | null;
  markdown: string | null;
  warnings: string[];
  blocking: string[];
}

export interface CredentialState {
  configured: boolean;
  source: 'env' | 'config' | 'admin' | null;
  envVar: string;
  locked: boolean;
  last4: string | null;
  /** What is wrong with a stored value (e.g. it cannot be decrypted), in words. */
  problem?: string | null;
}

export interface PlatformSettings {
  enabled: boolean;
  configured: boolean;
  /** Why the platform does not post, in words (null when it does). */
  offReason?: string | null;
  credentials: Record<string, CredentialState>;
  defaults: { mode: 'publish' | 'draft'; delayMs: number };
}

export interface Settings {
  credentialsEditable: boolean;
  encryptionAvailable: boolean;
  defaults: { platforms: PlatformId[] };
  platforms: Partial<Record<PlatformId, PlatformSettings>>;
}

export interface SettingsUpdate {
  defaults?: { platforms?: PlatformId[] };
  platforms?: Partial<
    Record<PlatformId, { enabled?: boolean; credentials?: Record<string, string | null>; defaults?: { mode?: 'publish' | 'draft'; delayMs?: number } }>
  >;
}

export interface TestConnectionResult {
  ok: boolean;
  account: string | null;
  message: string;
}

/** The events an endpoint can subscribe to (server/src/notify/events.ts OUTCOME_EVENTS); `crosspost.*` = all. */
export const WEBHOOK_EVENTS = ['crosspost.published', 'crosspost.updated', 'crosspost.unpublished', 'crosspost.failed', 'crosspost.unconfirmed', 'crosspost.outdated'];
export const ALL_EVENTS = 'crosspost.*';

/** A webhook endpoint as the server lists it (server/src/notify/endpoints.ts endpointView): never its secret. */
export interface WebhookEndpointView {
  id: number;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  /** Declared in the plugin config: only re-enabling is allowed here. */
  readOnly: boolean;
  headers: string[];
  disabledReason: string | null;
  rotationOverlapUntil: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEndpointInput {
  name: string;
  url: string;
  events: string[];
  enabled?: boolean;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface WebhookDeliveryView {
  id: number;
  messageId: string;
  endpointId: number;
  eventType: string;
  publicationId: number | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: string | null;
  attemptLog: { at: string; status: number | null; durationMs: number; error: string | null }[];
  createdAt: string;
}

export interface WebhookTestResult {
  ok: boolean;
  messageId: string;
  deliveryId?: number;
  status: number | null;
  durationMs: number;
  error: string | null;
}
