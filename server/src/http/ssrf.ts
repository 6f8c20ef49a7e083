/**
 * The one rule for "may the server call this address on a user's behalf": only public unicast
 * addresses, checked on the address the connection really uses (after DNS, for every hop), never on
 * the hostname text (`localhost.`, `[::ffff:127.0.0.1]`, a DNS name pointing inside all get around that).
 * Used by the image pre-flight; anything else that fetches user-given URLs should use it too.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** True only for a public unicast address (IPv4-mapped IPv6 is judged as the IPv4 inside it). */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
  constructor(host: string) {
    super(`${host} does not resolve to a public address`);
  }
}

export type AddressRule = (address: string) => boolean;

/** A dns.lookup that refuses hosts resolving to any address the rule rejects (checked at connect time). */
export function guardedLookup(isAllowed: AddressRule = isPublicAddress): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error) => void)(err);
      const list = addresses as dns.LookupAddress[];
      if (!list.length || list.some((a) => !isAllowed(a.address))) return (callback as (e: Error) => void)(new BlockedAddressError(hostname));
      if ((options as dns.LookupOptions).all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      return (callback as (e: null, a: string, f: number) => void)(null, list[0].address, list[0].family);
    });
  };
}

/** Agents whose every connection goes through the guarded lookup (no keep-alive: each hop resolves anew). */
export function guardedAgents(isAllowed: AddressRule = isPublicAddress) {
  const lookup = guardedLookup(isAllowed);
  return { http: new http.Agent({ lookup, keepAlive: false }), https: new https.Agent({ lookup, keepAlive: false }) };
}

export const publicOnlyAgents = guardedAgents();

/**
 * Node connects to an IP literal without any lookup: such hosts are judged here. Hostnames are left to
 * the agents' lookup (so a rebinding DNS answer cannot pass a check here and change before connecting).
 */
export function isBlockedLiteral(hostname: string, isAllowed: AddressRule = isPublicAddress): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(h) && !isAllowed(h);
}
