/** Plugin webhooks: endpoints and their delivery log. Admin only (settings), never on the content API. */
import { ACTIONS } from '../permissions';
import type { Endpoint } from './types';

const a = { action: ACTIONS.settings, adminOnly: true } as const;

export const webhookEndpoints: Endpoint[] = [
  { method: 'GET', path: '/webhook-endpoints', handler: 'webhooks.listEndpoints', ...a },
  { method: 'POST', path: '/webhook-endpoints', handler: 'webhooks.createEndpoint', ...a },
  { method: 'PUT', path: '/webhook-endpoints/:id', handler: 'webhooks.updateEndpoint', ...a },
  { method: 'DELETE', path: '/webhook-endpoints/:id', handler: 'webhooks.deleteEndpoint', ...a },
  { method: 'POST', path: '/webhook-endpoints/:id/rotate-secret', handler: 'webhooks.rotateSecret', ...a },
  { method: 'POST', path: '/webhook-endpoints/:id/test', handler: 'webhooks.testEndpoint', ...a },
  { method: 'GET', path: '/webhook-deliveries', handler: 'webhooks.listDeliveries', ...a },
  { method: 'POST', path: '/webhook-deliveries/replay', handler: 'webhooks.replayRange', ...a },
  { method: 'GET', path: '/webhook-deliveries/:id', handler: 'webhooks.getDelivery', ...a },
  { method: 'POST', path: '/webhook-deliveries/:id/replay', handler: 'webhooks.replayDelivery', ...a },
];
