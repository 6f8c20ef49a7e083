/** Counts by platform × status and the published/failed series per day (GET /stats). */
import { useMemo } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Stats } from './types';

export function useStatsApi() {
  const { get } = useFetchClient();
  return useMemo(
    () => ({
      async get(): Promise<Stats> {
        // The dashboard shows counts and the per-day series (always 30 days); it does not show the window's
        // figures, so it asks for the shortest window, the cheapest to compute.
        const { data } = await get<{ data: Stats }>('/crosspost/stats', { params: { window: '1h' } });
        return data.data;
      },
    }),
    [get],
  );
}
