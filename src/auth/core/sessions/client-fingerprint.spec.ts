import { clientFingerprint, networkOf } from './client-fingerprint';

describe('networkOf', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:1:2:ffff::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'unknown'],
    [undefined, 'unknown'],
  ])('puts %s in %s', (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });
});

describe('clientFingerprint', () => {
  const tab = { ip: '203.0.113.5', userAgent: 'Mozilla/5.0 tab' };

  it('is the same for another address of the same network and the same user agent', () => {
    expect(clientFingerprint({ ...tab, ip: '203.0.113.200' })).toBe(clientFingerprint(tab));
  });

  it('differs for another network or another user agent', () => {
    expect(clientFingerprint({ ...tab, ip: '203.0.114.5' })).not.toBe(clientFingerprint(tab));
    expect(clientFingerprint({ ...tab, userAgent: 'curl/8' })).not.toBe(clientFingerprint(tab));
    expect(clientFingerprint({ ip: tab.ip })).not.toBe(clientFingerprint(tab));
  });

  it('holds neither the address nor the user agent in plain form', () => {
    const fingerprint = clientFingerprint(tab);

    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).not.toContain('203');
  });
});
