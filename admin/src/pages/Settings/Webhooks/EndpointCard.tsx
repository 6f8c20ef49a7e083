/** One endpoint: where it sends, what, its state (a disabled one says why and can be enabled again) and its actions. */
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { Lock } from '@strapi/icons';
import { ALL_EVENTS, type WebhookEndpointView } from '../../../api/types';
import { useT } from '../../../utils/useT';

export interface EndpointActions {
  test: () => void;
  log: () => void;
  edit: () => void;
  rotate: () => void;
  remove: () => void;
  enable: () => void;
}

export const EndpointCard = ({ ep, busy, actions }: { ep: WebhookEndpointView; busy: boolean; actions: EndpointActions }) => {
  const t = useT();
  const events = ep.events.includes(ALL_EVENTS) ? t('webhooks.form.allEvents', 'All events') : ep.events.join(', ');
  const label = (key: string, text: string) => t(key, text, { name: ep.name });
  return (
    <Box padding={4} hasRadius borderColor="neutral200" data-testid="webhook-endpoint" data-id={ep.id} data-enabled={String(ep.enabled)}>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
        <Flex direction="column" alignItems="flex-start" gap={1} style={{ minWidth: 0, flex: 1 }}>
          <Flex gap={2} alignItems="center">
            <Typography variant="omega" fontWeight="bold" tag="h3">{ep.name}</Typography>
            {ep.enabled ? (
              <Badge backgroundColor="success100" textColor="success700">{t('webhooks.enabled', 'enabled')}</Badge>
            ) : (
              <Badge backgroundColor="danger100" textColor="danger700">{t('webhooks.disabled', 'disabled')}</Badge>
            )}
            {ep.readOnly ? (
              <Badge startIcon={<Lock aria-hidden />}>{t('webhooks.fromConfig', 'set in the plugin config')}</Badge>
            ) : null}
          </Flex>
          <Typography variant="pi" textColor="neutral700" style={{ overflowWrap: 'anywhere' }}>{ep.url}</Typography>
          <Typography variant="pi" textColor="neutral600">{t('webhooks.events', 'Events: {events}', { events })}</Typography>
          {ep.rotationOverlapUntil ? (
            <Typography variant="pi" textColor="neutral600">
              {t('webhooks.overlap', 'The previous secret also signs until {when}.', { when: new Date(ep.rotationOverlapUntil).toLocaleString() })}
            </Typography>
          ) : null}
          {!ep.enabled && ep.disabledReason ? (
            <Typography variant="pi" textColor="danger600" data-testid="webhook-disabled-reason">
              {t('webhooks.disabledReason', 'Disabled: {reason}', { reason: ep.disabledReason })}
            </Typography>
          ) : null}
        </Flex>
        <Flex gap={2} wrap="wrap">
          {!ep.enabled ? (
            <Button size="S" disabled={busy} onClick={actions.enable} aria-label={label('webhooks.enableLabel', 'Enable "{name}" again')}>
              {t('webhooks.enable', 'Enable again')}
            </Button>
          ) : null}
          <Button size="S" variant="secondary" disabled={busy || !ep.enabled} onClick={actions.test} aria-label={label('webhooks.testLabel', 'Send a test to "{name}"')}>
            {t('webhooks.test', 'Send a test')}
          </Button>
          <Button size="S" variant="tertiary" onClick={actions.log} aria-label={label('webhooks.logLabel', 'Deliveries to "{name}"')}>
            {t('webhooks.log.open', 'Deliveries')}
          </Button>
          {ep.readOnly ? null : (
            <>
              <Button size="S" variant="tertiary" disabled={busy} onClick={actions.edit} aria-label={label('webhooks.editLabel', 'Edit "{name}"')}>
                {t('webhooks.edit', 'Edit')}
              </Button>
              <Button size="S" variant="tertiary" disabled={busy} onClick={actions.rotate} aria-label={label('webhooks.rotateLabel', 'New secret for "{name}"')}>
                {t('webhooks.rotate', 'New secret')}
              </Button>
              <Button size="S" variant="danger-light" disabled={busy} onClick={actions.remove} aria-label={label('webhooks.deleteLabel', 'Delete "{name}"')}>
                {t('webhooks.delete', 'Delete')}
              </Button>
            </>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};
