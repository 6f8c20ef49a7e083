/**
 * The Content Manager edit-view side panel on watched content types: one compact line per platform
 * (status, live link, error in words, retry), the per-entry options and the payload preview.
 * The panel column is ~190 px wide: details go in modals.
 */
import type { PanelComponent, PanelComponentProps } from '@strapi/content-manager/strapi-admin';
import { useState } from 'react';
import { Box, Button, Flex, IconButton, Typography } from '@strapi/design-system';
import { Eye, Cog } from '@strapi/icons';
import { useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { useWatchedTypes } from '../../api/contentTypes';
import { useEntryApi, type EntryRef } from '../../api/entry';
import { MOVING, PLATFORM_IDS } from '../../api/types';
import type { PublicationView } from '../../api/types';
import { useRemote } from '../../hooks/useRemote';
import { PERMISSIONS } from '../../permissions';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';
import { ErrorText } from '../ErrorText';
import { PublicationModal } from '../PublicationModal';
import { RemoteLink } from '../RemoteLink';
import { RowActions } from '../RowActions';
import { StatusBadge } from '../StatusBadge';
import { EntryOptionsModal } from './EntryOptionsModal';
import { NewEntryDefaults } from './NewEntryDefaults';
import { PreviewModal } from './PreviewModal';

/** After a save or publish, planning is asynchronous: keep polling this long even with no moving row. */
const SETTLE_MS = 20000;

const PanelBody = ({ entry, version }: { entry: EntryRef; version: string }) => {
  const t = useT();
  const api = useEntryApi();
  const { allowedActions } = useRBAC(PERMISSIONS.publish);
  const canPublish = !!allowedActions.canPublish;
  const [changedAt, setChangedAt] = useState(0);
  const [lastVersion, setLastVersion] = useState(version);
  const [open, setOpen] = useState<null | 'options' | 'preview' | number>(null);
  if (version !== lastVersion) {
    setLastVersion(version);
    setChangedAt(Date.now());
  }
  const rows = useRemote(() => api.publications(entry), [entry.contentType, entry.documentId, entry.locale, version], {
    pollMs: 2000,
    shouldPoll: (d) => (!!d && d.some((r: PublicationView) => MOVING.includes(r.status))) || Date.now() - changedAt < SETTLE_MS,
  });

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%" data-testid="crosspost-panel">
      {rows.error ? <Typography variant="pi" textColor="danger600">{rows.error}</Typography> : null}
      {rows.data && rows.data.length === 0 ? (
        <Typography variant="pi" textColor="neutral600">
          {t('panel.none', 'Not cross-posted yet. Publishing the entry sends it to every enabled platform.')}
        </Typography>
      ) : null}
      {[...(rows.data ?? [])].sort((a, b) => PLATFORM_IDS.indexOf(a.platform) - PLATFORM_IDS.indexOf(b.platform)).map((row) => (
        <Box key={row.id} data-testid="panel-row" data-platform={row.platform} data-status={row.status} padding={2} hasRadius background="neutral100">
          <Flex justifyContent="space-between" gap={1}>
            <Typography variant="omega" fontWeight="bold">{platformName(row.platform)}</Typography>
            <StatusBadge status={row.status} />
          </Flex>
          <Flex gap={1} paddingTop={1} justifyContent="space-between">
            <RemoteLink url={row.remoteUrl} platform={row.platform} compact />
            <IconButton
              variant="ghost"
              size="S"
              label={t('panel.details', 'Details on {platform}', { platform: platformName(row.platform) })}
              onClick={() => setOpen(row.id)}
            >
              <Eye />
            </IconButton>
          </Flex>
          <Box paddingTop={1}><ErrorText row={row} compact /></Box>
          {canPublish ? (
            <Box paddingTop={1}>
              <RowActions row={row} onDone={() => void rows.reload()} />
            </Box>
          ) : null}
        </Box>
      ))}
      <Flex gap={2} wrap="wrap">
        <Button size="S" variant="secondary" startIcon={<Eye />} onClick={() => setOpen('preview')}>
          {t('panel.preview', 'Preview')}
        </Button>
        <Button size="S" variant="tertiary" startIcon={<Cog />} onClick={() => setOpen('options')}>
          {t('panel.options', 'Options')}
        </Button>
      </Flex>
      {open === 'preview' ? <PreviewModal entry={entry} onClose={() => setOpen(null)} /> : null}
      {open === 'options' ? <EntryOptionsModal entry={entry} canEdit={canPublish} onClose={() => setOpen(null)} /> : null}
      {typeof open === 'number' ? (
        <PublicationModal id={open} canPublish={canPublish} onClose={() => setOpen(null)} onChanged={() => void rows.reload()} />
      ) : null}
    </Flex>
  );
};

export const CrosspostPanel: PanelComponent = (props: PanelComponentProps) => {
  const t = useT();
  const [{ query }] = useQueryParams<{ plugins?: { i18n?: { locale?: string } } }>();
  const types = useWatchedTypes();
  const watched = types === 'unknown' || (Array.isArray(types) && types.some((c) => c.uid === props.model));
  if (!watched) return null;
  const documentId = props.document?.documentId ?? props.documentId;
  const locale = query.plugins?.i18n?.locale;
  const title = t('panel.title', 'Cross-posting');
  if (!documentId) return { title, content: <NewEntryDefaults contentType={props.model} /> };
  const doc = props.document as { updatedAt?: string; publishedAt?: string | null } | undefined;
  const version = `${doc?.updatedAt ?? ''}|${doc?.publishedAt ?? ''}`;
  return {
    title,
    content: <PanelBody entry={{ contentType: props.model, documentId, ...(locale ? { locale } : {}) }} version={version} />,
  };
};
