/** Settings → Cross-posting: admin only (credentials never go near the content API). */
import { ACTIONS } from '../permissions';
import type { Endpoint } from './types';

export const settingsEndpoints: Endpoint[] = [
  { method: 'GET', path: '/settings', handler: 'settings.find', action: ACTIONS.settings, adminOnly: true },
  { method: 'PUT', path: '/settings', handler: 'settings.update', action: ACTIONS.settings, adminOnly: true },
  { method: 'POST', path: '/settings/test-connection', handler: 'settings.testConnection', action: ACTIONS.settings, adminOnly: true },
];
