/** One entry: its publications, its per-entry choices, the payload preview, a manual sync. */
import { useMemo } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { EntrySettings, PlatformEntryOptions, PlatformId, PreviewItem, PublicationView } from './types';

export interface EntryRef {
  contentType: string;
  documentId: string;
  locale?: string;
}

const withLocale = (ref: EntryRef) => ({
  contentType: ref.contentType,
  documentId: ref.documentId,
  ...(ref.locale ? { locale: ref.locale } : {}),
});

export function useEntryApi() {
  const { get, put, post } = useFetchClient();
  return useMemo(
    () => ({
      async publications(ref: EntryRef): Promise<PublicationView[]> {
        const params: Record<string, string | number> = { contentType: ref.contentType, entryDocumentId: ref.documentId, pageSize: 100 };
        if (ref.locale) params.locale = ref.locale;
        const { data } = await get<{ data: PublicationView[] }>('/crosspost/publications', { params });
        return data.data;
      },
      async settings(ref: EntryRef): Promise<EntrySettings> {
        const { data } = await get<{ data: EntrySettings }>('/crosspost/entry-settings', { params: withLocale(ref) });
        return data.data ?? {};
      },
      async saveSettings(ref: EntryRef, platforms: Partial<Record<PlatformId, PlatformEntryOptions>>): Promise<EntrySettings> {
        const { data } = await put<{ data: EntrySettings }>('/crosspost/entry-settings', { ...withLocale(ref), platforms });
        return data.data ?? {};
      },
      /** What a new entry of this type gets (the panel shows it before the first save, when there is no documentId). */
      async defaults(contentType: string): Promise<{ platforms: Partial<Record<PlatformId, PlatformEntryOptions>> }> {
        const { data } = await get<{ data: { platforms: Partial<Record<PlatformId, PlatformEntryOptions>> } }>('/crosspost/entry-defaults', { params: { contentType } });
        return data.data;
      },
      async preview(ref: EntryRef): Promise<PreviewItem[]> {
        const { data } = await get<{ data: PreviewItem[] }>('/crosspost/preview', { params: withLocale(ref) });
        return data.data;
      },
      async sync(ref: EntryRef): Promise<void> {
        await post('/crosspost/sync', withLocale(ref));
      },
    }),
    [get, put, post],
  );
}
