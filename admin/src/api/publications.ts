/** Publication rows: list, one row with its attempts, retry / cancel / confirm, bulk retry. */
import { useMemo } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Attempt, BulkRetryResult, ListParams, Pagination, PublicationView } from './types';

const BASE = '/crosspost';

export function usePublicationsApi() {
  const { get, post } = useFetchClient();
  return useMemo(
    () => ({
      async list(params: ListParams): Promise<{ rows: PublicationView[]; pagination: Pagination }> {
        const { data } = await get<{ data: PublicationView[]; meta: { pagination: Pagination } }>(`${BASE}/publications`, { params });
        return { rows: data.data, pagination: data.meta.pagination };
      },
      async findOne(id: number): Promise<PublicationView & { attemptsHistory?: Attempt[] }> {
        const { data } = await get<{ data: PublicationView & { attemptsHistory?: Attempt[] } }>(`${BASE}/publications/${id}`);
        return data.data;
      },
      async retry(id: number): Promise<PublicationView> {
        const { data } = await post<{ data: PublicationView }>(`${BASE}/publications/${id}/retry`, {});
        return data.data;
      },
      async cancel(id: number): Promise<PublicationView> {
        const { data } = await post<{ data: PublicationView }>(`${BASE}/publications/${id}/cancel`, {});
        return data.data;
      },
      async confirm(id: number, body: { url?: string; remoteId?: string }): Promise<PublicationView> {
        const { data } = await post<{ data: PublicationView }>(`${BASE}/publications/${id}/confirm`, body);
        return data.data;
      },
      async bulkRetry(body: { ids: number[] } | { filter: Record<string, string | undefined> }): Promise<BulkRetryResult> {
        const { data } = await post<{ data: BulkRetryResult }>(`${BASE}/publications/bulk-retry`, body);
        return data.data;
      },
    }),
    [get, post],
  );
}
