/** Create or edit an endpoint: name, URL, which events. */
import { useState } from 'react';
import { Button, Checkbox, Field, Flex, Modal, TextInput, Typography } from '@strapi/design-system';
import { ALL_EVENTS, WEBHOOK_EVENTS, type WebhookEndpointInput, type WebhookEndpointView } from '../../../api/types';
import { useT } from '../../../utils/useT';

export const EndpointForm = ({
  endpoint,
  saving,
  onSave,
  onClose,
}: {
  endpoint: WebhookEndpointView | null;
  saving: boolean;
  onSave: (input: WebhookEndpointInput) => void;
  onClose: () => void;
}) => {
  const t = useT();
  const [name, setName] = useState(endpoint?.name ?? '');
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? [ALL_EVENTS]);
  const all = events.includes(ALL_EVENTS);
  const chosen = all ? [] : events;
  const invalid = !name.trim() || !url.trim() || (!all && chosen.length === 0);

  const toggle = (ev: string, on: boolean) => setEvents(on ? [...chosen, ev] : chosen.filter((e) => e !== ev));

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{endpoint ? t('webhooks.form.editTitle', 'Edit "{name}"', { name: endpoint.name }) : t('webhooks.form.createTitle', 'Add a webhook endpoint')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root name="webhook-name" required>
              <Field.Label>{t('webhooks.form.name', 'Name')}</Field.Label>
              <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
            </Field.Root>
            <Field.Root name="webhook-url" required hint={t('webhooks.form.urlHint', 'Where the plugin sends a signed POST, e.g. https://hooks.example.com/crosspost')}>
              <Field.Label>{t('webhooks.form.url', 'URL')}</Field.Label>
              <TextInput type="url" value={url} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setUrl(e.target.value)} />
              <Field.Hint />
            </Field.Root>
            <Flex direction="column" alignItems="stretch" gap={2} role="group" aria-label={t('webhooks.form.events', 'Events')}>
              <Typography variant="pi" fontWeight="bold">
                {t('webhooks.form.events', 'Events')}
              </Typography>
              <Checkbox checked={all} onCheckedChange={(v: boolean) => setEvents(v ? [ALL_EVENTS] : [])}>
                {t('webhooks.form.allEvents', 'All events')}
              </Checkbox>
              {all
                ? null
                : WEBHOOK_EVENTS.map((ev) => (
                    <Checkbox key={ev} checked={chosen.includes(ev)} onCheckedChange={(v: boolean) => toggle(ev, v)}>
                      {ev}
                    </Checkbox>
                  ))}
            </Flex>
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button loading={saving} disabled={invalid} onClick={() => onSave({ name: name.trim(), url: url.trim(), events: all ? [ALL_EVENTS] : chosen })}>
            {endpoint ? t('common.save', 'Save') : t('webhooks.form.create', 'Add endpoint')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
