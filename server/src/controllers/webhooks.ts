/**
 * Admin routes for the plugin's webhooks: endpoints (create, list, update, delete, rotate the secret,
 * send a test) and their delivery log (list, replay one, replay a range). A secret appears in a
 * response exactly once: when it is created or rotated.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getRuntime, type Runtime } from '../runtime';
import { withHttpErrors, badRequest, conflict, notFound } from '../http/errors';
import { idParamSchema, parseInput } from './validation';
import { createEndpointSchema, deliveriesQuerySchema, replayRangeSchema, updateEndpointSchema } from './webhooks-validation';
import { EncryptionUnavailableError, endpointView, type WebhookEndpoint } from '../notify/endpoints';
import { deliveryView } from '../notify/deliveries';
import { replayDeliveries, sendDelivery } from '../notify/deliver';
import { newMessageId, webhookBody } from '../notify/message';

type Ctx = Context & { params: Record<string, string>; request: Context['request'] & { body?: unknown } };

const webhooks = ({ strapi }: { strapi: Core.Strapi }) => {
  const rt = () => getRuntime(strapi);

  async function endpointOr404(r: Runtime, id: number): Promise<WebhookEndpoint> {
    const ep = await r.webhooks.endpoints.get(id);
    if (!ep) throw notFound(`No webhook endpoint with id ${id}.`);
    return ep;
  }
  function writable(ep: WebhookEndpoint) {
    if (ep.source === 'config') throw conflict(`Webhook endpoint "${ep.name}" is declared in the plugin config (webhooks.endpoints); change it there.`);
  }
  function checkUrl(r: Runtime, url: string) {
    if (process.env.NODE_ENV === 'production' && !r.config.webhooks.allowPrivateNetworks && !url.toLowerCase().startsWith('https://')) {
      throw badRequest('Invalid request: url: must use https:// in production', { errors: [{ path: 'url', message: 'must use https:// in production' }] });
    }
  }
  async function guardEncryption<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof EncryptionUnavailableError) throw conflict(err.message);
      throw err;
    }
  }

  return withHttpErrors({
    async listEndpoints(ctx: Ctx) {
      ctx.body = { data: (await rt().webhooks.endpoints.list()).map(endpointView) };
    },
    async createEndpoint(ctx: Ctx) {
      const r = rt();
      const body = parseInput(createEndpointSchema, ctx.request.body);
      checkUrl(r, body.url);
      const { endpoint, secret } = await guardEncryption(() => r.webhooks.endpoints.create(body));
      ctx.status = 201;
      ctx.body = { data: endpointView(endpoint), secret, meta: { note: 'The secret is shown only now. Store it where the receiver can read it.' } };
    },
    async updateEndpoint(ctx: Ctx) {
      const r = rt();
      const { id } = parseInput(idParamSchema, ctx.params);
      const body = parseInput(updateEndpointSchema, ctx.request.body);
      const ep = await endpointOr404(r, id);
      // A config endpoint can only be switched back on after the plugin disabled it.
      if (ep.source === 'config' && Object.keys(body).some((k) => k !== 'enabled')) writable(ep);
      if (body.url) checkUrl(r, body.url);
      const reenable = body.enabled === true && !ep.enabled ? { disabledReason: null, failingSince: null, consecutiveFailures: 0 } : {};
      ctx.body = { data: endpointView(await r.webhooks.endpoints.update(id, { ...body, ...reenable })) };
    },
    async deleteEndpoint(ctx: Ctx) {
      const r = rt();
      const { id } = parseInput(idParamSchema, ctx.params);
      const ep = await endpointOr404(r, id);
      writable(ep);
      await r.webhooks.endpoints.remove(id);
      await r.webhooks.deliveries.updateWhere({ endpointId: id, status: 'pending' }, { status: 'canceled', nextAttemptAt: null, lastError: 'The endpoint was deleted.' });
      ctx.body = { data: endpointView(ep) };
    },
    async rotateSecret(ctx: Ctx) {
      const r = rt();
      const { id } = parseInput(idParamSchema, ctx.params);
      const ep = await endpointOr404(r, id);
      writable(ep);
      const { endpoint, secret } = await guardEncryption(() => r.webhooks.endpoints.rotate(ep));
      ctx.body = { data: endpointView(endpoint), secret, meta: { note: 'Deliveries carry signatures from both the old and the new secret for 24 hours.' } };
    },
    async testEndpoint(ctx: Ctx) {
      const r = rt();
      const { id } = parseInput(idParamSchema, ctx.params);
      const ep = await endpointOr404(r, id);
      const messageId = newMessageId();
      const payload = webhookBody('crosspost.test', messageId, { endpoint: { id: ep.id, name: ep.name } });
      const result = await sendDelivery(r, ep, { messageId, payload });
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      // The test shows in the delivery log like any event (one attempt, never retried; replay sends it again).
      const now = new Date();
      const delivery = await r.webhooks.deliveries.create({
        messageId,
        endpointId: ep.id,
        eventType: 'crosspost.test',
        payload,
        status: ok ? 'succeeded' : 'failed',
        attempts: 1,
        scheduleStartedAt: now,
        attemptLog: [{ at: now.toISOString(), status: result.status, durationMs: result.durationMs, error: result.error }],
        lastStatus: result.status,
        lastError: result.error,
        lastDurationMs: result.durationMs,
        deliveredAt: ok ? now : null,
      });
      ctx.body = { data: { ok, messageId, deliveryId: delivery.id, status: result.status, durationMs: result.durationMs, error: result.error } };
    },
    async listDeliveries(ctx: Ctx) {
      const r = rt();
      const { page, pageSize, ...filters } = parseInput(deliveriesQuerySchema, ctx.query);
      const where = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
      const [rows, total] = await Promise.all([
        r.webhooks.deliveries.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: pageSize, offset: (page - 1) * pageSize }),
        r.webhooks.deliveries.count(where),
      ]);
      ctx.body = { data: rows.map((d) => deliveryView(d)), meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } } };
    },
    async getDelivery(ctx: Ctx) {
      const { id } = parseInput(idParamSchema, ctx.params);
      const d = await rt().webhooks.deliveries.get(id);
      if (!d) throw notFound(`No webhook delivery with id ${id}.`);
      ctx.body = { data: deliveryView(d, true) };
    },
    async replayDelivery(ctx: Ctx) {
      const r = rt();
      const { id } = parseInput(idParamSchema, ctx.params);
      const d = await r.webhooks.deliveries.get(id);
      if (!d) throw notFound(`No webhook delivery with id ${id}.`);
      const ep = await endpointOr404(r, d.endpointId);
      if (!ep.enabled) throw conflict(`Webhook endpoint "${ep.name}" is disabled; enable it first.`);
      if (d.status === 'pending') throw conflict('This delivery is still being attempted.');
      await replayDeliveries(r, [d]);
      ctx.body = { data: deliveryView((await r.webhooks.deliveries.get(id))!) };
    },
    async replayRange(ctx: Ctx) {
      const r = rt();
      const body = parseInput(replayRangeSchema, ctx.request.body);
      const ep = await endpointOr404(r, body.endpointId);
      if (!ep.enabled) throw conflict(`Webhook endpoint "${ep.name}" is disabled; enable it first.`);
      if (body.status.includes('pending')) throw badRequest('Invalid request: status: pending deliveries are already being attempted', { errors: [{ path: 'status', message: 'pending deliveries are already being attempted' }] });
      const rows = await r.webhooks.deliveries.findMany({
        where: { endpointId: ep.id, status: { $in: body.status }, createdAt: { $gte: new Date(body.from), $lte: new Date(body.to) } },
        orderBy: { id: 'asc' },
        limit: 10000,
      });
      ctx.body = { data: { replayed: await replayDeliveries(r, rows) } };
    },
  });
};

export default webhooks;
