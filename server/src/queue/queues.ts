/**
 * One Bull queue per platform (`crosspost:devto`, ...). Job data is only the publication id and the
 * row's job sequence number: no content, no secrets. The jobId is derived from both, so re-adding the
 * same job is a no-op while it exists, and a later legitimate job for the same row (next sequence
 * number) can never collide with an old one.
 */
import Bull from 'bull';
import { lockSettings, logQueueErrors, withTimeout, workerReady } from './bull-helpers';
import type { PlatformId } from '../config/schema';

export interface JobData {
  publicationId: number;
  seq: number;
}

export const queueName = (platform: PlatformId) => `crosspost:${platform}`;
export const jobIdOf = (publicationId: number, seq: number) => `pub-${publicationId}-${seq}`;

export interface QueueOptions {
  redisUrl: string;
  prefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  keepCompleted: number;
  keepFailed: number;
  /** Per-platform start-rate limiter shared by every process on this Redis. */
  limiters: Partial<Record<PlatformId, { max: number; durationMs: number }>>;
}

export interface QueueLogger {
  warn(msg: string): void;
  error(msg: string): void;
  info(msg: string): void;
}

const ADD_TIMEOUT_MS = 5000;
/** Bull runs prioritised jobs (lowest number first) before those added without one. */
const WOKEN_PRIORITY = 1;

type JobHandler = (platform: PlatformId, job: Bull.Job<JobData>) => Promise<void>;

export class PlatformQueues {
  private readonly queues = new Map<PlatformId, Bull.Queue<JobData>>();
  private closing = false;
  /** Set once this process runs jobs: queues opened later get a worker too. */
  private worker: { concurrency: number; handler: JobHandler } | undefined;

  constructor(
    platforms: PlatformId[],
    private readonly opts: QueueOptions,
    private readonly log: QueueLogger,
  ) {
    for (const p of platforms) this.open(p);
  }

  private open(p: PlatformId): Bull.Queue<JobData> {
    const opts = this.opts;
    const log = this.log;
    const limiter = opts.limiters[p];
    const queue = new Bull<JobData>(queueName(p), opts.redisUrl, {
      prefix: opts.prefix,
      ...(limiter ? { limiter: { max: limiter.max, duration: limiter.durationMs } } : {}),
      settings: lockSettings(opts),
      defaultJobOptions: {
        // Retries are ours (the publication row keeps the budget), so Bull runs each job once.
        attempts: 1,
        removeOnComplete: opts.keepCompleted,
        removeOnFail: opts.keepFailed,
      },
    });
    logQueueErrors(queue, queueName(p), log);
    queue.on('stalled', (job) => {
      this.log.warn(
        `crosspost: job ${job.id} on ${queueName(p)} stalled (its worker died or blocked longer than lockDuration); it runs again and first checks whether the platform call already happened.`,
      );
    });
    this.queues.set(p, queue);
    return queue;
  }

  /**
   * Opens the queues of platforms switched on after startup (an admin entered credentials) and, in a
   * worker process, starts processing them. Queues of platforms switched off stay open: jobs already
   * in them still run and end in a state the editor sees.
   */
  async ensure(platforms: PlatformId[]): Promise<void> {
    for (const p of platforms) {
      if (this.queues.has(p) || this.closing) continue;
      const queue = this.open(p);
      if (this.worker) await this.startWorker(p, queue, this.worker.concurrency, this.worker.handler);
    }
  }

  platforms(): PlatformId[] {
    return [...this.queues.keys()];
  }

  get(platform: PlatformId): Bull.Queue<JobData> {
    const q = this.queues.get(platform);
    if (!q) throw new Error(`crosspost: no queue for platform "${platform}"`);
    return q;
  }

  /**
   * Adds the job for (publication, seq); a duplicate add while it exists is a no-op. A delayed job (a booked
   * rate-limit slot, a retry's wait) is added with a priority: when its time comes it goes ahead of the jobs
   * that arrived meanwhile, instead of waiting behind all of them and missing its slot.
   */
  async add(platform: PlatformId, publicationId: number, seq: number, delayMs = 0): Promise<void> {
    const jobId = jobIdOf(publicationId, seq);
    const delay = Math.max(0, Math.round(delayMs));
    await withTimeout(
      this.get(platform).add({ publicationId, seq }, { jobId, delay, ...(delay > 0 ? { priority: WOKEN_PRIORITY } : {}) }),
      ADD_TIMEOUT_MS,
      `Redis did not accept the job within ${ADD_TIMEOUT_MS} ms`,
    );
  }

  /** True when the job for (publication, seq) is waiting, delayed or running. */
  async hasLiveJob(platform: PlatformId, publicationId: number, seq: number): Promise<boolean> {
    const job = await this.get(platform).getJob(jobIdOf(publicationId, seq));
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'delayed' || state === 'active' || state === 'paused';
  }

  /** True while a worker holds the job's lock (Bull moves a dead worker's job out of `active`). */
  async isActive(platform: PlatformId, jobId: string): Promise<boolean> {
    const job = await this.get(platform).getJob(jobId);
    return job ? (await job.getState()) === 'active' : false;
  }

  /** Starts processing on every queue. Resolves once each worker is really listening. */
  async startWorkers(concurrency: number, handler: JobHandler): Promise<void> {
    this.worker = { concurrency, handler };
    for (const [platform, queue] of this.queues) await this.startWorker(platform, queue, concurrency, handler);
  }

  private async startWorker(platform: PlatformId, queue: Bull.Queue<JobData>, concurrency: number, handler: JobHandler): Promise<void> {
    // process() settles only when the queue closes: never await it.
    queue.process(concurrency, (job) => handler(platform, job)).catch((err: Error) => {
      if (!this.closing) this.log.error(`crosspost: worker for ${queueName(platform)} stopped: ${err?.message}`);
    });
    await workerReady(queue);
  }

  /** Lets running jobs finish (the platform call in flight completes), then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
