/**
 * Admin routes are served at /crosspost/... (admin JWT + RBAC action per route); content-API routes at
 * /api/crosspost/... (API tokens or users-permissions roles granted plugin::crosspost.<controller>.<action>).
 * Each area declares its endpoints in its own file; this one serves them on both APIs.
 */
import { publicationEndpoints } from './publications';
import { apiEndpoints } from './api';
import { webhookEndpoints } from './webhooks';
import { monitoringEndpoints } from './monitoring';
import { settingsEndpoints } from './settings';
import { openapiEndpoints } from './openapi';
import type { Endpoint } from './types';

// bulk-retry is declared before /publications/:id/... would match it: api endpoints first.
export const endpoints: Endpoint[] = [...apiEndpoints, ...publicationEndpoints, ...webhookEndpoints, ...monitoringEndpoints, ...settingsEndpoints, ...openapiEndpoints];

const can = (action: string) => ({ policies: [{ name: 'admin::hasPermissions', config: { actions: [action] } }] });

export default {
  admin: {
    type: 'admin',
    routes: endpoints.map(({ method, path, handler, action }) => ({ method, path, handler, config: can(action) })),
  },
  'content-api': {
    type: 'content-api',
    routes: endpoints.filter((e) => !e.adminOnly).map(({ method, path, handler }) => ({ method, path, handler, config: {} })),
  },
};
