/**
 * Settings › Webhooks in a real browser, against a real receiver on 127.0.0.1: add an endpoint, see its
 * secret once (and verify the receiver's signature with it), send a test, find it delivered in the log,
 * replay it, re-enable a disabled endpoint, edit, delete; after a reload the secret is nowhere.
 */
import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/strapi';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';
import { describeBrowser, expectSecretNotServed, login, recordResponses, screenshot, startE2E, waitAttr, type E2E } from './helpers';

jest.setTimeout(240000);

const ENDPOINT = 'plugin::crosspost.webhook-endpoint';
const NAME = 'Newsletter';

let e: E2E;
let rx: Receiver;
let page: Page;

describeBrowser('webhooks in the settings (browser)', () => {
  beforeAll(async () => {
    rx = await startReceiver();
    e = await startE2E({ CROSSPOST_WEBHOOKS_ALLOW_PRIVATE: 'true' });
    ({ page } = await e.newPage());
    await login(page);
  });

  afterAll(async () => {
    await e?.stop();
    await rx?.close();
  });

  test('add an endpoint, see the secret once, send a test, find it delivered in the log; the secret never comes back', async () => {
    await page.goto('/admin/settings/crosspost');
    const section = page.getByTestId('webhooks-section');
    await section.getByText('No endpoint yet', { exact: false }).waitFor();
    await section.getByRole('button', { name: 'Add endpoint' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Name').fill(NAME);
    await form.getByLabel('URL').fill(rx.url('e2e'));
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    // Shown once: read it from the dialog, as the user copies it.
    const shown = page.getByRole('alertdialog');
    const secret = await shown.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    rx.secret('e2e', secret);
    await screenshot(page, 'webhook-secret');
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    const card = section.getByTestId('webhook-endpoint').filter({ hasText: NAME });
    await card.getByRole('button', { name: `Send a test to "${NAME}"` }).click();
    await waitFor(() => rx.for('e2e').length === 1, { timeoutMs: 15000, what: 'the test to reach the receiver' });
    const [got] = rx.for('e2e');
    expect(got.verifyError).toBeNull(); // signed with the secret the dialog showed
    expect(JSON.parse(got.body).type).toBe('crosspost.test');

    await card.getByRole('button', { name: `Deliveries to "${NAME}"` }).click();
    const log = page.getByRole('dialog');
    const row = log.getByTestId('webhook-delivery').first();
    await waitAttr(row, 'data-status', 'succeeded');
    expect(await row.getAttribute('data-event')).toBe('crosspost.test');
    expect(await row.innerText()).toMatch(/delivered[\s\S]*200/i);
    await screenshot(page, 'webhook-deliveries');

    // Replay: the same webhook-id again, signed afresh.
    await row.getByRole('button', { name: /^Replay crosspost\.test/ }).click();
    await waitFor(() => rx.for('e2e').length === 2, { timeoutMs: 15000, what: 'the replay to reach the receiver' });
    const replayed = rx.for('e2e')[1];
    expect(replayed.headers['webhook-id']).toBe(got.headers['webhook-id']);
    expect(replayed.verifyError).toBeNull();
    await waitFor(async () => (await log.getByTestId('webhook-delivery').first().getAttribute('data-status')) === 'succeeded', { timeoutMs: 15000, what: 'the replayed delivery to show delivered' });
    await log.getByRole('button', { name: 'Close' }).last().click();
    await log.waitFor({ state: 'detached' });

    const recorder = recordResponses(page);
    await page.reload();
    await page.getByTestId('webhooks-section').getByTestId('webhook-endpoint').filter({ hasText: NAME }).waitFor();
    await expectSecretNotServed(page, recorder, secret);
  });

  test('a disabled endpoint says why and can be enabled again; edit; delete asks first', async () => {
    const reason = 'The receiver answered 410 Gone: it asked not to be called again.';
    await e.app.strapi.db.query(ENDPOINT).updateMany({ where: { name: NAME }, data: { enabled: false, disabledReason: reason } });
    await page.goto('/admin/settings/crosspost');
    const card = page.getByTestId('webhook-endpoint').filter({ hasText: NAME });
    expect(await card.getByTestId('webhook-disabled-reason').innerText()).toContain(reason);
    expect(await card.getByRole('button', { name: `Send a test to "${NAME}"` }).isDisabled()).toBe(true);
    // The admin scrolls its own content box, so a full-page shot shows the top only: bring the section up first.
    await page.getByTestId('webhooks-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-webhooks');
    await card.getByRole('button', { name: `Enable "${NAME}" again` }).click();
    await waitAttr(card, 'data-enabled', 'true');
    expect(await e.app.strapi.db.query(ENDPOINT).findOne({ where: { name: NAME } })).toMatchObject({ enabled: true, disabledReason: null });

    await card.getByRole('button', { name: `Edit "${NAME}"` }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Name').fill('Newsletter v2');
    await form.getByRole('checkbox', { name: 'All events' }).click();
    await form.getByRole('checkbox', { name: 'crosspost.failed' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    const edited = page.getByTestId('webhook-endpoint').filter({ hasText: 'Newsletter v2' });
    await edited.getByText('Events: crosspost.failed').waitFor();

    await edited.getByRole('button', { name: 'Delete "Newsletter v2"' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('Delete "Newsletter v2"?', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('webhooks-section').getByText('No endpoint yet', { exact: false }).waitFor();
    expect(await e.app.strapi.db.query(ENDPOINT).count({ where: {} })).toBe(0);
  });

  test('no uncaught error or unexpected console error in the browser', () => {
    expect(e.consoleErrors.join('\n')).toBe('');
  });
});
