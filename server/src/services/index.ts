import type { Core } from '@strapi/strapi';
import publications from './publications';
import settings from './settings';
import stats from './stats';

// Annotated so that the declaration check (`tsc -b`) names Strapi's types through @strapi/strapi.
const services: Record<string, (deps: { strapi: Core.Strapi }) => Core.Service> = { publications, settings, stats };

export default services;
