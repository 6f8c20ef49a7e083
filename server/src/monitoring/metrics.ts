/**
 * Prometheus metrics on the plugin's own prom-client Registry (never the global one: no clash with
 * another exporter in the app). Every label value comes from a closed set (platform, operation,
 * outcome, state, status class, queue); ids, titles, URLs and error texts stay in the database and
 * the logs. Queue and database gauges are computed when scraped, cached for metrics.cacheMs, each
 * read bounded in time; counters are per process (use rate()/increase()).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Runtime } from '../runtime';
import type { AttemptRecord, Publication } from '../store/publications';
import { STATUSES } from '../store/publications';
import { PLATFORM_IDS, type CrosspostConfig, type PlatformId } from '../config/schema';
import type { OutcomeEvent } from '../notify/events';
import { pingRedis, pluginQueues, probeQueue } from './probes';

export type WebhookOutcome = 'success' | 'retry' | 'exhausted' | 'disabled';
/**
 * Why a call waited: one of the documented windows the plugin books (rate-limits.ts names them
 * "<platform>:<kind>") or a 429 the platform answered. Anything else is counted as "other".
 */
export const RATE_LIMIT_KINDS = ['creates', 'updates', 'writes', 'mutations', 'posts', 'http_429'] as const;
export type RateLimitKind = (typeof RATE_LIMIT_KINDS)[number];
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

export function statusClass(a: Pick<AttemptRecord, 'httpStatus' | 'outcome'>): string {
  const s = a.httpStatus;
  if (s) {
    if (s === 429) return '429';
    if (s >= 200 && s < 600) return `${Math.floor(s / 100)}xx`;
  }
  if (a.outcome === 'success' || a.outcome === 'adopted') return '2xx';
  if (a.outcome === 'ambiguous') return 'timeout';
  return 'network';
}

export class Metrics {
  readonly registry = new Registry();
  private rt?: Runtime;
  private refreshed = 0;
  private refreshing?: Promise<void>;

