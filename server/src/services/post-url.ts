/**
 * An editor confirming where a post lives gives a URL that becomes a link in the admin and, on DEV and
 * Hashnode, the id later updates and deletes go to. Only http(s) URLs on the platform's own hosts
 * (plus configured ones: a self-hosted Forem, a Hashnode custom domain) are accepted.
 */
import { badRequest } from '../http/errors';
import type { PlatformId } from '../config/schema';

const DEFAULT_HOSTS: Record<PlatformId, string[]> = {
  devto: ['dev.to'],
  hashnode: ['hashnode.dev', '*.hashnode.dev'],
  medium: ['medium.com', '*.medium.com'],
};

const matches = (host: string, pattern: string) =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern;

/** The hosts a confirm URL may have: the platform's own, the API's site (self-hosted), the configured ones. */
export function postHostsFor(platform: PlatformId, config: { baseUrl?: string; postHosts?: string[] }): string[] {
  const hosts = [...DEFAULT_HOSTS[platform], ...(config.postHosts ?? [])];
  if (platform === 'devto' && config.baseUrl) hosts.push(new URL(config.baseUrl).hostname); // a Forem's site serves its API
  return hosts.map((h) => h.toLowerCase());
}

export function checkPostUrl(platform: PlatformId, url: string, hosts: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('url: must be the full URL of the post', { errors: [{ path: 'url', message: 'not a URL' }] });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw badRequest('url: must start with https://', { errors: [{ path: 'url', message: 'only http(s) URLs' }] });
  }
  const host = parsed.hostname.toLowerCase();
  if (!hosts.some((h) => matches(host, h))) {
    const message = `must be a ${platform} post URL (host one of: ${hosts.join(', ')}); add other hosts with platforms.${platform}.postHosts`;
    throw badRequest(`url: ${message}`, { errors: [{ path: 'url', message }] });
  }
  return parsed.toString();
}
