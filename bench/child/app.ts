/**
 * Boots the playground Strapi for a benchmark child (through the integration tests' startTestApp, so
 * the app, database and Redis isolation are exactly the tests'), listens on a real port, and offers
 * small helpers: timed HTTP calls over a keep-alive connection, article fixtures, row queries.
 */
import type { Core } from '@strapi/strapi';
import { createAdmin, createApiToken, startTestApp, type TestApp } from '../../tests/helpers/strapi';

export const ARTICLE_UID = 'api::article.article';
export const PUBLICATION_UID = 'plugin::crosspost.publication';
export const SETTLED = ['published', 'unpublished', 'failed', 'outdated', 'unconfirmed', 'canceled'];

export interface BenchApp {
  app: TestApp;
  strapi: Core.Strapi;
  baseUrl: string;
  /** Present when `withAuth` was asked for. */
  jwt?: string;
  apiToken?: string;
  pluginEnabled: boolean;
  stop(): Promise<void>;
}

/** The CROSSPOST_* / DATABASE_* variables the parent set for this child (startTestApp resets them). */
function forwardedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter(([k, v]) => /^(CROSSPOST_|DATABASE_)/.test(k) && v !== undefined)) as Record<string, string>;
}

export async function bootApp(opts: { withAuth?: boolean; beforeLoad?: () => void } = {}): Promise<BenchApp> {
  opts.beforeLoad?.();
  // BENCH_SERVE_ADMIN=1: serve the built admin panel too (the dashboard benchmark drives it in Chromium).
  const app = await startTestApp(forwardedEnv(), { serveAdminPanel: process.env.BENCH_SERVE_ADMIN === '1' });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', () => resolve()));
  const addr = app.httpServer.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const out: BenchApp = {
    app,
    strapi: app.strapi,
    baseUrl: `http://127.0.0.1:${port}`,
    pluginEnabled: Boolean(app.strapi.plugin('crosspost')),
    async stop() {
      await new Promise<void>((r) => app.httpServer.close(() => r()));
      await app.stop();
    },
  };
  if (opts.withAuth) {
    out.jwt = await createAdmin(app);
    out.apiToken = await createApiToken(app);
  }
  return out;
}

export { articleData, expectStatus, http, type HttpResult } from './http-client';

/** Creates the tags articles link to (tags are a relation the renderer follows). */
export async function createTags(strapi: Core.Strapi, names = ['Strapi', 'TypeScript', 'Performance']): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const tag = (await strapi.documents('api::tag.tag' as never).create({ data: { name } as never })) as { documentId: string };
    ids.push(tag.documentId);
  }
  return ids;
}

export function docs(strapi: Core.Strapi) {
  return strapi.documents(ARTICLE_UID as never) as unknown as {
    create(p: Record<string, unknown>): Promise<{ documentId: string }>;
    publish(p: Record<string, unknown>): Promise<unknown>;
  };
}

/** Counts publication rows by status (one query). */
export async function statusCounts(strapi: Core.Strapi): Promise<Record<string, number>> {
  const rows = (await strapi.db.connection('crosspost_publications').select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: string; n: number | string }>;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Waits until at least `expected` rows exist and all are settled; returns the final counts. */
export async function waitSettled(strapi: Core.Strapi, expected: number, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(strapi);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const settled = SETTLED.reduce((a, s) => a + (counts[s] ?? 0), 0);
    if (total >= expected && settled === total) return counts;
    if (Date.now() > deadline) throw new Error(`rows did not settle within ${timeoutMs} ms (expected ${expected}): ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
