import { ACTIONS } from '../permissions';
import type { Endpoint } from './types';

/** The plugin's OpenAPI 3.1 description, for the admin (scripts read it with an admin JWT). */
export const openapiEndpoints: Endpoint[] = [
  { method: 'GET', path: '/openapi.json', handler: 'openapi.document', action: ACTIONS.read, adminOnly: true },
];
