/** Plugin settings (credentials are write-only: the server answers {configured, source, last4} only). */
import { useMemo } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { PlatformId, Settings, SettingsUpdate, TestConnectionResult } from './types';

export function useSettingsApi() {
  const { get, put, post } = useFetchClient();
  return useMemo(
    () => ({
      async get(): Promise<Settings> {
        const { data } = await get<{ data: Settings }>('/crosspost/settings');
        return data.data;
      },
      async update(body: SettingsUpdate): Promise<Settings> {
        const { data } = await put<{ data: Settings }>('/crosspost/settings', body);
        return data.data;
      },
      async testConnection(platform: PlatformId, credentials?: Record<string, string>): Promise<TestConnectionResult> {
        const { data } = await post<{ data: TestConnectionResult }>('/crosspost/settings/test-connection', {
          platform,
          ...(credentials && Object.keys(credentials).length ? { credentials } : {}),
        });
        return data.data;
      },
    }),
    [get, put, post],
  );
}
