/** Publication rows: list, inspect, retry, cancel, confirm; sync an entry; per-entry settings. */
import { ACTIONS } from '../permissions';
import type { Endpoint } from './types';

export const publicationEndpoints: Endpoint[] = [
  { method: 'GET', path: '/publications', handler: 'publication.list', action: ACTIONS.read },
  { method: 'GET', path: '/publications/:id', handler: 'publication.inspect', action: ACTIONS.read },
  { method: 'POST', path: '/publications/:id/retry', handler: 'publication.retry', action: ACTIONS.publish },
  { method: 'POST', path: '/publications/:id/cancel', handler: 'publication.cancel', action: ACTIONS.publish },
  { method: 'POST', path: '/publications/:id/confirm', handler: 'publication.confirm', action: ACTIONS.publish },
  { method: 'POST', path: '/sync', handler: 'publication.sync', action: ACTIONS.publish },
  { method: 'GET', path: '/entry-defaults', handler: 'publication.getDefaults', action: ACTIONS.read, adminOnly: true },
  { method: 'GET', path: '/entry-statuses', handler: 'publication.entryStatuses', action: ACTIONS.read, adminOnly: true },
  { method: 'GET', path: '/entry-settings', handler: 'publication.getSettings', action: ACTIONS.read },
  { method: 'PUT', path: '/entry-settings', handler: 'publication.setSettings', action: ACTIONS.publish },
];
