/** The plugin's webhook endpoints and their delivery log (plugin::crosspost.settings). A secret comes back only from create and rotate. */
import { useMemo } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Pagination, WebhookDeliveryView, WebhookEndpointInput, WebhookEndpointView, WebhookTestResult } from './types';

export function useWebhooksApi() {
  const { get, post, put, del } = useFetchClient();
  return useMemo(
    () => ({
      async list(): Promise<WebhookEndpointView[]> {
        const { data } = await get<{ data: WebhookEndpointView[] }>('/crosspost/webhook-endpoints');
        return data.data;
      },
      async create(body: WebhookEndpointInput): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
        const { data } = await post<{ data: WebhookEndpointView; secret: string }>('/crosspost/webhook-endpoints', body);
        return { endpoint: data.data, secret: data.secret };
      },
      async update(id: number, body: Partial<WebhookEndpointInput>): Promise<WebhookEndpointView> {
        const { data } = await put<{ data: WebhookEndpointView }>(`/crosspost/webhook-endpoints/${id}`, body);
        return data.data;
      },
      async remove(id: number): Promise<void> {
        await del(`/crosspost/webhook-endpoints/${id}`);
      },
      async rotateSecret(id: number): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
        const { data } = await post<{ data: WebhookEndpointView; secret: string }>(`/crosspost/webhook-endpoints/${id}/rotate-secret`);
        return { endpoint: data.data, secret: data.secret };
      },
      async test(id: number): Promise<WebhookTestResult> {
        const { data } = await post<{ data: WebhookTestResult }>(`/crosspost/webhook-endpoints/${id}/test`);
        return data.data;
      },
      async deliveries(endpointId: number, page: number, pageSize = 10): Promise<{ rows: WebhookDeliveryView[]; pagination: Pagination }> {
        const { data } = await get<{ data: WebhookDeliveryView[]; meta: { pagination: Pagination } }>('/crosspost/webhook-deliveries', {
          params: { endpointId, page, pageSize },
        });
        return { rows: data.data, pagination: data.meta.pagination };
      },
      async replay(deliveryId: number): Promise<WebhookDeliveryView> {
        const { data } = await post<{ data: WebhookDeliveryView }>(`/crosspost/webhook-deliveries/${deliveryId}/replay`);
        return data.data;
      },
    }),
    [get, post, put, del],
  );
}
