/**
 * Settings › Webhooks: the plugin's signed webhook endpoints (config ones read-only), their secrets
 * (shown once, at creation or rotation), a test send, and each endpoint's delivery log with replay.
 */
import { useState } from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { errorMessage } from '../../../api/errors';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import type { WebhookEndpointInput, WebhookEndpointView, WebhookTestResult } from '../../../api/types';
import { useWebhooksApi } from '../../../api/webhooks';
import { useRemote } from '../../../hooks/useRemote';
import { useT } from '../../../utils/useT';
import { DeliveryLog } from './DeliveryLog';
import { EndpointCard } from './EndpointCard';
import { EndpointForm } from './EndpointForm';
import { SecretDialog } from './SecretDialog';

type Shown = { name: string; secret: string; rotated: boolean };

export const WebhooksSection = () => {
  const t = useT();
  const api = useWebhooksApi();
  const { toggleNotification } = useNotification();
  const { data, error, loading, reload } = useRemote(() => api.list(), []);
  const [form, setForm] = useState<WebhookEndpointView | 'new' | null>(null);
  const [secret, setSecret] = useState<Shown | null>(null);
  const [log, setLog] = useState<WebhookEndpointView | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointView | null>(null);
  const [busy, setBusy] = useState(false);

  /** Runs one call, says what went wrong in the server's words, and refreshes the list. */
  const run = async <T,>(fn: () => Promise<T>, done?: (r: T) => void) => {
    setBusy(true);
    try {
      done?.(await fn());
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const save = (input: WebhookEndpointInput) =>
    run(
      () => (form && form !== 'new' ? api.update(form.id, input).then(() => null) : api.create(input)),
      (created) => {
        setForm(null);
        if (created) setSecret({ name: created.endpoint.name, secret: created.secret, rotated: false });
        else toggleNotification({ type: 'success', message: t('webhooks.saved', 'Endpoint saved.') });
      },
    );

  const testResult = (ep: WebhookEndpointView, r: WebhookTestResult) =>
    toggleNotification(
      r.ok
        ? { type: 'success', message: t('webhooks.testOk', '"{name}" answered {status} in {ms} ms.', { name: ep.name, status: r.status ?? '', ms: r.durationMs }) }
        : { type: 'danger', message: t('webhooks.testFailed', '"{name}" did not accept the test: {error}', { name: ep.name, error: r.error ?? `HTTP ${r.status}` }) },
    );

  return (
    <Box background="neutral0" shadow="tableShadow" hasRadius padding={6} data-testid="webhooks-section">
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4} paddingBottom={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h2">{t('webhooks.title', 'Webhooks')}</Typography>
          <Typography variant="pi" textColor="neutral600">
            {t('webhooks.subtitle', 'Signed POSTs (Standard Webhooks) on every publication outcome, retried for about three days.')}
          </Typography>
        </Flex>
        <Button startIcon={<Plus />} variant="secondary" onClick={() => setForm('new')}>
          {t('webhooks.add', 'Add endpoint')}
        </Button>
      </Flex>
      {loading && !data ? <Loader small>{t('common.loading', 'Loading…')}</Loader> : null}
      {error ? <Typography textColor="danger600">{error}</Typography> : null}
      {data && data.length === 0 ? (
        <Typography textColor="neutral600">{t('webhooks.empty', 'No endpoint yet. Add one to tell another system when a post goes live or fails.')}</Typography>
      ) : null}
      <Flex direction="column" alignItems="stretch" gap={3}>
        {(data ?? []).map((ep) => (
          <EndpointCard
            key={ep.id}
            ep={ep}
            busy={busy}
            actions={{
              test: () => run(() => api.test(ep.id), (r) => testResult(ep, r)),
              log: () => setLog(ep),
              edit: () => setForm(ep),
              rotate: () => run(() => api.rotateSecret(ep.id), (r) => setSecret({ name: ep.name, secret: r.secret, rotated: true })),
              remove: () => setDeleting(ep),
              enable: () => run(() => api.update(ep.id, { enabled: true }), () => toggleNotification({ type: 'success', message: t('webhooks.enabledAgain', '"{name}" is enabled again.', { name: ep.name }) })),
            }}
          />
        ))}
      </Flex>

      {form ? <EndpointForm endpoint={form === 'new' ? null : form} saving={busy} onSave={save} onClose={() => setForm(null)} /> : null}
      {/* The secret lives only in this state, and is dropped when the dialog closes. */}
      {secret ? <SecretDialog {...secret} onClose={() => setSecret(null)} /> : null}
      {log ? <DeliveryLog endpoint={(data ?? []).find((e) => e.id === log.id) ?? log} onClose={() => setLog(null)} /> : null}
      <ConfirmDialog
        open={!!deleting}
        onClose={() => setDeleting(null)}
        title={t('webhooks.deleteTitle', 'Delete the endpoint')}
        message={t('webhooks.deleteConfirm', 'Delete "{name}"? Deliveries still waiting for it are canceled.', { name: deleting?.name ?? '' })}
        action={{
          label: t('webhooks.delete', 'Delete'),
          variant: 'danger',
          busy,
          onConfirm: () => {
            const ep = deleting!;
            void run(() => api.remove(ep.id), () => setDeleting(null));
          },
        }}
      />
    </Box>
  );
};
