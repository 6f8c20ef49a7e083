/**
 * Settings and permissions in a real browser: test a connection with a good and a bad key, a credential
 * typed in the page never comes back (page HTML or any response), and a read-only role sees the
 * dashboard without any action and is refused the settings page.
 */
import type { Page } from 'playwright-core';
import { MEDIUM_TEST_TOKEN } from '../simulators/medium';
import { waitForStatus } from '../helpers/publications';
import { createArticle, createLimitedUser, describeBrowser, expectSecretNotServed, HAS_ROUTES, login, publishArticle, recordResponses, screenshot, startE2E, waitAttr, type E2E } from './helpers';

jest.setTimeout(240000);

let e: E2E;

describeBrowser('settings and permissions (browser)', () => {
  beforeAll(async () => {
    // Medium has no credential in the environment, so an admin can enter one in the page.
    e = await startE2E({ CROSSPOST_MEDIUM_TOKEN: undefined });
  });

  afterAll(async () => {
    await e?.stop();
  });

  (HAS_ROUTES.settings ? test : test.skip)('test connection says who the account is, or what is wrong; an entered credential never comes back', async () => {
    const { page } = await e.newPage();
    const responses = recordResponses(page);
    await login(page);
    await page.goto('/admin/settings/crosspost');
    const devto = page.getByTestId('settings-devto');
    await devto.getByText('Set by CROSSPOST_DEVTO_API_KEY', { exact: false }).waitFor();

    const medium = page.getByTestId('settings-medium');
    const token = medium.getByLabel('Token');
    await token.fill('not-a-medium-token');
    await medium.getByRole('button', { name: 'Test connection' }).click();
    await waitAttr(medium.getByTestId('test-result-medium'), 'data-ok', 'false');
    expect(await medium.getByTestId('test-result-medium').innerText()).toMatch(/Medium/); // what is wrong, in words
    await token.fill(MEDIUM_TEST_TOKEN);
    await medium.getByRole('button', { name: 'Test connection' }).click();
    await waitAttr(medium.getByTestId('test-result-medium'), 'data-ok', 'true');
    expect(await medium.getByTestId('test-result-medium').innerText()).toMatch(/Connected to Medium as @\w+/); // who the account is
    await page.getByRole('button', { name: 'Save' }).click();
    await medium.getByText(/Saved \(ends with/).waitFor();
    await screenshot(page, 'settings');

    await page.reload();
    await page.getByTestId('settings-medium').waitFor();
    await expectSecretNotServed(page, responses, MEDIUM_TEST_TOKEN);
  });

  test('a read-only role sees the dashboard, no action buttons, and is refused the settings page', async () => {
    const documentId = await createArticle(e, 'Seen by a reader');
    await publishArticle(e, documentId);
    const row = await waitForStatus(e.app.strapi, documentId, 'devto');
    await createLimitedUser(e, ['plugin::crosspost.read'], 'reader@example.com', 'Reader-Passw0rd!');

    const { page } = await e.newPage();
    await login(page, 'reader@example.com', 'Reader-Passw0rd!');
    // The homepage widget sums up failures and waiting rows for anyone who can read the status.
    expect(await page.getByTestId('crosspost-widget').innerText()).toMatch(/Cross-posting: \d+ failed, \d+ waiting/);
    await screenshot(page, 'homepage-widget');
    await page.locator('a[href="/admin/plugins/crosspost"]').first().click();
    const tr = page.locator(`[data-testid="publication-row"][data-id="${row.id}"]`);
    await waitAttr(tr, 'data-status', row.status);
    await tr.locator('a[data-testid="remote-link"]').waitFor();
    await assertNoActions(page);
    await screenshot(page, 'dashboard-read-only');

    await page.goto('/admin/settings/crosspost');
    await page.getByText("You don't have the permissions to access that content").waitFor();
  });

  test('no uncaught error or unexpected console error in the browser', () => {
    expect(e.consoleErrors.join('\n')).toBe('');
  });
});

async function assertNoActions(page: Page) {
  for (const name of [/^Retry/, /^Cancel/, /^Confirm/, /Cross-post existing entries/]) {
    expect(await page.getByRole('button', { name }).count()).toBe(0);
  }
  expect(await page.getByRole('checkbox').count()).toBe(0);
}
