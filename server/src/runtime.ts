/**
 * Everything the pipeline stages share for one Strapi instance: validated config, connectors,
 * store, queues. Built in bootstrap, torn down in destroy; stages receive it explicitly.
 */
import type { Core } from '@strapi/strapi';
import type { CrosspostConfig, PlatformId } from './config/schema';
import type { Connector } from './platforms/types';
import type { PublicationStore } from './store/publications';
import type { EntrySettingsStore } from './store/entry-settings';
import type { PlatformQueues } from './queue/queues';
import type { PlanQueue } from './queue/plan-queue';
import type { RateWindows } from './queue/rate-windows';
import type Redis from 'ioredis';
import type { LiveSettings } from './settings/live';
import type { SettingsStore } from './store/settings';
import type { WebhookQueue } from './queue/webhook-queue';
import type { EndpointStore } from './notify/endpoints';
import type { DeliveryStore } from './notify/deliveries';
import type { Metrics } from './monitoring/metrics';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

export interface Runtime {
  strapi: Core.Strapi;
  /** The file config (environment + config/plugins). Connectors are built from `settings.current().config`. */
  config: CrosspostConfig;
  /** Base for absolute media URLs (CROSSPOST_PUBLIC_URL, else Strapi's server.url). */
  publicUrl?: string;
  /** Rebuilt in place when an admin changes the settings (see settings/live.ts). */
  connectors: Map<PlatformId, Connector>;
  /** Admin settings (platforms on/off, entry defaults, admin-entered credentials), kept current in every process. */
  settings: LiveSettings;
  settingsStore: SettingsStore;
  store: PublicationStore;
  entrySettings: EntrySettingsStore;
  queues: PlatformQueues;
  /** Entry events waiting to be planned (crosspost:plan). */
  planQueue: PlanQueue;
  /** Shared connection for the plugin's own keys (rate windows, reconciler lock). */
  redis: Redis;
  rateWindows: RateWindows;
  /** Plugin webhooks: endpoints, the delivery outbox and the crosspost:webhooks queue. */
  webhooks: { endpoints: EndpointStore; deliveries: DeliveryStore; queue: WebhookQueue };
  metrics: Metrics;
  log: Logger;
}

const runtimes = new WeakMap<object, Runtime>();

export function setRuntime(strapi: Core.Strapi, rt: Runtime | undefined): void {
  if (rt) runtimes.set(strapi, rt);
  else runtimes.delete(strapi);
}

export function getRuntime(strapi: Core.Strapi): Runtime {
  const rt = runtimes.get(strapi);
  if (!rt) throw new Error('crosspost: the plugin has not finished starting (bootstrap did not run or failed).');
  return rt;
}

export function hasRuntime(strapi: Core.Strapi): boolean {
  return runtimes.has(strapi);
}
