/**
 * The admin in Debian's Chromium, without Jest: a context as an editor's browser (no guided tour) and the
 * login form. Shared by the browser tests (helpers.ts) and the dashboard benchmark (bench/dashboard-latency.ts).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export async function newAdminContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  // No guided tour or onboarding dialogs over the pages under test.
  await context.addInitScript(() => {
    window.localStorage.setItem('STRAPI_GUIDED_TOUR', JSON.stringify({ tours: {}, enabled: false, hidden: true, completedActions: [] }));
  });
  return context;
}

export async function loginAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/admin/auth/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password*', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60000 });
  await page.locator('nav').first().waitFor();
}