  private readonly publications = new Counter({ name: 'crosspost_publications_total', help: 'Publication outcomes.', labelNames: ['platform', 'outcome'], registers: [this.registry] });
  private readonly requests = new Counter({ name: 'crosspost_platform_requests_total', help: 'Requests to the platforms, by status class.', labelNames: ['platform', 'operation', 'status_class'], registers: [this.registry] });
  private readonly requestDuration = new Histogram({
    name: 'crosspost_platform_request_duration_seconds',
    help: 'Duration of one platform request.',
    labelNames: ['platform', 'operation'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly publishDuration = new Histogram({
    name: 'crosspost_publish_duration_seconds',
    help: 'From planning to live on the platform, retries and rate-limit waits included.',
    labelNames: ['platform'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 21600],
    registers: [this.registry],
  });
  private readonly rateLimitWait = new Histogram({
    name: 'crosspost_rate_limit_wait_seconds',
    help: 'Waits imposed by a platform rate limit: a job deferred to its booked slot, a write held for the per-call window, a retry after a 429.',
    labelNames: ['platform', 'limit'],
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400],
    registers: [this.registry],
  });
  private readonly webhookDeliveries = new Counter({ name: 'crosspost_webhook_deliveries_total', help: 'Webhook delivery attempts by result.', labelNames: ['outcome'], registers: [this.registry] });
  private readonly webhookDuration = new Histogram({
    name: 'crosspost_webhook_delivery_duration_seconds',
    help: 'Duration of one webhook delivery attempt.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });
  private readonly queueJobs = new Gauge({ name: 'crosspost_queue_jobs', help: 'Jobs per queue and state.', labelNames: ['queue', 'state'], registers: [this.registry], collect: () => this.refresh() });
  private readonly oldestWaiting = new Gauge({ name: 'crosspost_queue_oldest_waiting_seconds', help: 'Age of the oldest waiting job (queue latency).', labelNames: ['queue'], registers: [this.registry], collect: () => this.refresh() });
  private readonly workers = new Gauge({ name: 'crosspost_workers', help: 'Worker connections per queue (absent when Redis hides CLIENT LIST).', labelNames: ['queue'], registers: [this.registry], collect: () => this.refresh() });
  private readonly publicationRows = new Gauge({ name: 'crosspost_publications', help: 'Publication rows per platform and status.', labelNames: ['platform', 'status'], registers: [this.registry], collect: () => this.refresh() });
  private readonly lastSuccess = new Gauge({ name: 'crosspost_last_success_timestamp_seconds', help: 'Last successful sync per platform (unix seconds).', labelNames: ['platform'], registers: [this.registry], collect: () => this.refresh() });
  private readonly redisUp = new Gauge({ name: 'crosspost_redis_up', help: '1 when Redis answered the last scrape.', registers: [this.registry], collect: () => this.refresh() });

  constructor(private readonly config: CrosspostConfig['metrics']) {
    if (config.enabled && config.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'crosspost_process_' });
    for (const o of ['success', 'retry', 'exhausted', 'disabled'] as const) this.webhookDeliveries.inc({ outcome: o }, 0);
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  attach(rt: Runtime): void {
    this.rt = rt;
  }

  outcome(p: Pick<Publication, 'platform' | 'plannedAt'>, event: OutcomeEvent): void {
    this.publications.inc({ platform: p.platform, outcome: event });
    if ((event === 'published' || event === 'updated') && p.plannedAt) {
      this.publishDuration.observe({ platform: p.platform }, Math.max(0, (Date.now() - new Date(p.plannedAt).getTime()) / 1000));
    }
  }

  attempt(a: AttemptRecord): void {
    if (a.operation === 'none') return;
    this.requests.inc({ platform: a.platform, operation: a.operation, status_class: statusClass(a) });
    if (a.durationMs !== undefined) this.requestDuration.observe({ platform: a.platform, operation: a.operation }, a.durationMs / 1000);
  }

  /** `limit`: a rate window's name ("devto:creates") or a RateLimitKind. */
  rateLimited(platform: PlatformId, limit: string, waitMs: number): void {
    const kind = limit.includes(':') ? limit.slice(limit.indexOf(':') + 1) : limit;
    const label = (RATE_LIMIT_KINDS as readonly string[]).includes(kind) ? kind : 'other';
    this.rateLimitWait.observe({ platform, limit: label }, Math.max(0, waitMs) / 1000);
  }

  webhookDelivery(outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  webhookAttemptDuration(ms: number): void {
    this.webhookDuration.observe(ms / 1000);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** One refresh per scrape (every gauge's collect() calls it), at most every cacheMs. */
  private refresh(): Promise<void> {
    if (!this.rt) return Promise.resolve();
    if (this.refreshing) return this.refreshing;
    if (Date.now() - this.refreshed < this.config.cacheMs) return Promise.resolve();
    this.refreshing = this.doRefresh(this.rt).finally(() => {
      this.refreshed = Date.now();
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(rt: Runtime): Promise<void> {
    const redis = await pingRedis(rt, 2000);
    this.redisUp.set(redis.ok ? 1 : 0);
    if (redis.ok) {
      // A failing read keeps the last values (and Redis shows as down on the next scrape if it is).
      for (const [name, q] of pluginQueues(rt)) {
        try {
          const p = await probeQueue(q);
          for (const s of QUEUE_STATES) this.queueJobs.set({ queue: name, state: s }, p[s]);
          this.oldestWaiting.set({ queue: name }, p.oldestWaitingSeconds);
          if (p.workers === null) this.workers.remove({ queue: name });
          else this.workers.set({ queue: name }, p.workers);
        } catch {
          this.redisUp.set(0);
        }
      }
    }
    try {
      const knex = rt.strapi.db.connection;
      const rows = (await knex('crosspost_publications').select('platform', 'status').count({ n: '*' }).groupBy('platform', 'status')) as Array<{ platform: string; status: string; n: number | string }>;
      this.publicationRows.reset();
      for (const platform of PLATFORM_IDS) for (const status of STATUSES) this.publicationRows.set({ platform, status }, 0);
      for (const r of rows) if ((PLATFORM_IDS as readonly string[]).includes(r.platform) && (STATUSES as readonly string[]).includes(r.status)) this.publicationRows.set({ platform: r.platform, status: r.status }, Number(r.n));
      const last = (await knex('crosspost_publications').select('platform').max({ at: 'last_synced_at' }).groupBy('platform')) as Array<{ platform: string; at: string | number | Date | null }>;
      for (const r of last) {
        if (!r.at || !(PLATFORM_IDS as readonly string[]).includes(r.platform)) continue;
        const t = typeof r.at === 'number' ? r.at : new Date(r.at).getTime();
        if (Number.isFinite(t)) this.lastSuccess.set({ platform: r.platform }, Math.floor(t / 1000));
      }
    } catch (err) {
      rt.log.debug(`crosspost: metrics could not read publication counts: ${(err as Error).message}`);
    }
  }
}
