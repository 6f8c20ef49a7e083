/**
 * The `crosspost:plan` queue: one job per entry event (publish / unpublish / delete), naming the entry
 * and nothing else. The process that served the editor's request only adds this job; rendering,
 * hashing, image checks and the publication rows are done by a worker (planner/plan-job.ts), so the
 * web process pays one Redis write per publish and the platform queues stay as they were.
 */
import { WorkerQueue, withTimeout, type WorkerQueueOptions } from './bull-helpers';

export interface PlanJobData {
  uid: string;
  documentId: string;
  locale: string;
  action: 'publish' | 'unpublish';
}

export const PLAN_QUEUE_NAME = 'crosspost:plan';

export interface PlanQueueOptions extends WorkerQueueOptions {
  /** Give up on adding after this long (Redis down): the caller then plans in-process. */
  addTimeoutMs: number;
}

interface Logger {
  warn(msg: string): void;
  error(msg: string): void;
}

/** A database hiccup while planning must not lose the publish: Bull retries the plan job. */
const PLAN_ATTEMPTS = 4;
const PLAN_BACKOFF_MS = 500;

export class PlanQueue extends WorkerQueue<PlanJobData> {
  constructor(
    private readonly opts: PlanQueueOptions,
    log: Logger,
  ) {
    super(
      PLAN_QUEUE_NAME,
      opts,
      {
        attempts: PLAN_ATTEMPTS,
        backoff: { type: 'exponential', delay: PLAN_BACKOFF_MS },
        // A finished plan is in the publication rows; nothing in Redis needs to remember it.
        removeOnComplete: true,
      },
      log,
    );
    this.queue.on('failed', (job, err) => {
      if (job.attemptsMade >= PLAN_ATTEMPTS) {
        this.log.error(
          `crosspost: planning ${job.data.action} of ${job.data.uid} ${job.data.documentId} failed ${PLAN_ATTEMPTS} times (the reconciler picks up missed publishes): ${err?.message}`,
        );
      }
    });
  }

  /** Adds the plan job; rejects if Redis does not take it within addTimeoutMs. */
  async add(data: PlanJobData): Promise<void> {
    // Redis known to be down: say so at once rather than after the timeout.
    if (this.queue.client.status !== 'ready') throw new Error(`Redis is not connected (${this.queue.client.status})`);
    await withTimeout(this.queue.add(data), this.opts.addTimeoutMs, `Redis did not accept the plan job within ${this.opts.addTimeoutMs} ms`);
  }
}
