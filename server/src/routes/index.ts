/**
 * Admin routes are served at /crosspost/... (admin JWT + RBAC action per route); content-API routes at
 * /api/crosspost/... (API tokens or users-permissions roles granted plugin::crosspost.publication.<action>).
 */
import { ACTIONS } from '../permissions';

const can = (action: string) => ({ policies: [{ name: 'admin::hasPermissions', config: { actions: [action] } }] });

const endpoints = [
  { method: 'GET', path: '/publications', handler: 'publication.find', action: ACTIONS.read },
  { method: 'GET', path: '/publications/:id', handler: 'publication.findOne', action: ACTIONS.read },
  { method: 'POST', path: '/publications/:id/retry', handler: 'publication.retry', action: ACTIONS.publish },
  { method: 'POST', path: '/publications/:id/cancel', handler: 'publication.cancel', action: ACTIONS.publish },
  { method: 'POST', path: '/publications/:id/confirm', handler: 'publication.confirm', action: ACTIONS.publish },
  { method: 'POST', path: '/sync', handler: 'publication.sync', action: ACTIONS.publish },
  { method: 'GET', path: '/entry-settings', handler: 'publication.getSettings', action: ACTIONS.read },
  { method: 'PUT', path: '/entry-settings', handler: 'publication.setSettings', action: ACTIONS.publish },
] as const;

export default {
  admin: {
    type: 'admin',
    routes: endpoints.map(({ method, path, handler, action }) => ({ method, path, handler, config: can(action) })),
  },
  'content-api': {
    type: 'content-api',
    routes: endpoints.map(({ method, path, handler }) => ({ method, path, handler, config: {} })),
  },
};
