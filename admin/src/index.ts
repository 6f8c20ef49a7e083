import type { StrapiApp } from '@strapi/strapi/admin';
import type { ContentManagerPlugin } from '@strapi/content-manager/strapi-admin';
import { PaperPlane } from '@strapi/icons';
import { PLUGIN_ID } from './pluginId';
import { PERMISSIONS } from './permissions';
import { Initializer } from './components/Initializer';
import { CrosspostPanel } from './components/EntryPanel';
import { addStatusColumn } from './components/ListStatusColumn';

/**
 * Admin entry. `register` gets the whole app (menu link, settings link, homepage widget, plugin);
 * `bootstrap` only gets a few hooks, and the Content Manager's APIs through getPlugin.
 */
export default {
  register(app: StrapiApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PaperPlane,
      intlLabel: { id: `${PLUGIN_ID}.menu.label`, defaultMessage: 'Cross-posting' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/Dashboard'),
    });
    app.addSettingsLink(
      { id: PLUGIN_ID, intlLabel: { id: `${PLUGIN_ID}.settings.section`, defaultMessage: 'Cross-posting' } },
      {
        id: 'general',
        to: PLUGIN_ID,
        intlLabel: { id: `${PLUGIN_ID}.settings.link`, defaultMessage: 'Platforms and webhooks' },
        permissions: PERMISSIONS.settings,
        Component: () => import('./pages/Settings'),
      },
    );
    // The homepage widget API exists from Strapi 5.13; older admins simply do not get the widget.
    const widgets = (app as unknown as { widgets?: { register: (w: unknown) => void } }).widgets;
    widgets?.register({
      id: 'status',
      pluginId: PLUGIN_ID,
      icon: PaperPlane,
      title: { id: `${PLUGIN_ID}.widget.title`, defaultMessage: 'Cross-posting' },
      link: { label: { id: `${PLUGIN_ID}.widget.link`, defaultMessage: 'Open the dashboard' }, href: `/plugins/${PLUGIN_ID}` },
      component: async () => (await import('./widgets/StatusWidget')).default,
      permissions: PERMISSIONS.read,
    });
    app.registerPlugin({ id: PLUGIN_ID, initializer: Initializer, isReady: false, name: PLUGIN_ID });
  },

  bootstrap(app: { getPlugin: (id: string) => { apis: unknown } | undefined; registerHook?: (name: string, fn: (args: never) => unknown) => void }) {
    const cm = app.getPlugin('content-manager')?.apis as ContentManagerPlugin['config']['apis'] | undefined;
    cm?.addEditViewSidePanel([CrosspostPanel]);
    // One status dot per platform in the list view of watched types.
    app.registerHook?.('Admin/CM/pages/ListView/inject-column-in-table', addStatusColumn as (args: never) => unknown);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          const prefixed = Object.fromEntries(Object.entries(data).map(([k, v]) => [`${PLUGIN_ID}.${k}`, v]));
          return { data: prefixed, locale };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};
