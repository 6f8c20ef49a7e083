/** Settings at /admin/settings/crosspost (plugin::crosspost.settings). */
import { useEffect, useState } from 'react';
import { Box, Button, Checkbox, Flex, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { errorMessage, isMissingRoute } from '../../api/errors';
import { useSettingsApi } from '../../api/settings';
import { PLATFORM_IDS } from '../../api/types';
import type { PlatformId, Settings, SettingsUpdate } from '../../api/types';
import { useRemote } from '../../hooks/useRemote';
import { PERMISSIONS } from '../../permissions';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';
import { PlatformCard, type PlatformDraft } from './PlatformCard';
import { WebhooksSection } from './Webhooks';

function draftsFrom(s: Settings): Record<PlatformId, PlatformDraft> {
  return Object.fromEntries(
    PLATFORM_IDS.filter((p) => s.platforms[p]).map((p) => {
      const ps = s.platforms[p]!;
      return [p, { enabled: ps.enabled, credentials: {}, mode: ps.defaults?.mode ?? 'publish', delayMinutes: Math.round((ps.defaults?.delayMs ?? 0) / 60000) }];
    }),
  ) as Record<PlatformId, PlatformDraft>;
}

const SettingsPage = () => {
  const t = useT();
  const api = useSettingsApi();
  const { toggleNotification } = useNotification();
  const remote = useRemote(() => api.get(), []);
  const [drafts, setDrafts] = useState<Record<PlatformId, PlatformDraft> | null>(null);
  const [defaultPlatforms, setDefaultPlatforms] = useState<PlatformId[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!remote.data) return;
    setDrafts(draftsFrom(remote.data));
    setDefaultPlatforms(remote.data.defaults?.platforms ?? []);
  }, [remote.data]);

  const save = async () => {
    if (!drafts || !remote.data) return;
    setSaving(true);
    try {
      const body: SettingsUpdate = { defaults: { platforms: defaultPlatforms }, platforms: {} };
      for (const [p, d] of Object.entries(drafts) as [PlatformId, PlatformDraft][]) {
        const credentials = Object.fromEntries(Object.entries(d.credentials).filter(([, v]) => v.trim() !== ''));
        body.platforms![p] = {
          enabled: d.enabled,
          defaults: { mode: d.mode, delayMs: Math.max(0, Math.round(d.delayMinutes * 60000)) },
          ...(Object.keys(credentials).length ? { credentials } : {}),
        };
      }
      const next = await api.update(body);
      // The typed secrets are dropped from memory once stored: the page keeps only what the server says.
      setDrafts(draftsFrom(next));
      toggleNotification({ type: 'success', message: t('settings.saved', 'Settings saved. Workers pick them up without a restart.') });
      await remote.reload();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };

  const title = t('settings.title', 'Cross-posting');
  if (remote.loading && !remote.data) return <Page.Loading />;
  if (remote.error && !remote.data) {
    return (
      <Page.Main>
        <Layouts.Header title={title} />
        <Layouts.Content>
          {isMissingRoute(remote.rawError) ? (
            <Typography>{t('settings.unavailable', 'This server does not offer settings yet: configure the plugin with CROSSPOST_* environment variables.')}</Typography>
          ) : (
            <Page.Error>{remote.error}</Page.Error>
          )}
        </Layouts.Content>
      </Page.Main>
    );
  }
  const data = remote.data!;
  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t('settings.subtitle', 'Platforms, credentials, webhooks and what a new entry does by default.')}
        primaryAction={
          <Button startIcon={<Check />} loading={saving} onClick={save}>
            {t('common.save', 'Save')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {!data.encryptionAvailable && data.credentialsEditable ? (
            <Box padding={4} background="warning100" hasRadius>
              <Typography textColor="warning700">
                {t('settings.noEncryptionBanner', 'No encryption key is configured, so credentials cannot be stored here. Set admin.secrets.encryptionKey (ENCRYPTION_KEY) in the server configuration, or use the CROSSPOST_* environment variables.')}
              </Typography>
            </Box>
          ) : null}
          <Box background="neutral0" shadow="tableShadow" hasRadius padding={6}>
            <Typography variant="delta" tag="h2">{t('settings.defaultPlatforms', 'A new entry goes to')}</Typography>
            <Flex gap={4} paddingTop={3} role="group" aria-label={t('settings.defaultPlatforms', 'A new entry goes to')}>
              {PLATFORM_IDS.map((p) => (
                <Checkbox
                  key={p}
                  checked={defaultPlatforms.includes(p)}
                  onCheckedChange={(v: boolean) => setDefaultPlatforms(v ? [...defaultPlatforms, p] : defaultPlatforms.filter((x) => x !== p))}
                >
                  {platformName(p)}
                </Checkbox>
              ))}
            </Flex>
          </Box>
          {drafts
            ? (Object.keys(drafts) as PlatformId[]).map((p) => (
                <PlatformCard
                  key={p}
                  id={p}
                  settings={data.platforms[p]!}
                  draft={drafts[p]}
                  onChange={(d) => setDrafts({ ...drafts, [p]: d })}
                  credentialsEditable={data.credentialsEditable}
                  encryptionAvailable={data.encryptionAvailable}
                />
              ))
            : null}
          <WebhooksSection />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

const ProtectedSettings = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <SettingsPage />
  </Page.Protect>
);

export default ProtectedSettings;
