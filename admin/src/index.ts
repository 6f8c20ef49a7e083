import { PLUGIN_ID } from './pluginId';
import { Initializer } from './components/Initializer';

/**
 * Admin entry. Registers the plugin with the admin app; the dashboard and the edit-view status panel
 * come with the admin UI work.
 */
export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, initializer: Initializer, isReady: false, name: PLUGIN_ID });
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
