import type { AddressInfo } from 'node:net';

/**
 * The URL of the socket the server really listens on, from `server.address()`: `http://0.0.0.0:3000` when it is
 * bound to every IPv4 interface, not the loopback URL Nest's `getUrl()` makes up for that case, so that the startup
 * line never hides an exposed port.
 */
export function boundUrl(address: AddressInfo | string | null, tls: boolean): string {
  if (address === null) return 'an unbound server';
  // A Unix socket or a Windows pipe.
  if (typeof address === 'string') return address;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}
