/** zod schemas for the webhook admin routes. */
import { z } from 'zod';
import { OUTCOME_EVENTS } from '../notify/events';
import { DELIVERY_STATUSES } from '../notify/deliveries';

const EVENT_NAMES = ['crosspost.*', ...Object.values(OUTCOME_EVENTS)] as [string, ...string[]];
const RESERVED_HEADERS = /^(webhook-|content-type$|content-length$|host$|user-agent$|transfer-encoding$|connection$)/i;

export const endpointUrlSchema = z
  .string()
  .url('must be an absolute URL such as https://hooks.example.com/crosspost')
  .max(2000)
  .refine((v) => /^https?:\/\//i.test(v), { message: 'must be an http(s) URL' });

const headersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'header names are HTTP tokens (letters, digits, - ...)'), z.string().max(1000))
  .refine((h) => Object.keys(h).length <= 20, { message: 'at most 20 headers' })
  .refine((h) => !Object.keys(h).some((k) => RESERVED_HEADERS.test(k)), { message: 'webhook-*, content-type, content-length, host, user-agent are set by the plugin' });

export const createEndpointSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    url: endpointUrlSchema,
    events: z.array(z.enum(EVENT_NAMES)).min(1).default(['crosspost.*']),
    headers: headersSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

export const updateEndpointSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    url: endpointUrlSchema.optional(),
    events: z.array(z.enum(EVENT_NAMES)).min(1).optional(),
    headers: headersSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const deliveriesQuerySchema = z
  .object({
    endpointId: z.coerce.number().int().positive().optional(),
    status: z.enum(DELIVERY_STATUSES).optional(),
    messageId: z.string().min(1).max(100).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

export const replayRangeSchema = z
  .object({
    endpointId: z.number().int().positive(),
    from: z.string().datetime({ message: 'must be an ISO date-time, e.g. 2026-12-01T00:00:00Z' }),
    to: z.string().datetime({ message: 'must be an ISO date-time, e.g. 2026-12-02T00:00:00Z' }),
    status: z.array(z.enum(DELIVERY_STATUSES)).min(1).default(['failed', 'canceled']),
  })
  .strict();
