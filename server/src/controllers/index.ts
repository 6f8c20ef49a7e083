import type { Core } from '@strapi/strapi';
import publication from './publication';
import publish from './publish';
import bulk from './bulk';
import stats from './stats';
import preview from './preview';
import backfill from './backfill';
import webhooks from './webhooks';
import monitoring from './monitoring';
import settings from './settings';
import openapi from './openapi';

// Annotated so that the declaration check (`tsc -b`) names Strapi's types through @strapi/strapi.
const controllers: Record<string, (deps: { strapi: Core.Strapi }) => Record<string, unknown>> = { publication, publish, bulk, stats, preview, backfill, webhooks, monitoring, settings, openapi };

export default controllers;
