import {
  base32Decode,
  base32Encode,
  hotp,
  matchingStep,
  newTotpSecret,
  otpauthUrl,
  totpAt,
  totpStep,
} from './totp';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('HOTP (RFC 4226 Appendix D)', () => {
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];

  it.each(expected.map((code, counter) => [counter, code]))(
    'counter %i gives %s',
    (counter, code) => {
      expect(hotp(RFC_SECRET, counter)).toBe(code);
    },
  );
});

describe('TOTP (RFC 6238 Appendix B, SHA-1, 8 digits)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i s gives %s', (time, code) => {
    expect(totpAt(RFC_SECRET, totpStep(time), 8)).toBe(code);
  });
});

describe('matchingStep', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_015;
  const step = totpStep(now);

  it('finds the current step, and one step either side (clock drift)', () => {
    expect(matchingStep(secret, totpAt(secret, step), now)).toBe(step);
    expect(matchingStep(secret, totpAt(secret, step - 1), now)).toBe(step - 1);
    expect(matchingStep(secret, totpAt(secret, step + 1), now)).toBe(step + 1);
  });

  it('refuses a code two steps away, and anything that is not six digits', () => {
    expect(matchingStep(secret, totpAt(secret, step - 2), now)).toBeUndefined();
    expect(matchingStep(secret, totpAt(secret, step + 2), now)).toBeUndefined();
    expect(matchingStep(secret, '12345', now)).toBeUndefined();
    expect(matchingStep(secret, '１２３４５６', now)).toBeUndefined();
  });
});

describe('secrets', () => {
  it('are 160 bits, and survive base32 both ways', () => {
    const secret = newTotpSecret();
    expect(secret).toHaveLength(20);
    expect(base32Encode(secret)).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(base32Encode(secret))).toEqual(secret);
  });

  it('encode as RFC 4648 says', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw6ytboi======')).toEqual(Buffer.from('foobar'));
    expect(() => base32Decode('not base32!')).toThrow('Not base32');
  });

  it('go to an authenticator app as an otpauth URI', () => {
    const url = new URL(otpauthUrl(RFC_SECRET, 'ada@example.com', 'nest-auth'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.pathname).toBe('/nest-auth:ada%40example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      secret: base32Encode(RFC_SECRET),
      // SHA-1, 6 digits and 30 s are the Key Uri Format's defaults: otplib leaves them out, every app assumes them.
      issuer: 'nest-auth',
    });
  });
});
