/** The admin's settings laid over the file config: precedence of credential sources, platforms off, entry defaults. */
import { parseConfig } from '../../../server/src/config/schema';
import { buildDefaultConfig } from '../../../server/src/config/defaults';
import { effectiveConfig, entryDefaults, fileSource, last4, storedSettingsSchema, whyOff } from '../../../server/src/settings/effective';
import { defaultsDeep } from 'lodash';

function load(user: Record<string, unknown>, env: Record<string, string> = {}) {
  const envFn = Object.assign((k: string) => env[k], {}) as never;
  return parseConfig(defaultsDeep({}, user, buildDefaultConfig({ env: envFn })));
}

const stored = (v: unknown = {}) => storedSettingsSchema.parse(v);

describe('effective settings', () => {
  test('an environment or config/plugins credential wins over an admin-entered one', () => {
    const env = { CROSSPOST_DEVTO_API_KEY: 'from-env' };
    const config = load({ contentTypes: {}, platforms: { medium: { token: 'from-config' } } }, env);
    const eff = effectiveConfig(config, stored(), { devto: { apiKey: 'from-admin' }, medium: { token: 'admin-medium' }, hashnode: { token: 'admin-hn' } }, true);
    expect(eff.platforms.devto.apiKey).toBe('from-env');
    expect(eff.platforms.medium.token).toBe('from-config');
    expect(eff.platforms.hashnode.token).toBe('admin-hn');
    expect(fileSource(config, env, 'devto', 'apiKey')).toBe('env');
    expect(fileSource(config, env, 'medium', 'token')).toBe('config');
    expect(fileSource(config, env, 'hashnode', 'token')).toBeNull();
  });

  test('with admin editing off, admin-entered credentials are ignored', () => {
    const config = load({ contentTypes: {} });
    const eff = effectiveConfig(config, stored(), { devto: { apiKey: 'from-admin' } }, false);
    expect(eff.platforms.devto.apiKey).toBeUndefined();
    expect(whyOff(config, stored(), eff, 'devto')).toBe('DEV is not configured: no apiKey. Set CROSSPOST_DEVTO_API_KEY, or enter it in Settings → Cross-posting, then retry.');
  });

  test('a platform switched off in the admin is off even with credentials; the config switch comes first', () => {
    const config = load({ contentTypes: {}, platforms: { medium: { enabled: false } } }, { CROSSPOST_DEVTO_API_KEY: 'k', CROSSPOST_MEDIUM_TOKEN: 't' });
    const s = stored({ platforms: { devto: { enabled: false } } });
    const eff = effectiveConfig(config, s, {}, true);
    expect(eff.platforms.devto.enabled).toBe(false);
    expect(whyOff(config, s, eff, 'devto')).toBe('DEV is switched off in Settings → Cross-posting. Switch it on there, then retry.');
    expect(whyOff(config, s, eff, 'medium')).toMatch(/^Medium is disabled in the plugin config/);
    expect(whyOff(config, stored(), effectiveConfig(config, stored(), {}, true), 'devto')).toBeNull();
  });

  test('entry defaults: every platform in publish mode without delay unless the admin chose otherwise', () => {
    expect(entryDefaults(stored())).toEqual({
      platforms: ['devto', 'hashnode', 'medium'],
      perPlatform: { devto: { mode: 'publish', delayMs: 0 }, hashnode: { mode: 'publish', delayMs: 0 }, medium: { mode: 'publish', delayMs: 0 } },
    });
    const d = entryDefaults(stored({ defaults: { platforms: ['medium'] }, platforms: { medium: { mode: 'draft', delayMs: 5000 } } }));
    expect(d.platforms).toEqual(['medium']);
    expect(d.perPlatform.medium).toEqual({ mode: 'draft', delayMs: 5000 });
  });

  test('last4 only for values long enough to keep the rest hidden', () => {
    expect(last4('abcdefghijkl')).toBe('ijkl');
    expect(last4('short-key')).toBeNull();
  });

  test('config switch: CROSSPOST_ADMIN_CREDENTIALS=false turns admin editing off; a bad value names the variable', () => {
    expect(load({ contentTypes: {} }).settings.editableCredentials).toBe(true);
    expect(load({ contentTypes: {} }, { CROSSPOST_ADMIN_CREDENTIALS: 'false' }).settings.editableCredentials).toBe(false);
    expect(load({ contentTypes: {}, settings: { editableCredentials: false } }).settings.editableCredentials).toBe(false);
    expect(() => load({ contentTypes: {} }, { CROSSPOST_ADMIN_CREDENTIALS: 'maybe' })).toThrow(
      '"settings.editableCredentials" must be true or false (CROSSPOST_ADMIN_CREDENTIALS), got "maybe"',
    );
    expect(() => load({ contentTypes: {}, settings: { refreshMs: 10 } })).toThrow('"settings.refreshMs" must be at least 100 (ms)');
  });
});
