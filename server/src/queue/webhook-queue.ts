/**
 * The `crosspost:webhooks` queue: one job per delivery attempt, data = { deliveryId, seq } only (the
 * body and the secret are read from the database when the job runs). Like the platform queues, the
 * retry schedule lives on the row (jobSeq, nextAttemptAt), so a wiped Redis loses nothing: the
 * reconciler re-adds a job for every pending delivery.
 */
import { WorkerQueue, withTimeout, type WorkerQueueOptions } from './bull-helpers';
import type { QueueLogger } from './queues';

export const WEBHOOK_QUEUE_NAME = 'crosspost:webhooks';

export interface WebhookJobData {
  deliveryId: number;
  seq: number;
}

export const webhookJobId = (deliveryId: number, seq: number) => `whd-${deliveryId}-${seq}`;

export type WebhookQueueOptions = WorkerQueueOptions;

const ADD_TIMEOUT_MS = 5000;

export class WebhookQueue extends WorkerQueue<WebhookJobData> {
  constructor(opts: WebhookQueueOptions, log: QueueLogger) {
    super(WEBHOOK_QUEUE_NAME, opts, { attempts: 1, removeOnComplete: true }, log);
  }

  async add(deliveryId: number, seq: number, delayMs = 0): Promise<void> {
    await withTimeout(
      this.queue.add({ deliveryId, seq }, { jobId: webhookJobId(deliveryId, seq), delay: Math.max(0, Math.round(delayMs)) }),
      ADD_TIMEOUT_MS,
      `Redis did not accept the webhook job within ${ADD_TIMEOUT_MS} ms`,
    );
  }

  async hasLiveJob(deliveryId: number, seq: number): Promise<boolean> {
    const job = await this.queue.getJob(webhookJobId(deliveryId, seq));
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'delayed' || state === 'active' || state === 'paused';
  }
}
