/** The dashboard at /admin/plugins/crosspost: counts, chart, the publications table, bulk retry, backfill. */
import { useMemo, useState } from 'react';
import { Box, Button, EmptyStateLayout, Flex, LinkButton, Typography } from '@strapi/design-system';
import { ArrowClockwise, Plus } from '@strapi/icons';
import { Layouts, Page, Pagination, useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { Link as RouterLink } from 'react-router-dom';
import { useBackfillApi } from '../../api/backfill';
import { isMissingRoute } from '../../api/errors';
import { usePublicationsApi } from '../../api/publications';
import { useStatsApi } from '../../api/stats';
import { MOVING, PLATFORM_IDS } from '../../api/types';
import type { Backfill, ContentTypeInfo, PlatformId, Stats, Status } from '../../api/types';
import { PublicationModal } from '../../components/PublicationModal';
import { useRemote } from '../../hooks/useRemote';
import { PERMISSIONS } from '../../permissions';
import { toListParams } from '../../utils/listQuery';
import { shortUid } from '../../utils/errorText';
import { useT } from '../../utils/useT';
import { BackfillModal, BackfillProgress } from './Backfill';
import { BulkRetry } from './BulkRetry';
import { FiltersBar } from './FiltersBar';
import { OutcomesChart } from './OutcomesChart';
import { PublicationsTable } from './PublicationsTable';
import { StatusMatrix } from './StatusMatrix';

/** Optional routes (stats, content types, backfills): a server without them still shows the table. */
const optional = async <T,>(p: Promise<T>): Promise<T | null> => {
  try {
    return await p;
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
};

const DashboardPage = () => {
  const t = useT();
  const [{ query }, setQuery] = useQueryParams<Record<string, string | undefined>>();
  const params = useMemo(() => toListParams(query), [query]);
  const publications = usePublicationsApi();
  const statsApi = useStatsApi();
  const backfillApi = useBackfillApi();
  const { allowedActions } = useRBAC([...PERMISSIONS.publish, ...PERMISSIONS.settings]);
  const canPublish = !!allowedActions.canPublish;
  const canSettings = !!allowedActions.canSettings;
  const [selected, setSelected] = useState<number[]>([]);
  const [backfillOpen, setBackfillOpen] = useState(false);

  const list = useRemote(() => publications.list(params), [JSON.stringify(params)], {
    shouldPoll: (d) => !!d && d.rows.some((r) => MOVING.includes(r.status)),
  });
  const side = useRemote(
    async () => {
      const [stats, contentTypes, backfills] = await Promise.all([
        optional(statsApi.get()),
        optional(backfillApi.contentTypes()),
        optional(backfillApi.list()),
      ]);
      return { stats, contentTypes, backfills };
    },
    [],
    { shouldPoll: (d) => !!d && (hasMoving(d.stats) || !!d.backfills?.some((b) => b.status === 'running')) },
  );
  const refresh = () => {
    void list.reload();
    void side.reload();
  };

  const stats: Stats | null = side.data?.stats ?? null;
  const contentTypes: ContentTypeInfo[] = side.data?.contentTypes ?? fallbackTypes(list.data?.rows.map((r) => r.contentType) ?? []);
  const platforms: PlatformId[] = stats?.platforms.filter((p) => p.configured).map((p) => p.id) ?? PLATFORM_IDS;
  const running: Backfill[] = (side.data?.backfills ?? []).filter((b) => b.status === 'running');
  const detail = query.detail ? Number(query.detail) : null;
  const filtered = ['status', 'platform', 'contentType', '_q'].some((k) => query[k]);
  const noPlatform = !!stats && stats.platforms.every((p) => !p.configured);
  const hrefFor = (platform: PlatformId, status: Status) => `?platform=${platform}&status=${status}&page=1`;

  if (list.error && !list.data) {
    return (
      <Page.Main>
        <Layouts.Header title={t('dashboard.title', 'Cross-posting')} />
        <Layouts.Content>
          <Page.Error>{list.error}</Page.Error>
        </Layouts.Content>
      </Page.Main>
    );
  }

  return (
    <Page.Main aria-busy={list.loading}>
      <Page.Title>{t('dashboard.title', 'Cross-posting')}</Page.Title>
      <Layouts.Header
        title={t('dashboard.title', 'Cross-posting')}
        subtitle={t('dashboard.subtitle', 'Where each entry stands on DEV, Hashnode and Medium. Statuses refresh by themselves while something is moving.')}
        primaryAction={
          canPublish && side.data?.contentTypes?.length ? (
            <Button startIcon={<Plus />} onClick={() => setBackfillOpen(true)}>
              {t('backfill.open', 'Cross-post existing entries')}
            </Button>
          ) : undefined
        }
        secondaryAction={
          <Button variant="tertiary" startIcon={<ArrowClockwise />} onClick={refresh}>
            {t('dashboard.refresh', 'Refresh')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {noPlatform ? (
            <Box background="neutral0" shadow="tableShadow" hasRadius data-testid="no-platform">
              <EmptyStateLayout
                content={t(
                  'empty.noPlatform',
                  'No platform is configured. Set CROSSPOST_DEVTO_API_KEY, CROSSPOST_HASHNODE_TOKEN with CROSSPOST_HASHNODE_PUBLICATION_ID, or CROSSPOST_MEDIUM_TOKEN in the environment and restart, or enter a key in Settings → Cross-posting.',
                )}
                action={
                  canSettings ? (
                    <LinkButton tag={RouterLink} to="/settings/crosspost" variant="secondary">
                      {t('empty.openSettings', 'Open the settings')}
                    </LinkButton>
                  ) : undefined
                }
              />
            </Box>
          ) : null}
          {running.map((b) => (
            <Box key={b.id} background="neutral0" shadow="tableShadow" hasRadius padding={4}>
              <BackfillProgress
                backfill={b}
                onCancel={canPublish ? () => void backfillApi.cancel(b.id).finally(refresh) : undefined}
              />
            </Box>
          ))}
          {stats && !noPlatform ? (
            <Flex gap={4} alignItems="stretch" wrap="wrap">
              <Box flex="1 1 480px">
                <StatusMatrix stats={stats} hrefFor={hrefFor} />
              </Box>
              <Box flex="1 1 420px">
                <OutcomesChart stats={stats} />
              </Box>
            </Flex>
          ) : null}
          <Flex justifyContent="space-between" alignItems="flex-end" gap={4} wrap="wrap">
            <FiltersBar contentTypes={contentTypes} />
            {canPublish ? (
              <BulkRetry
                selected={selected}
                params={params}
                onDone={() => {
                  setSelected([]);
                  refresh();
                }}
              />
            ) : null}
          </Flex>
          {list.loading && !list.data ? (
            <Page.Loading />
          ) : list.data && list.data.rows.length === 0 ? (
            <Box background="neutral0" shadow="tableShadow" hasRadius>
              <EmptyStateLayout
                content={
                  filtered
                    ? t('empty.filtered', 'No publication matches these filters.')
                    : t('empty.none', 'Nothing has been cross-posted yet. Publish an entry of a watched content type and it appears here within seconds.')
                }
              />
            </Box>
          ) : list.data ? (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Box background="neutral0" shadow="tableShadow" hasRadius>
                <PublicationsTable
                  rows={list.data.rows}
                  contentTypes={contentTypes}
                  canPublish={canPublish}
                  selected={selected}
                  onSelect={setSelected}
                  onOpen={(id) => setQuery({ detail: String(id) })}
                  onChanged={refresh}
                />
              </Box>
              <Pagination.Root pageCount={list.data.pagination.pageCount} total={list.data.pagination.total} defaultPageSize={10}>
                <Pagination.PageSize />
                <Pagination.Links />
              </Pagination.Root>
            </Flex>
          ) : null}
          {list.error ? <Typography textColor="danger600">{list.error}</Typography> : null}
        </Flex>
      </Layouts.Content>
      {detail ? (
        <PublicationModal id={detail} canPublish={canPublish} onClose={() => setQuery({ detail: undefined }, 'remove')} onChanged={refresh} />
      ) : null}
      {backfillOpen ? (
        <BackfillModal contentTypes={contentTypes} platforms={platforms} onClose={() => setBackfillOpen(false)} onStarted={refresh} />
      ) : null}
    </Page.Main>
  );
};

function hasMoving(stats: Stats | null): boolean {
  if (!stats) return false;
  return Object.values(stats.counts).some((byStatus) => MOVING.some((s) => (byStatus?.[s] ?? 0) > 0));
}

function fallbackTypes(uids: string[]): ContentTypeInfo[] {
  return [...new Set(uids)].map((uid) => ({ uid, displayName: shortUid(uid), kind: 'collectionType', draftAndPublish: true, localized: false, locales: [] }));
}

const ProtectedDashboard = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <DashboardPage />
  </Page.Protect>
);

export default ProtectedDashboard;
