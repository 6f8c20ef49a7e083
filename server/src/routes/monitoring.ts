/**
 * GET /api/crosspost/metrics (Prometheus text) and GET /api/crosspost/health (ok / degraded / down).
 * On the content API they need a token granted plugin::crosspost.monitoring.scrape / .health (or a
 * full-access one); a read-only token cannot call them.
 */
import { ACTIONS } from '../permissions';
import type { Endpoint } from './types';

export const monitoringEndpoints: Endpoint[] = [
  { method: 'GET', path: '/metrics', handler: 'monitoring.scrape', action: ACTIONS.settings },
  { method: 'GET', path: '/health', handler: 'monitoring.health', action: ACTIONS.read },
];
