import type { Core } from '@strapi/strapi';
import contentTypes from './content-types';

/**
 * Events, queues and workers start in bootstrap. Here: if @strapi/plugin-graphql is installed, its
 * generated queries and mutations must not expose any of the plugin's own types (a token could rewrite
 * status or remoteId around the state machine, or read an endpoint's encrypted secret); the REST routes
 * are the only way in. Every type is listed, so a type added later is covered too.
 */
const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension') as { shadowCRUD(uid: string): { disable(): void } };
  for (const name of Object.keys(contentTypes)) extension.shadowCRUD(`plugin::crosspost.${name}`).disable();
};

export default register;
