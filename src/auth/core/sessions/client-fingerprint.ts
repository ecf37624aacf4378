import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { ClientInfo } from '../model/auth.types';

/** User agents are stored and compared cut to this length. */
export const MAX_USER_AGENT_LENGTH = 512;

/**
 * Who presented a refresh token, as far as a server can tell: the client's network and user agent, hashed
 * (SHA-256, hex). The network is the IPv4 /24 or the IPv6 /64 of the address the HTTP adapter resolved (through
 * its proxy trust setting); an IPv4-mapped IPv6 address counts as its IPv4 address. Two tabs of one browser share
 * it; a thief on another network or with another browser does not. It is stored on a spent token, so the reuse
 * grace answers only the client that spent the token (RFC 9700 §4.14.2 asks that a refresh token replayed by
 * anyone else be treated as compromise). No address or user agent is kept in it in plain form.
 */
export function clientFingerprint(client: ClientInfo): string {
  const userAgent = client.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? '';
  return createHash('sha256')
    .update(`${networkOf(client.ip)}\n${userAgent}`, 'utf8')
    .digest('hex');
}

/** The /24 (IPv4) or /64 (IPv6) that `ip` belongs to, in CIDR notation; `unknown` when there is no valid address. */
export function networkOf(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  const bytes = address.toByteArray();
  if (address.kind() === 'ipv4') return `${bytes.slice(0, 3).join('.')}.0/24`;
  const groups = [0, 2, 4, 6].map((index) => ((bytes[index] << 8) | bytes[index + 1]).toString(16));
  return `${groups.join(':')}::/64`;
}
