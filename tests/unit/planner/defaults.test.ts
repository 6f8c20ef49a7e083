/** An entry's choices with the admin's defaults filling the gaps (planner/defaults.ts). */
import { effectiveSetting } from '../../../server/src/planner/defaults';
import { entryDefaults, storedSettingsSchema } from '../../../server/src/settings/effective';
import type { Runtime } from '../../../server/src/runtime';

const target = { uid: 'api::article.article', documentId: 'doc1', locale: '' };
/** Only the one store lookup effectiveSetting makes: does the entry already have a row on the platform? */
const rtWith = (existing: string[]) =>
  ({ store: { findByKey: async (key: string) => (existing.some((p) => key.endsWith(`|${p}`)) ? { id: 1 } : null) } }) as unknown as Runtime;

const defaults = entryDefaults(
  storedSettingsSchema.parse({ defaults: { platforms: ['devto', 'hashnode'] }, platforms: { devto: { mode: 'draft', delayMs: 60000 } } }),
);

test('the admin defaults fill what the entry did not choose; the entry\'s own choices win', async () => {
  expect(await effectiveSetting(rtWith([]), target, 'devto', {}, defaults)).toEqual({ draft: true, delayMs: 60000 });
  expect(await effectiveSetting(rtWith([]), target, 'devto', { draft: false, delayMs: 0 }, defaults)).toEqual({ draft: false, delayMs: 0 });
  expect(await effectiveSetting(rtWith([]), target, 'hashnode', {}, defaults)).toEqual({ draft: false, delayMs: undefined });
});

test('a platform outside the defaults gets new entries only when the editor asks; an entry already there keeps it', async () => {
  expect((await effectiveSetting(rtWith([]), target, 'medium', {}, defaults)).enabled).toBe(false);
  expect((await effectiveSetting(rtWith([]), target, 'medium', { enabled: true }, defaults)).enabled).toBe(true);
  expect((await effectiveSetting(rtWith(['medium']), target, 'medium', {}, defaults)).enabled).toBeUndefined();
});
