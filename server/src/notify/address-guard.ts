/**
 * Webhook deliveries follow the plugin's one address rule (http/ssrf.ts): only public unicast addresses,
 * judged on the address the socket connects to, so a name resolving inside (or changing its answer between
 * check and connect) is refused too. This file only words the refusal for webhook endpoints.
 */
import type { LookupFunction } from 'node:net';
import { guardedLookup as lookupWithRule, isBlockedLiteral, isPublicAddress } from '../http/ssrf';

const WHY = 'webhooks are not sent there (webhooks.allowPrivateNetworks is for development)';

export const isInternalAddress = (address: string): boolean => !isPublicAddress(address);

export class BlockedAddressError extends Error {}

/** A `lookup` for http.request that fails on internal addresses (unless allowed). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  const lookup = lookupWithRule(allowPrivate ? () => true : isPublicAddress);
  return (hostname, options, callback) =>
    lookup(hostname, options, ((err: Error | null, ...rest: unknown[]) => {
      if (err && (err as { code?: string }).code === 'EBLOCKED') return (callback as (e: Error) => void)(new BlockedAddressError(`${hostname} resolves to an internal address; ${WHY}`));
      return (callback as (e: Error | null, ...r: unknown[]) => void)(err, ...rest);
    }) as never);
}

/** For an IP literal host, which never goes through lookup. */
export function assertLiteralAllowed(hostname: string, allowPrivate: boolean): void {
  if (!allowPrivate && isBlockedLiteral(hostname)) throw new BlockedAddressError(`${hostname.replace(/^\[|\]$/g, '')} is an internal address; ${WHY}`);
}
