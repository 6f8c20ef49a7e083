/** GraphQL shadow CRUD is turned off for every one of the plugin's own types when @strapi/plugin-graphql is there. */
import register from '../../../server/src/register';

test('disables every plugin type in the GraphQL plugin (settings and webhook secrets included); nothing to do without it', () => {
  const disabled: string[] = [];
  const extension = { shadowCRUD: (uid: string) => ({ disable: () => disabled.push(uid) }) };
  const withGraphql = { plugin: (name: string) => (name === 'graphql' ? { service: (s: string) => (s === 'extension' ? extension : undefined) } : undefined) };
  register({ strapi: withGraphql as never });
  expect(disabled.sort()).toEqual([
    'plugin::crosspost.attempt',
    'plugin::crosspost.backfill',
    'plugin::crosspost.entry-setting',
    'plugin::crosspost.publication',
    'plugin::crosspost.setting',
    'plugin::crosspost.stats-day',
    'plugin::crosspost.stats-hour',
    'plugin::crosspost.webhook-delivery',
    'plugin::crosspost.webhook-endpoint',
  ]);
  expect(() => register({ strapi: { plugin: () => undefined } as never })).not.toThrow();
});
