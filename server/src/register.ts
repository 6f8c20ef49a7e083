import type { Core } from '@strapi/strapi';

// Nothing to do before the app loads: events, queues and workers start in bootstrap.
const register = (_: { strapi: Core.Strapi }) => {};

export default register;
