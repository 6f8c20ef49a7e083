/** Publish endpoint, attempts, bulk retry, stats, content types, preview, backfill. Handler names avoid find/findOne: read-only API tokens may call those. */
import { ACTIONS } from '../permissions';
import type { Endpoint } from './types';

export const apiEndpoints: Endpoint[] = [
  { method: 'POST', path: '/publish', handler: 'publish.publish', action: ACTIONS.publish },
  { method: 'GET', path: '/publications/:id/attempts', handler: 'publish.attempts', action: ACTIONS.read },
  { method: 'POST', path: '/publications/bulk-retry', handler: 'bulk.retry', action: ACTIONS.publish },
  { method: 'GET', path: '/stats', handler: 'stats.summary', action: ACTIONS.read },
  { method: 'GET', path: '/content-types', handler: 'stats.contentTypes', action: ACTIONS.read },
  { method: 'GET', path: '/preview', handler: 'preview.show', action: ACTIONS.read },
  { method: 'GET', path: '/backfill/estimate', handler: 'backfill.estimate', action: ACTIONS.read },
  { method: 'POST', path: '/backfill', handler: 'backfill.start', action: ACTIONS.publish },
  { method: 'GET', path: '/backfills', handler: 'backfill.list', action: ACTIONS.read },
  { method: 'GET', path: '/backfill/:id', handler: 'backfill.status', action: ACTIONS.read },
  { method: 'POST', path: '/backfill/:id/cancel', handler: 'backfill.cancel', action: ACTIONS.publish },
];
