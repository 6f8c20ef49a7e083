/**
 * Browser-test harness: the playground Strapi (in this process, serving its built admin panel) with
 * the three platform simulators over real HTTP, real Redis, and Debian's Chromium driven by playwright-core.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { createHashnodeSimulator, HASHNODE_DEFAULT_PUBLICATION_ID, HASHNODE_TEST_TOKEN } from '../simulators/hashnode';
import { createMediumSimulator, MEDIUM_TEST_TOKEN } from '../simulators/medium';
import { createAdmin, ROOT, startTestApp, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody } from '../helpers/publications';
import { loginAs, newAdminContext } from './browser';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { findChromium } = require('./chromium') as { findChromium: () => string | null };

export const CHROMIUM = findChromium();
/** `describe` when a Chromium is installed, else `describe.skip` (scripts/test.js says why, once). */
export const describeBrowser = CHROMIUM ? describe : describe.skip;

export const ADMIN_EMAIL = 'editor@example.com';
export const ADMIN_PASSWORD = 'Editor-Passw0rd!';
export const SCREENSHOTS = path.join(ROOT, 'tests', 'e2e', 'screenshots');

const serverBundle = () => fs.readFileSync(path.join(ROOT, 'dist', 'server', 'index.js'), 'utf8');
/** Which optional route groups the built server has (they land separately); their tests skip otherwise. */
export const HAS_ROUTES = {
  bulk: serverBundle().includes('/publications/bulk-retry'),
  backfill: serverBundle().includes('/backfill/estimate'),
  settings: serverBundle().includes('/settings/test-connection'),
  stats: serverBundle().includes("'/stats'") || serverBundle().includes('"/stats"'),
};

/**
 * Console noise that is not ours: an offline admin's market/analytics lookups, and the browser's own line for
 * every non-2xx response (expected ones such as a 409 are asserted where they matter).
 */
const NOISE = [/ERR_NAME_NOT_RESOLVED/, /ERR_INTERNET_DISCONNECTED/, /ai-feature-config/, /favicon/, /analytics\.strapi/, /market-api/, /Failed to load resource/, /guided/i];

export interface E2E {
  app: TestApp;
  devto: DevtoSimulator;
  hashnode: ReturnType<typeof createHashnodeSimulator>;
  medium: ReturnType<typeof createMediumSimulator>;
  base: string;
  jwt: string;
  browser: Browser;
  /** Errors logged in any page's console or thrown uncaught, minus the known offline noise. */
  consoleErrors: string[];
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

export async function startE2E(extraEnv: Record<string, string | undefined> = {}): Promise<E2E> {
  const devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  const hashnode = createHashnodeSimulator();
  await hashnode.listen();
  const medium = createMediumSimulator();
  await medium.listen();
  const app = await startTestApp(
    {
      CROSSPOST_DEVTO_API_KEY: 'devto-test-key',
      CROSSPOST_DEVTO_BASE_URL: devto.apiUrl,
      CROSSPOST_HASHNODE_TOKEN: HASHNODE_TEST_TOKEN,
      CROSSPOST_HASHNODE_PUBLICATION_ID: HASHNODE_DEFAULT_PUBLICATION_ID,
      CROSSPOST_HASHNODE_BASE_URL: hashnode.url,
      CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN,
      CROSSPOST_MEDIUM_BASE_URL: medium.url,
      ...extraEnv,
    },
    { serveAdminPanel: true },
  );
  const port = (app.httpServer.address() as AddressInfo | null)?.port ?? (await listen(app));
  const base = `http://127.0.0.1:${port}`;
  const jwt = await createAdmin(app, ADMIN_EMAIL, ADMIN_PASSWORD);
  const browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true });
  const consoleErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  return {
    app,
    devto,
    hashnode,
    medium,
    base,
    jwt,
    browser,
    consoleErrors,
    async newPage() {
      const context = await newAdminContext(browser, base);
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(30000);
      page.setDefaultNavigationTimeout(60000);
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = `${msg.text()} ${msg.location()?.url ?? ''}`;
        if (!NOISE.some((re) => re.test(text))) consoleErrors.push(text);
      });
      page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
      return { context, page };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.stop();
      await Promise.all([devto.close(), hashnode.close(), medium.close()]);
    },
  };
}

/** startTestApp mounts the server without listening when PORT=0 gives no address yet. */
async function listen(app: TestApp): Promise<number> {
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  return (app.httpServer.address() as AddressInfo).port;
}

export async function login(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await loginAs(page, email, password);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Dialogs fade in: a shot taken mid-animation shows them half transparent over the page (spinners loop forever: not waited for).
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 5000 }).catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until `locator`'s attribute equals `value` (the pages poll: no reload here). */
export async function waitAttr(locator: Locator, attr: string, value: string, timeout = 45000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = (await locator.getAttribute(attr, { timeout: 5000 }).catch(() => null)) ?? null;
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${attr}="${value}" (last: ${last})`);
}

/** An article created through the Document Service (a draft), to be published by the test. */
export async function createArticle(e: E2E, title: string): Promise<string> {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const doc = await e.app.strapi.documents(ARTICLE_UID as never).create({ data: { title, slug, description: `About ${title}`, body: blocksBody(`${title}: body text.`) } as never });
  return (doc as { documentId: string }).documentId;
}

export async function publishArticle(e: E2E, documentId: string): Promise<void> {
  await e.app.strapi.documents(ARTICLE_UID as never).publish({ documentId } as never);
}

/** A role holding only the given actions, and a registered user in it. */
export async function createLimitedUser(e: E2E, actions: string[], email: string, password: string): Promise<void> {
  const auth = { Authorization: `Bearer ${e.jwt}` };
  const http = request(e.app.httpServer);
  const role = await http.post('/admin/roles').set(auth).send({ name: `Limited ${Date.now()}`, description: 'e2e' }).expect(201);
  const roleId = role.body.data.id;
  await http
    .put(`/admin/roles/${roleId}/permissions`)
    .set(auth)
    .send({ permissions: actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })) })
    .expect(200);
  const user = await http.post('/admin/users').set(auth).send({ firstname: 'Read', lastname: 'Only', email, roles: [roleId] }).expect(201);
  await http
    .post('/admin/register')
    .send({ registrationToken: user.body.data.registrationToken, userInfo: { firstname: 'Read', lastname: 'Only', password } })
    .expect(200);
}

/** Records, from now until `stop`, the full body of every response the page receives (API answers and documents). */
export function recordResponses(page: Page): { bodies: () => Promise<string[]>; stop: () => void } {
  const bodies: Promise<string>[] = [];
  const onResponse = (res: Response) => {
    const type = res.request().resourceType();
    if (type === 'xhr' || type === 'fetch' || type === 'document') bodies.push(res.text().catch(() => ''));
  };
  page.on('response', onResponse);
  return { bodies: () => Promise.all(bodies), stop: () => page.off('response', onResponse) };
}

/**
 * A secret typed in or shown once by the page is in neither the page's HTML nor any response recorded since
 * `recorder` started (at least `minResponses` of them, so an empty recording cannot pass).
 */
export async function expectSecretNotServed(page: Page, recorder: ReturnType<typeof recordResponses>, secret: string, minResponses = 3): Promise<void> {
  expect(secret.length).toBeGreaterThan(8);
  expect(await page.content()).not.toContain(secret);
  const texts = await recorder.bodies();
  recorder.stop();
  expect(texts.length).toBeGreaterThan(minResponses);
  for (const text of texts) expect(text).not.toContain(secret);
}
