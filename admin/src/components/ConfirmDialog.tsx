/**
 * A question before an action that cannot be taken back (delete, requeue many): the question, Cancel, and
 * the action — left out when there is nothing to do, so the dialog then only informs.
 */
import type { ReactNode } from 'react';
import { Button, Dialog, Typography } from '@strapi/design-system';
import { useT } from '../utils/useT';

export interface ConfirmAction {
  label: string;
  onConfirm: () => void;
  busy?: boolean;
  variant?: 'default' | 'danger';
}

export const ConfirmDialog = ({ open, onClose, title, message, action }: { open: boolean; onClose: () => void; title: string; message: ReactNode; action?: ConfirmAction }) => {
  const t = useT();
  return (
    <Dialog.Root open={open} onOpenChange={(o: boolean) => !o && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body>
          <Typography tag="p" textAlign="center">
            {message}
          </Typography>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">
              {t('common.cancel', 'Cancel')}
            </Button>
          </Dialog.Cancel>
          {action ? (
            <Button fullWidth variant={action.variant ?? 'default'} loading={action.busy} onClick={action.onConfirm}>
              {action.label}
            </Button>
          ) : null}
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
