/**
 * Retry / cancel / confirm for one publication. Rendered only for users with plugin::crosspost.publish
 * (the server checks it again). Confirm asks for the post's URL (unconfirmed and outdated rows).
 */
import { useState } from 'react';
import { Button, Dialog, Field, Flex, TextInput } from '@strapi/design-system';
import { ArrowClockwise, Check, Cross } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { usePublicationsApi } from '../api/publications';
import type { PublicationView } from '../api/types';
import { errorMessage } from '../api/errors';
import { platformName } from '../utils/errorText';
import { useT } from '../utils/useT';

const RETRYABLE = ['failed', 'canceled', 'unconfirmed', 'outdated', 'retrying', 'unpublished'];
const CANCELABLE = ['pending', 'queued', 'retrying'];
const CONFIRMABLE = ['unconfirmed', 'outdated'];

export const RowActions = ({ row, onDone, size = 'S' }: { row: PublicationView; onDone: () => void; size?: 'S' | 'M' }) => {
  const t = useT();
  const api = usePublicationsApi();
  const { toggleNotification } = useNotification();
  const [busy, setBusy] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [url, setUrl] = useState('');
  const name = platformName(row.platform);
  const title = row.title ?? row.entryDocumentId;

  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try {
      await fn();
      toggleNotification({ type: 'success', message: ok });
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(false);
      onDone();
    }
  };

  return (
    <Flex gap={2} wrap="wrap" onClick={(e: React.MouseEvent) => e.stopPropagation()}>
      {RETRYABLE.includes(row.status) ? (
        <Button
          size={size}
          variant="secondary"
          startIcon={<ArrowClockwise />}
          loading={busy}
          aria-label={t('action.retryLabel', 'Retry "{title}" on {platform}', { title, platform: name })}
          onClick={() => run(() => api.retry(row.id), t('action.retried', 'Queued again for {platform}.', { platform: name }))}
        >
          {t('action.retry', 'Retry')}
        </Button>
      ) : null}
      {CANCELABLE.includes(row.status) ? (
        <Button
          size={size}
          variant="tertiary"
          startIcon={<Cross />}
          disabled={busy}
          aria-label={t('action.cancelLabel', 'Cancel "{title}" on {platform}', { title, platform: name })}
          onClick={() => run(() => api.cancel(row.id), t('action.canceled', 'Canceled.'))}
        >
          {t('action.cancel', 'Cancel')}
        </Button>
      ) : null}
      {CONFIRMABLE.includes(row.status) ? (
        <Dialog.Root open={confirmOpen} onOpenChange={setConfirmOpen}>
          <Dialog.Trigger>
            <Button size={size} variant="tertiary" startIcon={<Check />} disabled={busy}>
              {t('action.confirm', 'Confirm')}
            </Button>
          </Dialog.Trigger>
          <Dialog.Content>
            <Dialog.Header>{t('confirm.title', 'Confirm the post on {platform}', { platform: name })}</Dialog.Header>
            <Dialog.Body>
              <Field.Root name="url" hint={t('confirm.hint', 'The full address of the post, e.g. https://medium.com/@you/post-123')} width="100%">
                <Field.Label>{t('confirm.url', 'Post URL')}</Field.Label>
                <TextInput value={url} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setUrl(e.target.value)} />
                <Field.Hint />
              </Field.Root>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button fullWidth variant="tertiary">
                  {t('common.cancel', 'Cancel')}
                </Button>
              </Dialog.Cancel>
              <Dialog.Action>
                <Button
                  fullWidth
                  disabled={!url.trim()}
                  onClick={() => run(() => api.confirm(row.id, { url: url.trim() }), t('action.confirmed', 'Confirmed.'))}
                >
                  {t('action.confirm', 'Confirm')}
                </Button>
              </Dialog.Action>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>
      ) : null}
    </Flex>
  );
};
