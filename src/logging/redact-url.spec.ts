import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('leaves a URL without a query alone', () => {
    expect(redactUrl('/auth/login')).toBe('/auth/login');
    expect(redactUrl('/auth/login?')).toBe('/auth/login');
  });

  it.each(['access_token', 'refresh_token', 'token', 'password', 'code'])(
    'redacts the value of %s',
    (name) => {
      expect(redactUrl(`/protected?${name}=s3cret`)).toBe(`/protected?${name}=[redacted]`);
    },
  );

  it.each([
    ['another case', '/p?ACCESS_TOKEN=s3cret', '/p?access_token=[redacted]'],
    ['a percent-encoded name', '/p?%61ccess_token=s3cret', '/p?access_token=[redacted]'],
    ['a fully encoded name', '/p?%70%61%73%73%77%6F%72%64=s3cret', '/p?password=[redacted]'],
    ['repeated keys', '/p?token=a1&token=s3cret', '/p?token=[redacted]&token=[redacted]'],
    [
      'a semicolon separator',
      '/p?scope=local;password=s3cret',
      '/p?scope=local&password=[redacted]',
    ],
    ['a malformed escape in the name', '/p?%E0%A4%Apassword=s3cret', '/p?[redacted]'],
    ['a double-encoded name', '/p?%2561ccess_token=s3cret', '/p?[redacted]'],
    ['an unknown parameter, name included', '/p?hunter2=s3cret', '/p?[redacted]'],
    ['a bare value as a name', '/p?eyJhbGciOiJIUzI1NiJ9.e30.sig', '/p?[redacted]'],
  ])('redacts %s', (_case, url, logged) => {
    expect(redactUrl(url)).toBe(logged);
    expect(redactUrl(url)).not.toContain('s3cret');
  });

  it('shows the values of the server own harmless parameters, and only in their expected shape', () => {
    expect(redactUrl('/auth/logout?scope=global')).toBe('/auth/logout?scope=global');
    expect(redactUrl('/x?limit=20')).toBe('/x?limit=20');
    expect(redactUrl('/auth/logout?scope=s3cret')).toBe('/auth/logout?scope=[redacted]');
  });
});
