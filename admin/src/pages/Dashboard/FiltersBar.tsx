/** Status, platform and content type filters, text search and sort; all kept in the URL. */
import { Button, Field, Flex, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { SearchInput, useQueryParams } from '@strapi/strapi/admin';
import { PLATFORM_IDS, STATUSES } from '../../api/types';
import type { ContentTypeInfo } from '../../api/types';
import { platformName, shortUid } from '../../utils/errorText';
import { useT } from '../../utils/useT';

const ALL = '__all';

export const FiltersBar = ({ contentTypes }: { contentTypes: ContentTypeInfo[] }) => {
  const t = useT();
  const [{ query }, setQuery] = useQueryParams<Record<string, string | undefined>>();
  const set = (key: string, value: string | number) =>
    setQuery({ [key]: value === ALL ? undefined : String(value), page: '1' } as Record<string, string | undefined>, 'push');
  const active = ['status', 'platform', 'contentType', '_q'].some((k) => query[k]);

  const select = (key: string, label: string, options: { value: string; label: string }[]) => (
    <Field.Root name={key} width="180px">
      <Field.Label>{label}</Field.Label>
      <SingleSelect size="S" value={query[key] ?? ALL} onChange={(v: string | number) => set(key, v)} aria-label={label}>
        <SingleSelectOption value={ALL}>{t('filters.all', 'All')}</SingleSelectOption>
        {options.map((o) => (
          <SingleSelectOption key={o.value} value={o.value}>
            {o.label}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Field.Root>
  );

  return (
    <Flex gap={3} wrap="wrap" alignItems="flex-end" data-testid="filters">
      <SearchInput label={t('filters.search', 'Search by title')} placeholder={t('filters.search', 'Search by title')} />
      {select('status', t('table.status', 'Status'), STATUSES.map((s) => ({ value: s, label: t(`status.${s}`, s) })))}
      {select('platform', t('table.platform', 'Platform'), PLATFORM_IDS.map((p) => ({ value: p, label: platformName(p) })))}
      {select('contentType', t('table.contentType', 'Content type'), contentTypes.map((c) => ({ value: c.uid, label: c.displayName || shortUid(c.uid) })))}
      <Field.Root name="sort" width="200px">
        <Field.Label>{t('filters.sort', 'Sort by')}</Field.Label>
        <SingleSelect size="S" value={query.sort ?? 'updatedAt:desc'} onChange={(v: string | number) => set('sort', v)}>
          <SingleSelectOption value="updatedAt:desc">{t('sort.updatedDesc', 'Recently updated')}</SingleSelectOption>
          <SingleSelectOption value="updatedAt:asc">{t('sort.updatedAsc', 'Least recently updated')}</SingleSelectOption>
          <SingleSelectOption value="createdAt:desc">{t('sort.createdDesc', 'Newest')}</SingleSelectOption>
          <SingleSelectOption value="createdAt:asc">{t('sort.createdAsc', 'Oldest')}</SingleSelectOption>
          <SingleSelectOption value="title:asc">{t('sort.titleAsc', 'Title A→Z')}</SingleSelectOption>
          <SingleSelectOption value="title:desc">{t('sort.titleDesc', 'Title Z→A')}</SingleSelectOption>
        </SingleSelect>
      </Field.Root>
      {active ? (
        <Button
          variant="tertiary"
          size="S"
          onClick={() => setQuery({ status: undefined, platform: undefined, contentType: undefined, _q: undefined, page: '1' } as Record<string, string | undefined>, 'push')}
        >
          {t('filters.clear', 'Clear filters')}
        </Button>
      ) : null}
    </Flex>
  );
};
