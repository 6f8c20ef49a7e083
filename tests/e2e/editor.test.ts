/**
 * The editor's path in a real browser: publish, watch every platform reach `published` in the entry
 * panel and on the dashboard, see a DEV refusal in words, retry it without reloading, bulk retry,
 * backfill. Screenshots land in tests/e2e/screenshots/ (git-ignored).
 */
import request from 'supertest';
import type { Page } from 'playwright-core';
import { ARTICLE_UID, blocksBody, rowFor, rowsFor, waitForStatus } from '../helpers/publications';
import { waitFor } from '../helpers/strapi';
import { createArticle, describeBrowser, HAS_ROUTES, login, publishArticle, screenshot, startE2E, waitAttr, type E2E } from './helpers';

jest.setTimeout(240000);

const PLATFORMS = ['devto', 'hashnode', 'medium'];
const DEV_REFUSAL = 'Tag "github-actions" contains non-alphanumeric characters';

let e: E2E;
let page: Page;

describeBrowser('editor in the admin (browser)', () => {
  beforeAll(async () => {
    e = await startE2E();
    ({ page } = await e.newPage());
    await login(page);
  });

  afterAll(async () => {
    await e?.stop();
  });

  test('publish an article: the entry panel and the dashboard reach published on every platform, with links to the live posts', async () => {
    const documentId = await createArticle(e, 'Hello from the browser');
    await page.goto(`/admin/content-manager/collection-types/api::article.article/${documentId}`);
    const panel = page.getByTestId('crosspost-panel');
    await panel.waitFor();
    await panel.getByText('Not cross-posted yet', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).first().click();

    for (const p of PLATFORMS) await waitAttr(panel.locator(`[data-testid="panel-row"][data-platform="${p}"]`), 'data-status', 'published');
    const rows = await rowsFor(e.app.strapi, documentId);
    expect(rows.map((r) => r.status).sort()).toEqual(['published', 'published', 'published']);
    for (const row of rows) {
      const href = await panel.locator(`[data-testid="panel-row"][data-platform="${row.platform}"] a[data-testid="remote-link"]`).getAttribute('href');
      expect(href).toBe(row.remoteUrl);
    }
    // The live posts are the ones the platforms hold.
    const devRow = rows.find((r) => r.platform === 'devto')!;
    expect(e.devto.articles.map((a) => String(a.id))).toContain(String(devRow.remoteId));
    await screenshot(page, 'panel-published');

    // Preview: the exact Markdown and fields each platform receives.
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('dialog');
    await preview.getByTestId('preview-devto').getByText('Hello from the browser: body text.', { exact: false }).waitFor();
    await screenshot(page, 'preview');
    await preview.getByRole('button', { name: 'Close' }).last().click();
    await preview.waitFor({ state: 'detached' });

    await page.goto('/admin/plugins/crosspost');
    const table = page.getByTestId('publications-table');
    await table.waitFor();
    for (const row of rows) {
      const tr = table.locator(`[data-testid="publication-row"][data-id="${row.id}"]`);
      await waitAttr(tr, 'data-status', 'published');
      expect(await tr.locator('a[data-testid="remote-link"]').getAttribute('href')).toBe(row.remoteUrl);
      // The title links to the entry in the Content Manager.
      expect(await tr.getByRole('link', { name: 'Hello from the browser' }).getAttribute('href')).toContain(`/content-manager/collection-types/api::article.article/${documentId}`);
    }
    await screenshot(page, 'dashboard');
  });

  test('DEV refuses the next create: failed with DEV\'s message in words; retry turns it published without a reload', async () => {
    e.devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 422, body: { error: DEV_REFUSAL, status: 422 } });
    const documentId = await createArticle(e, 'Refused by DEV');
    await publishArticle(e, documentId);
    const failed = await waitForStatus(e.app.strapi, documentId, 'devto');
    expect(failed.status).toBe('failed');

    await page.goto('/admin/plugins/crosspost?platform=devto');
    const tr = page.locator(`[data-testid="publication-row"][data-id="${failed.id}"]`);
    await waitAttr(tr, 'data-status', 'failed');
    const errorText = await tr.getByTestId('error-text').innerText();
    expect(errorText).toContain('github-actions'); // DEV's own words
    expect(errorText).toMatch(/retry/i); // and what to do next
    await screenshot(page, 'dashboard-failed');

    // The detail view: every attempt with its outcome and HTTP status.
    await tr.getByRole('button', { name: /^Details of/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('422').first().waitFor();
    await screenshot(page, 'detail');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });

    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    await tr.getByRole('button', { name: /^Retry "Refused by DEV" on DEV/ }).click();
    await waitAttr(tr, 'data-status', 'published');
    expect(navigations).toEqual([]); // no reload: the page refreshed itself
    expect((await rowFor(e.app.strapi, documentId, 'devto'))!.status).toBe('published');
  });

  test('bulk retry of several failed rows', async () => {
    e.devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 422, body: { error: DEV_REFUSAL, status: 422 }, times: 3 });
    const ids: number[] = [];
    for (const title of ['Bulk one', 'Bulk two', 'Bulk three']) {
      const documentId = await createArticle(e, title);
      await publishArticle(e, documentId);
      ids.push((await waitForStatus(e.app.strapi, documentId, 'devto')).id);
    }
    await page.goto('/admin/plugins/crosspost?platform=devto&status=failed');
    for (const id of ids) await waitAttr(page.locator(`[data-testid="publication-row"][data-id="${id}"]`), 'data-status', 'failed');
    await page.getByRole('checkbox', { name: 'Select all rows' }).click();
    await page.getByRole('button', { name: 'Retry selected (3)' }).click();
    await waitFor(async () => (await Promise.all(ids.map((id) => e.app.strapi.db.query('plugin::crosspost.publication').findOne({ where: { id } })))).every((r) => r.status === 'published'), {
      timeoutMs: 30000,
      what: 'the three rows to be published again',
    });
    // Each article exists once on DEV: a bulk retry never queues a row twice.
    for (const title of ['Bulk one', 'Bulk two', 'Bulk three']) expect(e.devto.articles.filter((a) => a.title === title)).toHaveLength(1);
  });

  (HAS_ROUTES.bulk ? test : test.skip)('"Retry all failed" says how many, then requeues exactly those', async () => {
    e.devto.server.inject({ kind: 'status', match: { method: 'POST', path: '/api/articles' }, status: 422, body: { error: DEV_REFUSAL, status: 422 }, times: 2 });
    const ids: number[] = [];
    for (const title of ['All one', 'All two']) {
      const documentId = await createArticle(e, title);
      await publishArticle(e, documentId);
      ids.push((await waitForStatus(e.app.strapi, documentId, 'devto')).id);
    }
    await page.goto('/admin/plugins/crosspost?platform=devto');
    await page.getByRole('button', { name: 'Retry all failed' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Retry 2 failed publications on DEV?').waitFor();
    await screenshot(page, 'bulk-confirm');
    await dialog.getByRole('button', { name: 'Retry 2' }).click();
    await waitFor(async () => (await Promise.all(ids.map((id) => e.app.strapi.db.query('plugin::crosspost.publication').findOne({ where: { id } })))).every((r) => r.status === 'published'), {
      timeoutMs: 30000,
      what: 'both rows published',
    });
  });

  (HAS_ROUTES.backfill ? test : test.skip)('backfill a content type: estimate, start, progress bar to 100 %', async () => {
    // Three entries published before the plugin was installed: written straight to the database, so no
    // publish event ever reached the plugin. Only DEV is chosen: every other entry is already on DEV.
    const before = e.devto.articles.length;
    for (const n of [1, 2, 3]) {
      const documentId = `backfill${n}${Date.now().toString(36)}`.padEnd(24, 'x');
      const data = { documentId, title: `Old post ${n}`, slug: `old-post-${n}`, description: 'Written before the plugin', body: blocksBody(`Old post ${n}.`) };
      await e.app.strapi.db.query(ARTICLE_UID).create({ data: { ...data, publishedAt: null } });
      await e.app.strapi.db.query(ARTICLE_UID).create({ data: { ...data, publishedAt: new Date() } });
    }
    const http = request(e.app.httpServer);
    const est = await http.get('/crosspost/backfill/estimate?contentType=api::article.article&platforms=devto').set('Authorization', `Bearer ${e.jwt}`);
    expect(est.body.data.toPost).toBe(3);
    await page.goto('/admin/plugins/crosspost');
    await page.getByRole('button', { name: 'Cross-post existing entries' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('backfill-estimate').waitFor();
    await dialog.getByRole('checkbox', { name: 'Hashnode' }).click();
    await dialog.getByRole('checkbox', { name: 'Medium' }).click();
    await dialog.getByTestId('backfill-estimate').getByText(/to post/).waitFor();
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    const progress = dialog.getByTestId('backfill-progress');
    await waitAttr(progress, 'data-progress', '100', 90000);
    await screenshot(page, 'backfill-done');
    expect(e.devto.articles.length).toBe(before + 3);
    expect(e.devto.articles.filter((a) => a.title.startsWith('Old post'))).toHaveLength(3);
  });

  test('the list view shows one labelled status dot per platform, from one request for the page', async () => {
    const documentId = await createArticle(e, 'Dots in the list');
    await publishArticle(e, documentId);
    await waitFor(async () => (await rowsFor(e.app.strapi, documentId)).filter((r) => r.status === 'published').length === 3, { timeoutMs: 45000, what: 'published on the three platforms' });
    const requests: string[] = [];
    const onRequest = (r: { url: () => string }) => r.url().includes('/crosspost/entry-statuses') && requests.push(r.url());
    page.on('request', onRequest);
    await page.goto('/admin/content-manager/collection-types/api::article.article');
    const dots = page.locator(`[data-testid="list-status"][data-document-id="${documentId}"]`);
    await dots.waitFor();
    for (const [p, name, initial] of [['devto', 'DEV', 'D'], ['hashnode', 'Hashnode', 'H'], ['medium', 'Medium', 'M']]) {
      const dot = dots.locator(`[data-platform="${p}"]`);
      expect(await dot.getAttribute('data-status')).toBe('published');
      expect(await dot.getAttribute('aria-label')).toBe(`${name}: published`);
      // Told apart by a letter too, not by colour alone.
      expect((await dot.innerText()).trim()).toBe(initial);
    }
    // The other articles of the page are answered by the same request.
    expect(await page.locator('[data-testid="list-status"]').count()).toBeGreaterThan(1);
    page.off('request', onRequest);
    expect(requests).toHaveLength(1);
    await screenshot(page, 'list-view');
  });

  test("a type the plugin does not watch gets no column, even when its list is the first page opened", async () => {
    await e.app.strapi.documents('api::tag.tag' as never).create({ data: { name: 'unwatched-list' } as never });
    // Notes any moment a "Cross-posting" header is on screen, not only the end state (it could come and go).
    await page.addInitScript(() => {
      const w = window as unknown as { __crosspostColumnSeen?: boolean };
      const observer = new MutationObserver(() => {
        if ([...document.querySelectorAll('th')].some((th) => /cross-posting/i.test(th.textContent ?? ''))) {
          w.__crosspostColumnSeen = true;
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    // A fresh page load: the admin has not asked the server for the watched types yet.
    await page.goto('/admin/content-manager/collection-types/api::tag.tag');
    await page.getByText('unwatched-list').first().waitFor();
    // Give the watched types time to load and the list time to render again.
    await waitFor(async () => (await page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/crosspost/content-types')))), { timeoutMs: 15000, what: 'the watched types loaded' });
    expect(await page.getByRole('columnheader', { name: 'Cross-posting' }).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __crosspostColumnSeen?: boolean }).__crosspostColumnSeen ?? false)).toBe(false);
    await screenshot(page, 'list-view-unwatched');
  });

  test('the create view shows, read-only, the defaults a new article will get', async () => {
    const http = request(e.app.httpServer);
    const auth = { Authorization: `Bearer ${e.jwt}` };
    const before = (await http.get('/crosspost/settings').set(auth).expect(200)).body.data;
    // Hashnode as a draft 10 minutes after publishing; Medium not sent: the panel must say exactly that.
    await http.put('/crosspost/settings').set(auth).send({ defaults: { platforms: ['devto', 'hashnode'] }, platforms: { hashnode: { defaults: { mode: 'draft', delayMs: 600000 } } } }).expect(200);
    try {
      await page.goto('/admin/content-manager/collection-types/api::article.article/create');
      const panel = page.getByTestId('crosspost-panel-new');
      const row = (p: string) => panel.locator(`[data-testid="default-row"][data-platform="${p}"]`);
      await row('devto').waitFor();
      expect(await row('devto').innerText()).toMatch(/DEV\s+Published post, at once/);
      expect(await row('hashnode').innerText()).toMatch(/Hashnode\s+Draft, 10 minutes after publishing/);
      expect(await row('medium').innerText()).toMatch(/Medium\s+not sent/);
      expect(await row('medium').getAttribute('data-enabled')).toBe('false');
      await panel.getByText('You can change these for this entry after its first save').waitFor();
      // Read-only: nothing to press in the panel before the first save.
      expect(await panel.locator('button, input, select').count()).toBe(0);
      await screenshot(page, 'panel-new-entry');
    } finally {
      const restore = Object.fromEntries(Object.entries(before.platforms as Record<string, { defaults: unknown }>).map(([p, v]) => [p, { defaults: v.defaults }]));
      await http.put('/crosspost/settings').set(auth).send({ defaults: before.defaults, platforms: restore }).expect(200);
    }
  });

  test('no uncaught error or unexpected console error in the browser', () => {
    expect(e.consoleErrors.join('\n')).toBe('');
  });
});
