/** Detail of one publication: its state, error, warnings and every attempt. */
import { Box, Flex, Link, Loader, Modal, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { usePublicationsApi } from '../api/publications';
import type { Attempt, PublicationView } from '../api/types';
import { useRemote } from '../hooks/useRemote';
import { Link as RouterLink } from 'react-router-dom';
import { entryUrl, platformName } from '../utils/errorText';
import { useT } from '../utils/useT';
import { ErrorText } from './ErrorText';
import { HeadRow, ModalCloseButton } from './TableParts';
import { RemoteLink } from './RemoteLink';
import { RowActions } from './RowActions';
import { StatusBadge } from './StatusBadge';
import { MOVING } from '../api/types';

export const PublicationModal = ({ id, canPublish, onClose, onChanged }: { id: number; canPublish: boolean; onClose: () => void; onChanged: () => void }) => {
  const t = useT();
  const api = usePublicationsApi();
  const { data, error, loading, reload } = useRemote(() => api.findOne(id), [id], {
    shouldPoll: (d) => !!d && MOVING.includes(d.status),
  });
  const attempts: Attempt[] = [...(data?.attemptsHistory ?? [])].sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')));

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {data ? `${data.title ?? data.entryDocumentId} · ${platformName(data.platform)}` : t('detail.title', 'Publication')}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {loading && !data ? <Loader small>{t('common.loading', 'Loading…')}</Loader> : null}
          {error ? <Typography textColor="danger600">{error}</Typography> : null}
          {data ? (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Flex gap={3} wrap="wrap">
                <StatusBadge status={data.status} />
                <RemoteLink url={data.remoteUrl} platform={data.platform} />
                <Link tag={RouterLink} to={entryUrl(data)}>
                  {t('detail.openEntry', 'Open the entry')}
                </Link>
                <Typography variant="pi" textColor="neutral600">
                  {t('detail.attempts', '{count, plural, one {# attempt} other {# attempts}}', { count: attempts.length })}
                </Typography>
              </Flex>
              <ErrorText row={data} />
              {canPublish ? (
                <RowActions
                  row={data}
                  size="M"
                  onDone={() => {
                    void reload();
                    onChanged();
                  }}
                />
              ) : null}
              <Box>
                <Typography variant="delta" tag="h3">
                  {t('detail.warnings', 'Warnings')}
                </Typography>
                {data.warnings.length ? (
                  <ul style={{ paddingLeft: '1.5rem', listStyle: 'disc' }}>
                    {data.warnings.map((w) => (
                      <li key={w}>
                        <Typography variant="omega">{w}</Typography>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Typography variant="omega" textColor="neutral600" tag="p">
                    {t('detail.noWarnings', 'No warnings.')}
                  </Typography>
                )}
              </Box>
              <Box>
                <Typography variant="delta" tag="h3">
                  {t('detail.history', 'Attempts')}
                </Typography>
                {attempts.length ? (
                  <Table colCount={6} rowCount={attempts.length + 1}>
                    <HeadRow
                      labels={[
                        t('detail.when', 'When'),
                        t('detail.operation', 'Operation'),
                        t('detail.outcome', 'Outcome'),
                        t('detail.http', 'HTTP'),
                        t('detail.duration', 'Duration'),
                        t('detail.message', 'Message'),
                      ]}
                    />
                    <Tbody>
                      {attempts.map((a) => (
                        <Tr key={a.id}>
                          <Td><Typography variant="pi">{a.createdAt ? new Date(a.createdAt).toLocaleString() : '—'}</Typography></Td>
                          <Td><Typography variant="pi">{a.operation ?? '—'}</Typography></Td>
                          <Td><Typography variant="pi">{a.outcome ?? '—'}</Typography></Td>
                          <Td><Typography variant="pi">{a.httpStatus ?? '—'}</Typography></Td>
                          <Td><Typography variant="pi">{a.durationMs != null ? `${a.durationMs} ms` : '—'}</Typography></Td>
                          <Td style={{ whiteSpace: 'normal' }}><Typography variant="pi" style={{ overflowWrap: 'anywhere' }}>{a.message ?? ''}</Typography></Td>
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                ) : (
                  <Typography variant="omega" textColor="neutral600" tag="p">
                    {t('detail.noAttempts', 'No attempt yet.')}
                  </Typography>
                )}
              </Box>
            </Flex>
          ) : null}
        </Modal.Body>
        <Modal.Footer>
          <ModalCloseButton />
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
