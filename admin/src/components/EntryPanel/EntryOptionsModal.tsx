/** Per-entry choices: which platforms, draft or publish on each, an optional delay. Applied from the next publish. */
import { useEffect, useState } from 'react';
import { Box, Button, Field, Flex, Modal, NumberInput, SingleSelect, SingleSelectOption, Toggle, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useEntryApi, type EntryRef } from '../../api/entry';
import { errorMessage } from '../../api/errors';
import { PLATFORM_IDS } from '../../api/types';
import type { EntrySettings, PlatformEntryOptions, PlatformId } from '../../api/types';
import { useRemote } from '../../hooks/useRemote';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

type Choice = { enabled: boolean; draft: boolean; delayMinutes: number };

/** The effective defaults for one platform, whatever shape the server uses (`mode` or `draft`). */
function defaultsFor(settings: EntrySettings, p: PlatformId): PlatformEntryOptions {
  const d = settings.defaults as Record<string, unknown> | undefined;
  const perPlatform = ((d?.platforms && typeof d.platforms === 'object' && !Array.isArray(d.platforms) ? d.platforms : d) ?? {}) as Record<string, PlatformEntryOptions>;
  return perPlatform[p] ?? {};
}

function choiceFor(settings: EntrySettings, p: PlatformId): Choice {
  const own = settings.platforms?.[p] ?? {};
  const def = defaultsFor(settings, p);
  const draft = own.draft ?? (own.mode ? own.mode === 'draft' : undefined) ?? def.draft ?? def.mode === 'draft';
  return {
    enabled: own.enabled ?? def.enabled ?? true,
    draft: !!draft,
    delayMinutes: Math.round((own.delayMs ?? def.delayMs ?? 0) / 60000),
  };
}

export const EntryOptionsModal = ({ entry, canEdit, onClose }: { entry: EntryRef; canEdit: boolean; onClose: () => void }) => {
  const t = useT();
  const api = useEntryApi();
  const { toggleNotification } = useNotification();
  const remote = useRemote(() => api.settings(entry), [entry.contentType, entry.documentId, entry.locale]);
  const [choices, setChoices] = useState<Record<PlatformId, Choice> | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (remote.data) setChoices(Object.fromEntries(PLATFORM_IDS.map((p) => [p, choiceFor(remote.data!, p)])) as Record<PlatformId, Choice>);
  }, [remote.data]);

  const update = (p: PlatformId, patch: Partial<Choice>) => setChoices((c) => (c ? { ...c, [p]: { ...c[p], ...patch } } : c));

  const save = async () => {
    if (!choices) return;
    setBusy(true);
    try {
      const platforms = Object.fromEntries(
        PLATFORM_IDS.map((p) => [p, { enabled: choices[p].enabled, draft: choices[p].draft, delayMs: Math.max(0, Math.round(choices[p].delayMinutes * 60000)) }]),
      );
      await api.saveSettings(entry, platforms);
      toggleNotification({ type: 'success', message: t('options.saved', 'Saved. The choices apply from the next publish.') });
      onClose();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(o: boolean) => !o && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('options.title', 'Cross-posting options for this entry')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {remote.error ? <Typography textColor="danger600">{remote.error}</Typography> : null}
          {choices ? (
            <Flex direction="column" alignItems="stretch" gap={4}>
              {!canEdit ? (
                <Typography variant="pi" textColor="neutral600">
                  {t('options.readOnly', 'You can see these choices but not change them (it needs the "Publish, retry, cancel and confirm" permission).')}
                </Typography>
              ) : null}
              {PLATFORM_IDS.map((p) => (
                <Box key={p} padding={3} hasRadius borderColor="neutral200" data-testid={`options-${p}`}>
                  <Typography variant="delta" tag="h3">{platformName(p)}</Typography>
                  <Flex gap={4} wrap="wrap" paddingTop={2} alignItems="flex-end">
                    <Field.Root name={`${p}-enabled`}>
                      <Field.Label>{t('options.enabled', 'Cross-post to {platform}', { platform: platformName(p) })}</Field.Label>
                      <Toggle
                        disabled={!canEdit}
                        onLabel={t('common.yes', 'Yes')}
                        offLabel={t('common.no', 'No')}
                        checked={choices[p].enabled}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => update(p, { enabled: e.target.checked })}
                      />
                    </Field.Root>
                    <Field.Root name={`${p}-mode`} width="160px">
                      <Field.Label>{t('options.mode', 'As')}</Field.Label>
                      <SingleSelect disabled={!canEdit} value={choices[p].draft ? 'draft' : 'publish'} onChange={(v: string | number) => update(p, { draft: v === 'draft' })}>
                        <SingleSelectOption value="publish">{t('options.publish', 'Published post')}</SingleSelectOption>
                        <SingleSelectOption value="draft">{t('options.draft', 'Draft')}</SingleSelectOption>
                      </SingleSelect>
                    </Field.Root>
                    <Field.Root name={`${p}-delay`} width="160px" hint={t('options.delayHint', 'After the entry is published')}>
                      <Field.Label>{t('options.delay', 'Delay (minutes)')}</Field.Label>
                      <NumberInput disabled={!canEdit} value={choices[p].delayMinutes} onValueChange={(v: number | undefined) => update(p, { delayMinutes: v ?? 0 })} />
                      <Field.Hint />
                    </Field.Root>
                  </Flex>
                </Box>
              ))}
            </Flex>
          ) : null}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
          </Modal.Close>
          {canEdit ? (
            <Button loading={busy} disabled={!choices} onClick={save}>
              {t('common.save', 'Save')}
            </Button>
          ) : null}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
