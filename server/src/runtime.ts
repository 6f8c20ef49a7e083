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

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

export interface Runtime {
  strapi: Core.Strapi;
  config: CrosspostConfig;
  /** Base for absolute media URLs (CROSSPOST_PUBLIC_URL, else Strapi's server.url). */
  publicUrl?: string;
  connectors: Map<PlatformId, Connector>;
  store: PublicationStore;
  entrySettings: EntrySettingsStore;
  queues: PlatformQueues;
  /** Entry events waiting to be planned (crosspost:plan). */
  planQueue: PlanQueue;
  /** Shared connection for the plugin's own keys (rate windows, reconciler lock). */
  redis: Redis;
  rateWindows: RateWindows;
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
