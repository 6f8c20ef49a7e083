/** Small pieces every Bull queue of the plugin needs. */
import Bull from 'bull';

/** Lock and stalled-job settings every queue of the plugin shares (a dead worker's job runs again after the lock). */
export function lockSettings(o: { lockDurationMs: number; stalledIntervalMs: number; maxStalledCount: number }): Bull.AdvancedSettings {
  return {
    lockDuration: o.lockDurationMs,
    lockRenewTime: Math.floor(o.lockDurationMs / 2),
    stalledInterval: o.stalledIntervalMs,
    maxStalledCount: o.maxStalledCount,
  };
}

/** Rejects with `message` if `work` has not settled within `ms` (Redis down: ioredis would queue the command for ever). */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Logs queue errors, at most one line every 10 s: Redis hiccups repeat quickly. */
export function logQueueErrors(queue: Bull.Queue, name: string, log: { error(msg: string): void }): void {
  let lastErrorLog = 0;
  queue.on('error', (err) => {
    if (Date.now() - lastErrorLog > 10000) {
      lastErrorLog = Date.now();
      log.error(`crosspost: queue ${name} error: ${err.message}`);
    }
  });
}

/**
 * Resolves once the worker started by queue.process() is really listening. Bull 4.16 leaves a
 * dangling handle if close() comes before the worker finished initialising.
 */
export async function workerReady(queue: Bull.Queue): Promise<void> {
  await queue.isReady();
  await (queue as unknown as { _initializingProcess?: Promise<void> })._initializingProcess;
  const bclient = (queue as unknown as { bclient?: { status: string; once(ev: string, cb: () => void): void } }).bclient;
  if (bclient && bclient.status !== 'ready') await new Promise<void>((r) => bclient.once('ready', () => r()));
}

/** Where a plugin queue lives and how its jobs are locked. */
export interface WorkerQueueOptions {
  redisUrl: string;
  prefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  keepFailed: number;
}

/**
 * A plugin queue with one worker per process: creates the Bull queue, starts the worker (resolving
 * once it listens) and closes the queue, letting running jobs finish. A worker that stops other than
 * by close() is logged.
 */
export class WorkerQueue<T> {
  readonly queue: Bull.Queue<T>;
  private closing = false;

  constructor(
    protected readonly name: string,
    opts: WorkerQueueOptions,
    defaultJobOptions: Bull.JobOptions,
    protected readonly log: { error(msg: string): void },
  ) {
    this.queue = new Bull<T>(name, opts.redisUrl, { prefix: opts.prefix, settings: lockSettings(opts), defaultJobOptions: { removeOnFail: opts.keepFailed, ...defaultJobOptions } });
    logQueueErrors(this.queue, name, log);
  }

  async startWorker(concurrency: number, handler: (data: T) => Promise<void>): Promise<void> {
    // process() settles only when the queue closes: never await it.
    this.queue.process(concurrency, (job) => handler(job.data)).catch((err: Error) => {
      if (!this.closing) this.log.error(`crosspost: worker for ${this.name} stopped: ${err?.message}`);
    });
    await workerReady(this.queue);
  }

  /** Lets running jobs finish, then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    await this.queue.close().catch(() => undefined);
  }
}
