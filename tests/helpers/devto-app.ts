/**
 * The set-up the admin-route tests share: a DEV simulator that knows one API key, a test app configured
 * with it (DEV's limits compressed so a test is not held back for half a minute), a super admin, and
 * request helpers for the plugin's admin routes.
 */
import request from 'supertest';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createAdmin, createApiToken, startTestApp, type TestApp } from './strapi';

export interface DevtoApp {
  devto: DevtoSimulator;
  app: TestApp;
  /** A super admin's JWT. */
  jwt: string;
  /** A full-access content-API token, when asked for. */
  token?: string;
  stop(): Promise<void>;
}

export interface DevtoAppOptions {
  /** The DEV API key the app is configured with, and the account the simulator answers for it. */
  key: string;
  account: { id: number; username: string; name: string };
  /** Extra app environment, e.g. a tighter CROSSPOST_DEVTO_LIMIT_CREATES. */
  env?: Record<string, string>;
  apiToken?: boolean;
}

export async function startDevtoApp(opts: DevtoAppOptions): Promise<DevtoApp> {
  const devto = createDevtoSimulator({ limits: false, apiKeys: { [opts.key]: opts.account } });
  await devto.listen();
  let app: TestApp | undefined;
  try {
    app = await startTestApp({
      CROSSPOST_DEVTO_API_KEY: opts.key,
      CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
      // DEV's documented 9 creates / 30 s would hold later creates back for half a minute.
      CROSSPOST_DEVTO_LIMIT_CREATES: '100/30000',
      CROSSPOST_DEVTO_LIMIT_WRITES: '100/1000',
      ...opts.env,
    });
    const jwt = await createAdmin(app);
    const token = opts.apiToken ? await createApiToken(app) : undefined;
    const started = app;
    return {
      devto,
      app,
      jwt,
      token,
      async stop() {
        await started.stop();
        await devto.close();
      },
    };
  } catch (err) {
    await app?.stop();
    await devto.close();
    throw err;
  }
}

/** GET/POST on the plugin's admin routes (`/crosspost/...`) as the admin whose JWT `jwt()` gives. */
export function adminRoutes(app: () => TestApp, jwt: () => string) {
  return {
    get: (p: string) => request(app().httpServer).get(`/crosspost${p}`).set('Authorization', `Bearer ${jwt()}`),
    post: (p: string, body: unknown = {}) =>
      request(app().httpServer).post(`/crosspost${p}`).set('Authorization', `Bearer ${jwt()}`).send(body as object),
  };
}
