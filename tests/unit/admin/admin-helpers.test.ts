/** Pure admin helpers: URL → list params, next steps in words, permissions and translations kept in step. */
import fs from 'node:fs';
import path from 'node:path';
import { toFilter, toListParams } from '../../../admin/src/utils/listQuery';
import { entryUrl, nextStep } from '../../../admin/src/utils/errorText';
import { PERMISSIONS } from '../../../admin/src/permissions';
import { ACTIONS } from '../../../server/src/permissions';
import type { PublicationView } from '../../../admin/src/api/types';

const ADMIN = path.resolve(__dirname, '../../../admin/src');
const t = (_key: string, def: string, values?: Record<string, unknown>) => def.replace(/\{(\w+)\}/g, (_, k) => String(values?.[k] ?? `{${k}}`));

describe('toListParams (what Strapi list helpers write to the URL → what the server accepts)', () => {
  test('maps _q to q and upper-case sort to the server values; drops unknown keys', () => {
    expect(toListParams({ _q: ' hello ', sort: 'title:ASC', page: '2', pageSize: '50', plugins: { i18n: { locale: 'fr' } }, detail: '4' })).toEqual({
      q: 'hello',
      sort: 'title:asc',
      page: 2,
      pageSize: 50,
    });
  });

  test('keeps filters, falls back on defaults for anything invalid', () => {
    expect(toListParams({ status: 'failed', platform: 'devto', contentType: 'api::article.article', sort: 'id:desc', page: '-1', pageSize: '1000' })).toEqual({
      status: 'failed',
      platform: 'devto',
      contentType: 'api::article.article',
      sort: 'updatedAt:desc',
      page: 1,
      pageSize: 100,
    });
    expect(toListParams({ sort: 'UPDATEDAT:ASC' }).sort).toBe('updatedAt:asc');
  });

  test('"retry all failed" uses the current filter with status forced to failed', () => {
    expect(toFilter(toListParams({ status: 'published', platform: 'medium', _q: 'x' }))).toEqual({ status: 'failed', platform: 'medium', q: 'x' });
  });
});

describe('nextStep', () => {
  const row = (over: Partial<PublicationView>) => ({ status: 'failed', lastError: null, lastErrorKind: 'permanent', platform: 'devto', ...over }) as PublicationView;

  test('a refused tag says to edit the tags, a rejected key points to the settings', () => {
    expect(nextStep(row({ lastError: 'DEV rejected tag "github-actions": letters and digits only' }), t)).toMatch(/tags or keywords, then retry/);
    expect(nextStep(row({ lastError: 'DEV answered 401 Unauthorized: check the API key' }), t)).toMatch(/DEV credentials in Settings/);
  });

  test('unconfirmed and outdated ask for the URL; published needs nothing', () => {
    expect(nextStep(row({ status: 'unconfirmed', platform: 'medium' }), t)).toMatch(/Medium did not answer in time.*URL/);
    expect(nextStep(row({ status: 'outdated', platform: 'medium' }), t)).toMatch(/confirm with its URL/);
    expect(nextStep(row({ status: 'published' }), t)).toBeNull();
  });
});

test('entry links go to the Content Manager, with the locale for localized entries', () => {
  expect(entryUrl({ contentType: 'api::article.article', entryDocumentId: 'abc', locale: null })).toBe('/content-manager/collection-types/api::article.article/abc');
  expect(entryUrl({ contentType: 'api::home.home', entryDocumentId: 'x', locale: 'fr' }, 'singleType')).toBe('/content-manager/single-types/api::home.home?plugins[i18n][locale]=fr');
});

test('the admin checks the same RBAC actions as the server', () => {
  expect([PERMISSIONS.read[0].action, PERMISSIONS.publish[0].action, PERMISSIONS.settings[0].action]).toEqual([ACTIONS.read, ACTIONS.publish, ACTIONS.settings]);
});

describe('translations', () => {
  const en = JSON.parse(fs.readFileSync(path.join(ADMIN, 'translations/en.json'), 'utf8')) as Record<string, string>;
  const fr = JSON.parse(fs.readFileSync(path.join(ADMIN, 'translations/fr.json'), 'utf8')) as Record<string, string>;
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(path.join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [path.join(dir, d.name)] : []));

  test('every key used in the admin code has an English text, and en and fr have the same keys', () => {
    const used = new Set<string>();
    for (const file of sources(ADMIN)) {
      const code = fs.readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]);
      for (const m of code.matchAll(/\$\{PLUGIN_ID\}\.([\w.]+)`/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  test('French texts keep the same placeholders as the English ones', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) {
      expect({ key, fr: placeholders(fr[key]) }).toEqual({ key, fr: placeholders(en[key]) });
      expect(fr[key].trim()).not.toBe('');
    }
  });
});
