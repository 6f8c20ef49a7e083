/**
 * A "Cross-posting" column in the Content Manager's list view of watched types: one status dot per
 * platform (its initial inside, its status as the colour), labelled ("DEV: published") for screen readers
 * and in a tooltip. The cells of one page share one request (GET /crosspost/entry-statuses with the
 * page's documentIds), never one per row.
 */
import { Box, Flex, Tooltip, Typography } from '@strapi/design-system';
import { getFetchClient, useQueryParams, useTable } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import { loadWatchedTypes, useWatchedTypes, watchedUids } from '../api/contentTypes';
import { PLATFORM_IDS, type PlatformId } from '../api/types';
import { PLUGIN_ID } from '../pluginId';
import { platformName, statusTone } from '../utils/errorText';
import { useT } from '../utils/useT';

type Statuses = Record<string, { platform: PlatformId; status: string }[]>;

/** One answer per page: every cell asks for the same key and shares the promise for a moment. */
const SHARE_MS = 2000;
const pages = new Map<string, { at: number; promise: Promise<Statuses> }>();

function pageStatuses(contentType: string, documentIds: string[], locale: string | undefined): Promise<Statuses> {
  const key = `${contentType}|${locale ?? ''}|${documentIds.join(',')}`;
  const hit = pages.get(key);
  if (hit && Date.now() - hit.at < SHARE_MS) return hit.promise;
  const params = { contentType, documentIds: documentIds.join(','), ...(locale ? { locale } : {}) };
  const promise = getFetchClient()
    .get<{ data: Statuses }>('/crosspost/entry-statuses', { params })
    .then((r) => r.data.data);
  pages.set(key, { at: Date.now(), promise });
  promise.catch(() => pages.delete(key));
  return promise;
}

const DOT_COLOR = { success: 'success600', danger: 'danger600', warning: 'warning600', secondary: 'secondary600', primary: 'primary600', neutral: 'neutral400' } as const;
/** A letter in each dot, so the platforms are told apart without relying on colour or order. */
const INITIAL: Record<PlatformId, string> = { devto: 'D', hashnode: 'H', medium: 'M' };

const StatusDots = ({ model, documentId }: { model: string; documentId: string }) => {
  const t = useT();
  const types = useWatchedTypes();
  const rows = useTable('ListView', (state) => state.rows) as { documentId?: unknown }[];
  const [{ query }] = useQueryParams<{ plugins?: { i18n?: { locale?: string } } }>();
  const locale = query.plugins?.i18n?.locale;
  const ids = rows.map((r) => r.documentId).filter((d): d is string => typeof d === 'string').slice(0, 100);
  const watched = types === 'unknown' || (Array.isArray(types) && types.some((c) => c.uid === model));
  const [mine, setMine] = useState<Statuses[string] | null>(null);

  useEffect(() => {
    if (!watched || !ids.length) return undefined;
    let live = true;
    pageStatuses(model, ids, locale).then(
      (all) => live && setMine(all[documentId] ?? []),
      () => live && setMine(null),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watched, model, locale, documentId, ids.join(',')]);

  if (!watched || !mine) return null;
  if (mine.length === 0) {
    return (
      <Typography textColor="neutral500" aria-label={t('list.none', 'Not cross-posted')}>
        -
      </Typography>
    );
  }
  const sorted = [...mine].sort((a, b) => PLATFORM_IDS.indexOf(a.platform) - PLATFORM_IDS.indexOf(b.platform));
  return (
    <Flex gap={2} data-testid="list-status" data-document-id={documentId}>
      {sorted.map((s) => {
        const label = t('list.dot', '{platform}: {status}', { platform: platformName(s.platform), status: t(`status.${s.status}`, s.status) });
        return (
          <Tooltip key={s.platform} label={label}>
            <Box
              tag="span"
              role="img"
              aria-label={label}
              tabIndex={0}
              data-platform={s.platform}
              data-status={s.status}
              background={DOT_COLOR[statusTone(s.status)]}
              width="1.25rem"
              height="1.25rem"
              borderRadius="50%"
              display="inline-flex"
              style={{ alignItems: 'center', justifyContent: 'center' }}
            >
              <Typography aria-hidden variant="pi" fontWeight="bold" textColor="neutral0">
                {INITIAL[s.platform]}
              </Typography>
            </Box>
          </Tooltip>
        );
      })}
    </Flex>
  );
};

interface ListHeader {
  name: string;
  label: { id: string; defaultMessage: string };
  searchable: boolean;
  sortable: boolean;
  cellFormatter: (row: { documentId: string }, header: unknown, ctx: { model: string }) => React.ReactNode;
}

/** The content type of the list view on screen (the hook is given its layout, not its uid). */
const listedUid = () => /\/content-manager\/collection-types\/([^/?#]+)/.exec(window.location.pathname)?.[1];

export function addStatusColumn<T extends { displayedHeaders: ListHeader[] }>(args: T): T {
  const uid = listedUid();
  const known = watchedUids();
  // Until the watched types are known the column is added (its cells stay empty on other types); loading
  // them now lets the list's next render drop it where it does not belong.
  if (!known) void loadWatchedTypes();
  if (known && (!uid || !known.has(decodeURIComponent(uid)))) return args;
  return {
    ...args,
    displayedHeaders: [
      ...args.displayedHeaders,
      {
        name: `${PLUGIN_ID}-status`,
        label: { id: `${PLUGIN_ID}.list.header`, defaultMessage: 'Cross-posting' },
        searchable: false,
        sortable: false,
        cellFormatter: (row, _header, { model }) => <StatusDots model={model} documentId={row.documentId} />,
      },
    ],
  };
}
