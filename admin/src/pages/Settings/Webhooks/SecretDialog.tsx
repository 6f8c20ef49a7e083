/**
 * A new or rotated signing secret, shown this one time: the server never returns it again. The field
 * is read-only and selected on focus; "Copy" uses the clipboard when the browser allows it.
 */
import { useState } from 'react';
import { Button, Dialog, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { useT } from '../../../utils/useT';

export const SecretDialog = ({ name, secret, rotated, onClose }: { name: string; secret: string; rotated: boolean; onClose: () => void }) => {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard access: the field stays selectable
    }
  };
  return (
    <Dialog.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{t('webhooks.secret.title', 'Signing secret for "{name}"', { name })}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            <Typography tag="p">
              {t('webhooks.secret.once', 'Copy it now and store it where the receiver can read it: it is shown only this once.')}
            </Typography>
            {rotated ? (
              <Typography tag="p" variant="pi" textColor="neutral600">
                {t('webhooks.secret.overlap', 'For the next 24 hours every delivery is signed with both the old and the new secret.')}
              </Typography>
            ) : null}
            <Field.Root name="webhook-secret">
              <Field.Label>{t('webhooks.secret.label', 'Signing secret')}</Field.Label>
              {/* A textarea so the whole secret is visible (it is longer than the dialog is wide). */}
              <Textarea readOnly value={secret} rows={2} style={{ fontFamily: 'monospace', wordBreak: 'break-all' }} onFocus={(e: React.FocusEvent<HTMLTextAreaElement>) => e.target.select()} />
            </Field.Root>
            {copied ? (
              <Typography variant="pi" textColor="success600" role="status">
                {t('webhooks.secret.copied', 'Copied to the clipboard.')}
              </Typography>
            ) : null}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Button fullWidth variant="secondary" onClick={copy}>
            {t('webhooks.secret.copy', 'Copy')}
          </Button>
          <Button fullWidth onClick={onClose}>
            {t('webhooks.secret.done', 'I have stored it')}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
