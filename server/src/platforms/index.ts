/** Builds the connectors of the platforms that have credentials; the others are disabled, not errors. */
import type { CrosspostConfig, PlatformId } from '../config/schema';
import type { Connector } from './types';
import { createDevtoConnector } from './devto';
import { createHashnodeConnector } from './hashnode';
import { createMediumConnector } from './medium';

export interface ConnectorSet {
  connectors: Map<PlatformId, Connector>;
  /** Why each missing platform is off, for the startup log. */
  disabled: Partial<Record<PlatformId, string>>;
}

export function buildConnectors(config: CrosspostConfig): ConnectorSet {
  const connectors = new Map<PlatformId, Connector>();
  const disabled: ConnectorSet['disabled'] = {};
  const http = { timeoutMs: config.http.timeoutMs };
  const { devto, hashnode, medium } = config.platforms;

  if (!devto.enabled) disabled.devto = 'disabled in config';
  else if (!devto.apiKey) disabled.devto = 'no API key (CROSSPOST_DEVTO_API_KEY)';
  else connectors.set('devto', createDevtoConnector({ ...devto, apiKey: devto.apiKey }, http) as Connector);

  if (!hashnode.enabled) disabled.hashnode = 'disabled in config';
  else if (!hashnode.token || !hashnode.publicationId) disabled.hashnode = 'no token and publication id (CROSSPOST_HASHNODE_TOKEN, CROSSPOST_HASHNODE_PUBLICATION_ID)';
  else {
    const { token, publicationId, baseUrl, mode } = hashnode;
    connectors.set('hashnode', createHashnodeConnector({ token, publicationId, baseUrl, mode, lookupDelayMs: hashnode.lookupDelayMs }, http) as Connector);
  }

  if (!medium.enabled) disabled.medium = 'disabled in config';
  else if (!medium.token) disabled.medium = 'no integration token (CROSSPOST_MEDIUM_TOKEN)';
  else {
    const { token, baseUrl, publicationId, publishStatus, license, notifyFollowers } = medium;
    connectors.set('medium', createMediumConnector({ token, baseUrl, publicationId, publishStatus, license, notifyFollowers }, http) as Connector);
  }

  return { connectors, disabled };
}
