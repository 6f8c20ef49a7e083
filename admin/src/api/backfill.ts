/** Backfill: estimate, start, follow, cancel; and the watched content types to choose from. */
import { useMemo } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Backfill, BackfillEstimate, ContentTypeInfo, PlatformId } from './types';

export function useBackfillApi() {
  const { get, post } = useFetchClient();
  return useMemo(
    () => ({
      async contentTypes(): Promise<ContentTypeInfo[]> {
        const { data } = await get<{ data: ContentTypeInfo[] }>('/crosspost/content-types');
        return data.data;
      },
      async estimate(contentType: string, platforms: PlatformId[]): Promise<BackfillEstimate> {
        const params: Record<string, string> = { contentType };
        if (platforms.length) params.platforms = platforms.join(',');
        const { data } = await get<{ data: BackfillEstimate }>('/crosspost/backfill/estimate', { params });
        return data.data;
      },
      async start(contentType: string, platforms: PlatformId[]): Promise<Backfill> {
        const { data } = await post<{ data: Backfill }>('/crosspost/backfill', { contentType, ...(platforms.length ? { platforms } : {}) });
        return data.data;
      },
      async list(): Promise<Backfill[]> {
        const { data } = await get<{ data: Backfill[] }>('/crosspost/backfills');
        return data.data;
      },
      async get(id: Backfill['id']): Promise<Backfill> {
        const { data } = await get<{ data: Backfill }>(`/crosspost/backfill/${id}`);
        return data.data;
      },
      async cancel(id: Backfill['id']): Promise<Backfill> {
        const { data } = await post<{ data: Backfill }>(`/crosspost/backfill/${id}/cancel`, {});
        return data.data;
      },
    }),
    [get, post],
  );
}
