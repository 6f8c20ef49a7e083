/** The publications table: entry, type, platform, status, live link, error with next step, updated time, actions. */
import { Box, Checkbox, Flex, IconButton, Link, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { Eye } from '@strapi/icons';
import { Link as RouterLink } from 'react-router-dom';
import type { ContentTypeInfo, PublicationView } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';
import { RemoteLink } from '../../components/RemoteLink';
import { RowActions } from '../../components/RowActions';
import { StatusBadge } from '../../components/StatusBadge';
import { entryUrl, platformName, shortUid } from '../../utils/errorText';
import { useT } from '../../utils/useT';

interface Props {
  rows: PublicationView[];
  contentTypes: ContentTypeInfo[];
  canPublish: boolean;
  selected: number[];
  onSelect: (ids: number[]) => void;
  onOpen: (id: number) => void;
  onChanged: () => void;
}

export const PublicationsTable = ({ rows, contentTypes, canPublish, selected, onSelect, onOpen, onChanged }: Props) => {
  const t = useT();
  const types = new Map(contentTypes.map((c) => [c.uid, c]));
  const allSelected = rows.length > 0 && rows.every((r) => selected.includes(r.id));
  const someSelected = rows.some((r) => selected.includes(r.id));
  const cols = canPublish ? 9 : 7;
  return (
    <Table colCount={cols} rowCount={rows.length + 1} data-testid="publications-table">
      <Thead>
        <Tr>
          {canPublish ? (
            <Th>
              <Checkbox
                aria-label={t('table.selectAll', 'Select all rows')}
                checked={allSelected ? true : someSelected ? 'indeterminate' : false}
                onCheckedChange={(v: boolean) => onSelect(v ? rows.map((r) => r.id) : [])}
              />
            </Th>
          ) : null}
          <Th><Typography variant="sigma">{t('table.entry', 'Entry')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.contentType', 'Content type')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.platform', 'Platform')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.status', 'Status')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.live', 'Live post')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.error', 'Last error / next step')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.updated', 'Updated')}</Typography></Th>
          {canPublish ? <Th><VisuallyHidden>{t('table.actions', 'Actions')}</VisuallyHidden></Th> : null}
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((row) => {
          const type = types.get(row.contentType);
          const title = row.title || row.entryDocumentId;
          return (
            <Tr key={row.id} data-testid="publication-row" data-platform={row.platform} data-status={row.status} data-id={row.id}>
              {canPublish ? (
                <Td>
                  <Checkbox
                    aria-label={t('table.select', 'Select "{title}" on {platform}', { title, platform: platformName(row.platform) })}
                    checked={selected.includes(row.id)}
                    onCheckedChange={(v: boolean) => onSelect(v ? [...selected, row.id] : selected.filter((id) => id !== row.id))}
                  />
                </Td>
              ) : null}
              <Td style={{ maxWidth: 260, whiteSpace: 'normal' }}>
                <Flex gap={1} alignItems="center">
                  <IconButton label={t('table.details', 'Details of "{title}" on {platform}', { title, platform: platformName(row.platform) })} variant="ghost" onClick={() => onOpen(row.id)}>
                    <Eye />
                  </IconButton>
                  <Link tag={RouterLink} to={entryUrl(row, type?.kind)} style={{ overflowWrap: 'anywhere' }}>
                    {title}
                  </Link>
                  {row.locale ? <Typography variant="pi" textColor="neutral600">({row.locale})</Typography> : null}
                </Flex>
              </Td>
              <Td><Typography variant="omega">{type?.displayName ?? shortUid(row.contentType)}</Typography></Td>
              <Td><Typography variant="omega">{platformName(row.platform)}</Typography></Td>
              <Td><StatusBadge status={row.status} /></Td>
              <Td><RemoteLink url={row.remoteUrl} platform={row.platform} compact /></Td>
              <Td style={{ maxWidth: 320, whiteSpace: 'normal' }}>
                <Box paddingTop={1} paddingBottom={1}><ErrorText row={row} compact /></Box>
              </Td>
              <Td>
                <Typography variant="pi" textColor="neutral600">
                  <time dateTime={row.updatedAt} title={new Date(row.updatedAt).toLocaleString()}>{new Date(row.updatedAt).toLocaleString()}</time>
                </Typography>
              </Td>
              {canPublish ? (
                <Td>
                  <RowActions row={row} onDone={onChanged} />
                </Td>
              ) : null}
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
