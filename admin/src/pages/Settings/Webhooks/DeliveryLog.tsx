/**
 * One endpoint's delivery log: status, attempts, last HTTP status and the error in words, newest first,
 * with replay (same webhook-id and body, signed afresh). Refreshes itself while a delivery is pending.
 */
import { useState } from 'react';
import { Badge, Button, Flex, Loader, Modal, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { errorMessage } from '../../../api/errors';
import type { DeliveryStatus, WebhookDeliveryView, WebhookEndpointView } from '../../../api/types';
import { useWebhooksApi } from '../../../api/webhooks';
import { HeadRow, ModalCloseButton } from '../../../components/TableParts';
import { useRemote } from '../../../hooks/useRemote';
import { useT } from '../../../utils/useT';

const TONE: Record<DeliveryStatus, { backgroundColor: string; textColor: string }> = {
  succeeded: { backgroundColor: 'success100', textColor: 'success700' },
  failed: { backgroundColor: 'danger100', textColor: 'danger700' },
  pending: { backgroundColor: 'secondary100', textColor: 'secondary700' },
  canceled: { backgroundColor: 'neutral150', textColor: 'neutral700' },
};

export const DeliveryLog = ({ endpoint, onClose }: { endpoint: WebhookEndpointView; onClose: () => void }) => {
  const t = useT();
  const api = useWebhooksApi();
  const { toggleNotification } = useNotification();
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<number | null>(null);
  const { data, error, loading, reload } = useRemote(() => api.deliveries(endpoint.id, page), [endpoint.id, page], {
    shouldPoll: (d) => !!d?.rows.some((r) => r.status === 'pending'),
  });

  const statusText = (s: DeliveryStatus) =>
    ({
      succeeded: t('webhooks.status.succeeded', 'delivered'),
      failed: t('webhooks.status.failed', 'failed'),
      pending: t('webhooks.status.pending', 'pending'),
      canceled: t('webhooks.status.canceled', 'canceled'),
    })[s];

  const problem = (d: WebhookDeliveryView) => {
    if (d.status === 'succeeded') return '';
    if (d.status === 'pending' && d.nextAttemptAt) {
      const next = t('webhooks.log.nextAttempt', 'Next attempt {when}.', { when: new Date(d.nextAttemptAt).toLocaleString() });
      return d.lastError ? `${d.lastError}. ${next}` : next;
    }
    return d.lastError ?? '';
  };

  const replay = async (d: WebhookDeliveryView) => {
    setBusy(d.id);
    try {
      await api.replay(d.id);
      toggleNotification({ type: 'success', message: t('webhooks.log.replayed', 'Sent again with the same webhook-id.') });
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(null);
      await reload();
    }
  };

  const rows = data?.rows ?? [];
  const pageCount = data?.pagination.pageCount ?? 1;
  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content style={{ width: 'min(1100px, 95vw)', maxWidth: 'none' }}>
        <Modal.Header>
          <Modal.Title>{t('webhooks.log.title', 'Deliveries to "{name}"', { name: endpoint.name })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Flex justifyContent="space-between" alignItems="center">
              <Typography variant="pi" textColor="neutral600">
                {t('webhooks.log.hint', 'Failed deliveries are retried for about three days; replay sends one again now.')}
              </Typography>
              <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={() => void reload()}>
                {t('dashboard.refresh', 'Refresh')}
              </Button>
            </Flex>
            {!endpoint.enabled ? (
              <Typography variant="pi" textColor="warning700">
                {t('webhooks.log.disabled', 'This endpoint is disabled: enable it again before replaying.')}
              </Typography>
            ) : null}
            {loading && !data ? <Loader small>{t('common.loading', 'Loading…')}</Loader> : null}
            {error ? <Typography textColor="danger600">{error}</Typography> : null}
            {data && rows.length === 0 ? <Typography textColor="neutral600">{t('webhooks.log.empty', 'No delivery yet. Send a test to see one here.')}</Typography> : null}
            {rows.length ? (
              <Table colCount={7} rowCount={rows.length + 1} data-testid="webhook-deliveries">
                <HeadRow
                  labels={[
                    t('webhooks.log.when', 'Created'),
                    t('webhooks.log.event', 'Event'),
                    t('webhooks.log.status', 'Status'),
                    t('webhooks.log.attempts', 'Attempts'),
                    t('detail.http', 'HTTP'),
                    t('webhooks.log.error', 'What went wrong'),
                    t('webhooks.log.actions', 'Actions'),
                  ]}
                />
                <Tbody>
                  {rows.map((d) => (
                    <Tr key={d.id} data-testid="webhook-delivery" data-id={d.id} data-status={d.status} data-event={d.eventType}>
                      <Td><Typography variant="pi">{new Date(d.createdAt).toLocaleString()}</Typography></Td>
                      <Td><Typography variant="pi">{d.eventType}</Typography></Td>
                      <Td>
                        <Badge {...TONE[d.status]}>{statusText(d.status)}</Badge>
                      </Td>
                      <Td><Typography variant="pi">{d.attempts}</Typography></Td>
                      <Td><Typography variant="pi">{d.lastStatus ?? '—'}</Typography></Td>
                      <Td style={{ maxWidth: 320, whiteSpace: 'normal' }}>
                        <Typography variant="pi" textColor="danger600">{problem(d)}</Typography>
                      </Td>
                      <Td>
                        <Button
                          size="S"
                          variant="tertiary"
                          disabled={!endpoint.enabled || d.status === 'pending' || busy !== null}
                          loading={busy === d.id}
                          aria-label={t('webhooks.log.replayLabel', 'Replay {event} of {when}', { event: d.eventType, when: new Date(d.createdAt).toLocaleString() })}
                          onClick={() => replay(d)}
                        >
                          {t('webhooks.log.replay', 'Replay')}
                        </Button>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            ) : null}
            {pageCount > 1 ? (
              <Flex gap={2} justifyContent="flex-end" alignItems="center">
                <Button size="S" variant="tertiary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  {t('webhooks.log.newer', 'Newer')}
                </Button>
                <Typography variant="pi">{t('webhooks.log.page', 'Page {page} of {count}', { page, count: pageCount })}</Typography>
                <Button size="S" variant="tertiary" disabled={page >= pageCount} onClick={() => setPage(page + 1)}>
                  {t('webhooks.log.older', 'Older')}
                </Button>
              </Flex>
            ) : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <ModalCloseButton />
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
