/**
 * One platform: on/off, credentials (write-only: the page only ever receives {configured, source, last4};
 * a value set in the environment or config/plugins wins and shows locked), test connection, defaults.
 */
import { useState } from 'react';
import { Box, Button, Field, Flex, NumberInput, SingleSelect, SingleSelectOption, TextInput, Toggle, Typography } from '@strapi/design-system';
import { Lock } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { errorMessage } from '../../api/errors';
import { useSettingsApi } from '../../api/settings';
import type { PlatformId, PlatformSettings, TestConnectionResult } from '../../api/types';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

const FIELD_LABELS: Record<string, [string, string]> = {
  apiKey: ['settings.field.apiKey', 'API key'],
  token: ['settings.field.token', 'Token'],
  publicationId: ['settings.field.publicationId', 'Publication ID'],
};

export interface PlatformDraft {
  enabled: boolean;
  credentials: Record<string, string>;
  mode: 'publish' | 'draft';
  delayMinutes: number;
}

export const PlatformCard = ({
  id,
  settings,
  draft,
  onChange,
  credentialsEditable,
  encryptionAvailable,
}: {
  id: PlatformId;
  settings: PlatformSettings;
  draft: PlatformDraft;
  onChange: (d: PlatformDraft) => void;
  credentialsEditable: boolean;
  encryptionAvailable: boolean;
}) => {
  const t = useT();
  const api = useSettingsApi();
  const { toggleNotification } = useNotification();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestConnectionResult | null>(null);
  const name = platformName(id);

  const test = async () => {
    setTesting(true);
    setResult(null);
    try {
      const typed = Object.fromEntries(Object.entries(draft.credentials).filter(([, v]) => v.trim() !== ''));
      setResult(await api.testConnection(id, typed));
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setTesting(false);
    }
  };

  return (
    <Box background="neutral0" shadow="tableShadow" hasRadius padding={6} data-testid={`settings-${id}`}>
      <Flex justifyContent="space-between" alignItems="center" paddingBottom={4}>
        <Typography variant="delta" tag="h2">{name}</Typography>
        <Field.Root name={`${id}-enabled`}>
          <Flex gap={2} alignItems="center">
            <Field.Label>{t('settings.enabled', 'Cross-post to {platform}', { platform: name })}</Field.Label>
            <Toggle
              onLabel={t('common.on', 'On')}
              offLabel={t('common.off', 'Off')}
              checked={draft.enabled}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...draft, enabled: e.target.checked })}
            />
          </Flex>
        </Field.Root>
      </Flex>
      <Flex direction="column" alignItems="stretch" gap={4}>
        {settings.offReason ? (
          <Typography variant="pi" textColor="warning700" data-testid={`off-reason-${id}`}>
            {settings.offReason}
          </Typography>
        ) : null}
        {Object.entries(settings.credentials).map(([field, state]) => {
          const [key, fallback] = FIELD_LABELS[field] ?? [`settings.field.${field}`, field];
          const label = t(key, fallback);
          const locked = state.locked || !credentialsEditable;
          const hint = state.problem
            ? state.problem
            : state.locked
            ? t('settings.locked', 'Set by {envVar}; change it there.', { envVar: state.envVar })
            : !credentialsEditable
              ? t('settings.notEditable', 'Credentials are managed in the server configuration ({envVar}).', { envVar: state.envVar })
              : state.configured
                ? t('settings.configured', 'Saved (ends with {last4}). Type a new value to replace it.', { last4: state.last4 ?? '····' })
                : !encryptionAvailable
                  ? t('settings.noEncryption', 'Cannot be stored: set admin.secrets.encryptionKey (ENCRYPTION_KEY) in the server configuration first, or set {envVar}.', { envVar: state.envVar })
                  : t('settings.notSet', 'Not set. Stored encrypted; the page never shows it again.');
          return (
            <Field.Root key={field} name={`${id}-${field}`} hint={hint}>
              <Field.Label>{label}</Field.Label>
              <TextInput
                type="password"
                autoComplete="new-password"
                disabled={locked || !encryptionAvailable}
                placeholder={state.configured ? `••••${state.last4 ?? ''}` : ''}
                value={draft.credentials[field] ?? ''}
                startAction={locked ? <Lock aria-hidden /> : undefined}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...draft, credentials: { ...draft.credentials, [field]: e.target.value } })}
              />
              <Field.Hint />
            </Field.Root>
          );
        })}
        <Flex gap={3} alignItems="center" wrap="wrap">
          <Button variant="secondary" loading={testing} onClick={test}>
            {t('settings.test', 'Test connection')}
          </Button>
          {result ? (
            <Typography textColor={result.ok ? 'success600' : 'danger600'} data-testid={`test-result-${id}`} data-ok={String(result.ok)}>
              {result.message || (result.ok ? t('settings.testOk', 'Connected as {account}.', { account: result.account ?? '?' }) : '')}
            </Typography>
          ) : null}
        </Flex>
        <Flex gap={4} wrap="wrap">
          <Field.Root name={`${id}-mode`} width="220px">
            <Field.Label>{t('settings.mode', 'New posts are created as')}</Field.Label>
            <SingleSelect value={draft.mode} onChange={(v: string | number) => onChange({ ...draft, mode: v === 'draft' ? 'draft' : 'publish' })}>
              <SingleSelectOption value="publish">{t('options.publish', 'Published post')}</SingleSelectOption>
              <SingleSelectOption value="draft">{t('options.draft', 'Draft')}</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
          <Field.Root name={`${id}-delay`} width="220px" hint={t('options.delayHint', 'After the entry is published')}>
            <Field.Label>{t('options.delay', 'Delay (minutes)')}</Field.Label>
            <NumberInput value={draft.delayMinutes} onValueChange={(v: number | undefined) => onChange({ ...draft, delayMinutes: v ?? 0 })} />
            <Field.Hint />
          </Field.Root>
        </Flex>
      </Flex>
    </Box>
  );
};
