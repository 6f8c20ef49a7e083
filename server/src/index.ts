/**
 * strapi-plugin-crosspost server entry. The pipeline, in the order a publish travels through it:
 * events/ → planner/ → queue/ → worker/ → platforms/ → notify/, with reconciler/ as the safety net.
 */
import type { Core } from '@strapi/strapi';
import register from './register';
import bootstrap from './bootstrap';
import destroy from './destroy';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import routes from './routes';
import services from './services';

type Lifecycle = (deps: { strapi: Core.Strapi }) => unknown;

// Annotated so that the declaration check (`tsc -b`) names Strapi's types through @strapi/strapi.
const plugin: {
  register: Lifecycle;
  bootstrap: Lifecycle;
  destroy: Lifecycle;
  config: typeof config;
  contentTypes: typeof contentTypes;
  controllers: typeof controllers;
  routes: typeof routes;
  services: typeof services;
  policies: Record<string, never>;
  middlewares: Record<string, never>;
} = {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  controllers,
  routes,
  services,
  policies: {},
  middlewares: {},
};

export default plugin;
