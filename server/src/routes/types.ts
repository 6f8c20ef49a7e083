/** One plugin endpoint, declared once and served on the admin API and (unless adminOnly) the content API. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: string;
  /** RBAC action checked on the admin route (plugin::crosspost.read | publish | settings). */
  action: string;
  /** Served on the admin API only (admin UI helpers, settings, credentials). */
  adminOnly?: boolean;
}
