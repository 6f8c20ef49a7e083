/** Small pieces the plugin's tables and modals share. */
import { Button, Modal, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useT } from '../utils/useT';

/** A table's header row: one small-caps label per column. */
export const HeadRow = ({ labels }: { labels: string[] }) => (
  <Thead>
    <Tr>
      {labels.map((l) => (
        <Th key={l}>
          <Typography variant="sigma">{l}</Typography>
        </Th>
      ))}
    </Tr>
  </Thead>
);

/** The "Close" button of a modal's footer. */
export const ModalCloseButton = () => {
  const t = useT();
  return (
    <Modal.Close>
      <Button variant="tertiary">{t('common.close', 'Close')}</Button>
    </Modal.Close>
  );
};
