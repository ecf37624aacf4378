import { createServer } from 'node:net';
import { boundUrl } from './bound-url';

describe('boundUrl', () => {
  it.each([
    [{ address: '0.0.0.0', family: 'IPv4', port: 3000 }, false, 'http://0.0.0.0:3000'],
    [{ address: '127.0.0.1', family: 'IPv4', port: 8443 }, true, 'https://127.0.0.1:8443'],
    [{ address: '::', family: 'IPv6', port: 3000 }, false, 'http://[::]:3000'],
    [{ address: '::1', family: 'IPv6', port: 80 }, false, 'http://[::1]:80'],
  ])('names %j (tls %s) as %s', (address, tls, url) => {
    expect(boundUrl(address, tls)).toBe(url);
  });

  it('names a Unix socket by its path', () => {
    expect(boundUrl('/run/auth.sock', false)).toBe('/run/auth.sock');
  });

  it('reads what a real socket bound to 0.0.0.0 reports', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      expect(boundUrl(server.address(), false)).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
