/** Homepage widget: "N failed, M waiting", linking to the filtered dashboard. */
import { Flex, Link, Typography } from '@strapi/design-system';
import { Widget } from '@strapi/strapi/admin';
import { Link as RouterLink } from 'react-router-dom';
import { useStatsApi } from '../api/stats';
import { MOVING } from '../api/types';
import { useRemote } from '../hooks/useRemote';
import { useT } from '../utils/useT';

const StatusWidget = () => {
  const t = useT();
  const api = useStatsApi();
  const { data, error, loading } = useRemote(() => api.get(), [], { pollMs: 15000, shouldPoll: () => true });
  if (loading && !data) return <Widget.Loading />;
  if (error || !data) return <Widget.Error />;
  let failed = 0;
  let waiting = 0;
  for (const byStatus of Object.values(data.counts)) {
    failed += byStatus?.failed ?? 0;
    waiting += MOVING.reduce((n, s) => n + (byStatus?.[s] ?? 0), 0);
  }
  return (
    <Flex direction="column" alignItems="flex-start" gap={3} data-testid="crosspost-widget">
      <Typography variant="beta">
        {t('widget.summary', 'Cross-posting: {failed} failed, {waiting} waiting', { failed, waiting })}
      </Typography>
      {failed ? (
        <Link tag={RouterLink} to="/plugins/crosspost?status=failed&page=1">
          {t('widget.seeFailed', 'See the failed publications')}
        </Link>
      ) : null}
      {waiting ? (
        <Link tag={RouterLink} to={`/plugins/crosspost?status=${MOVING.join(',')}&page=1`}>
          {t('widget.seeWaiting', 'See what is waiting')}
        </Link>
      ) : null}
    </Flex>
  );
};

export default StatusWidget;
