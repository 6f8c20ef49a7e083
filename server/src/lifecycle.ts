/** Handles that destroy() must stop, per Strapi instance. */
import type { Core } from '@strapi/strapi';
import type { EntryListener } from './events/listener';
import type { Reconciler } from './reconciler/reconciler';
import type { Server } from 'node:http';

export interface Lifecycle {
  listener: EntryListener;
  reconciler: Reconciler;
  /** The optional loopback /metrics listener. */
  metricsListener?: Server;
}

const lifecycles = new WeakMap<object, Lifecycle>();

export const setLifecycle = (strapi: Core.Strapi, l: Lifecycle) => lifecycles.set(strapi, l);
export const getLifecycle = (strapi: Core.Strapi) => lifecycles.get(strapi);
export const clearLifecycle = (strapi: Core.Strapi) => lifecycles.delete(strapi);
