/** Delivery rows (the webhook outbox): one per (event, endpoint), with every attempt logged on it. */
import type { Core } from '@strapi/strapi';
import { WEBHOOK_DELIVERY_UID } from '../content-types';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'canceled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface AttemptLogEntry {
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: number;
  messageId: string;
  endpointId: number;
  eventType: string;
  publicationId: number | null;
  sequence: number | null;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  jobSeq: number;
  scheduleStartedAt: string | Date | null;
  nextAttemptAt: string | Date | null;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: string | Date | null;
  attemptLog: AttemptLogEntry[] | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

/** Attempts kept on a row (the schedule has 10; replays add more). */
export const MAX_LOGGED_ATTEMPTS = 50;

export function deliveryView(d: WebhookDelivery, withPayload = false) {
  return {
    id: d.id,
    messageId: d.messageId,
    endpointId: d.endpointId,
    eventType: d.eventType,
    publicationId: d.publicationId,
    sequence: d.sequence,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    lastDurationMs: d.lastDurationMs,
    deliveredAt: d.deliveredAt,
    attemptLog: d.attemptLog ?? [],
    createdAt: d.createdAt,
    ...(withPayload ? { payload: JSON.parse(d.payload) } : {}),
  };
}

export function createDeliveryStore(strapi: Core.Strapi) {
  const q = () => strapi.db.query(WEBHOOK_DELIVERY_UID);
  return {
    async get(id: number): Promise<WebhookDelivery | null> {
      return (await q().findOne({ where: { id } })) as WebhookDelivery | null;
    },
    async create(data: Partial<WebhookDelivery>): Promise<WebhookDelivery> {
      return (await q().create({ data })) as WebhookDelivery;
    },
    async updateWhere(where: Record<string, unknown>, data: Partial<WebhookDelivery>): Promise<boolean> {
      const res = (await q().updateMany({ where, data })) as { count: number };
      return res.count > 0;
    },
    async findMany(params: { where?: Record<string, unknown>; limit?: number; offset?: number; orderBy?: unknown }): Promise<WebhookDelivery[]> {
      return (await q().findMany(params as never)) as WebhookDelivery[];
    },
    async count(where: Record<string, unknown> = {}): Promise<number> {
      return (await q().count({ where })) as number;
    },
    async purgeBefore(before: Date): Promise<number> {
      const res = (await q().deleteMany({ where: { createdAt: { $lt: before } } })) as { count: number };
      return res.count;
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
