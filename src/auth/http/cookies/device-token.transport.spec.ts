import type { ResolvedAuthOptions } from '../../core/options/auth.options';
import { DeviceTokenTransport } from './device-token.transport';
import { RefreshTokenTransport } from './refresh-token.transport';

/** What a transport reads of the options: the refresh transport and `Secure`. */
function transport(refreshTransport: 'body' | 'cookie' | 'both', cookieSecure = false) {
  const options = { refreshTransport, cookieSecure } as ResolvedAuthOptions;
  return new DeviceTokenTransport(options, new RefreshTokenTransport(options));
}

/** A request to `route` (as Express declares it) with a `Cookie` header, and a response that records Set-Cookie. */
function exchange(route: string, cookie?: string) {
  const set: string[] = [];
  return {
    request: { url: route, route: { path: route }, headers: { cookie } },
    // Express's response: `append` keeps the cookies set before.
    response: {
      header: () => {
        throw new Error('header() would replace the Set-Cookie set before');
      },
      append: (_name: string, value: string) => set.push(value),
    },
    set,
  };
}

const TOKEN = 'a'.repeat(43);

describe('DeviceTokenTransport', () => {
  it('answers the token in the body and sets no cookie in body transport, and reads the body only', () => {
    const { request, response, set } = exchange('/auth/mfa/verify', `device_token=${TOKEN}`);
    const devices = transport('body');

    expect(devices.deliver(TOKEN, 60, request, response, 2)).toBe(TOKEN);
    expect(set).toEqual([]);
    expect(devices.read(request, undefined)).toBeUndefined();
    devices.forget(request, response, 2);
    expect(set).toEqual([]);
  });

  it('sets an HttpOnly cookie scoped to the module and keeps it out of the body in cookie transport', () => {
    const { request, response, set } = exchange('/api/auth/mfa/verify');

    expect(transport('cookie').deliver(TOKEN, 2592000, request, response, 2)).toBeUndefined();
    expect(set).toEqual([
      `device_token=${TOKEN}; HttpOnly; SameSite=Strict; Path=/api/auth; Max-Age=2592000`,
    ]);
  });

  it('puts it in both in both transport, Secure when configured', () => {
    const { request, response, set } = exchange('/auth/mfa/verify');

    expect(transport('both', true).deliver(TOKEN, 60, request, response, 2)).toBe(TOKEN);
    expect(set).toEqual([
      `device_token=${TOKEN}; HttpOnly; SameSite=Strict; Path=/auth; Max-Age=60; Secure`,
    ]);
  });

  it('reads the body first, else the first device cookie sent', () => {
    const { request } = exchange(
      '/auth/login',
      `refresh_token=x; device_token=first; device_token=second`,
    );
    const devices = transport('both');

    expect(devices.read(request, 'from-body')).toBe('from-body');
    expect(devices.read(request, undefined)).toBe('first');
    expect(devices.read(exchange('/auth/login').request, undefined)).toBeUndefined();
  });

  it('clears the cookie the request carried, and sets nothing for a request without one', () => {
    const carried = exchange('/auth/password', `device_token=${TOKEN}`);
    transport('cookie').forget(carried.request, carried.response, 1);
    expect(carried.set).toEqual([
      'device_token=; HttpOnly; SameSite=Strict; Path=/auth; Max-Age=0',
    ]);

    const bare = exchange('/auth/password', 'refresh_token=x');
    transport('cookie').forget(bare.request, bare.response, 1);
    expect(bare.set).toEqual([]);
  });
});
