/** Platform × status counts; each count links to the table filtered on that platform and status. */
import { Box, Table, Tbody, Td, Th, Thead, Tr, Typography, Link } from '@strapi/design-system';
import { Link as RouterLink } from 'react-router-dom';
import type { PlatformId, Stats, Status } from '../../api/types';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

const COLUMNS: Status[] = ['published', 'pending', 'queued', 'processing', 'retrying', 'failed', 'unconfirmed', 'outdated', 'unpublished', 'canceled'];

export const StatusMatrix = ({ stats, hrefFor }: { stats: Stats; hrefFor: (platform: PlatformId, status: Status) => string }) => {
  const t = useT();
  const platforms = stats.platforms.filter((p) => p.configured).map((p) => p.id);
  // Published and failed always; other statuses only when some row is in them (keeps the matrix compact).
  const columns = COLUMNS.filter((s) => s === 'published' || s === 'failed' || platforms.some((p) => (stats.counts[p]?.[s] ?? 0) > 0));
  return (
    <Box background="neutral0" shadow="tableShadow" hasRadius padding={4} data-testid="status-matrix">
      <Typography variant="delta" tag="h2">
        {t('matrix.title', 'By platform and status')}
      </Typography>
      <Box paddingTop={3}>
        <Table colCount={columns.length + 1} rowCount={platforms.length + 1}>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('table.platform', 'Platform')}</Typography>
              </Th>
              {columns.map((s) => (
                <Th key={s}>
                  <Typography variant="sigma">{t(`status.${s}`, s)}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {platforms.map((p) => (
              <Tr key={p}>
                <Td>
                  <Typography fontWeight="bold">{platformName(p)}</Typography>
                </Td>
                {columns.map((s) => {
                  const n = stats.counts[p]?.[s] ?? 0;
                  return (
                    <Td key={s}>
                      {n > 0 ? (
                        <Link
                          tag={RouterLink}
                          to={hrefFor(p, s)}
                          aria-label={t('matrix.cell', '{count} {status} on {platform}', { count: n, status: t(`status.${s}`, s), platform: platformName(p) })}
                        >
                          {n}
                        </Link>
                      ) : (
                        <Typography textColor="neutral500">0</Typography>
                      )}
                    </Td>
                  );
                })}
              </Tr>
            ))}
          </Tbody>
        </Table>
      </Box>
    </Box>
  );
};
