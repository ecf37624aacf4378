import { MAX_TOKEN_LENGTH, parseCompactToken, payloadJsonOf } from './compact-token';

const segment = (json: string) => Buffer.from(json).toString('base64url');
const token = (header: string, payload: string, signature = 'c2lnbmF0dXJl') =>
  `${segment(header)}.${segment(payload)}.${signature}`;

const HEADER = '{"alg":"HS256","typ":"at+jwt"}';
const PAYLOAD = '{"sub":"u","roles":["user"]}';

describe('parseCompactToken', () => {
  it('splits a compact JWS of strict base64url and decodes its header, not its payload', () => {
    const parsed = parseCompactToken(token(HEADER, PAYLOAD));

    expect(parsed).toEqual({
      header: { alg: 'HS256', typ: 'at+jwt' },
      headerJson: HEADER,
      payloadSegment: segment(PAYLOAD),
    });
    expect(parsed && payloadJsonOf(parsed)).toBe(PAYLOAD);
  });

  it.each([
    ['two segments', `${segment(HEADER)}.${segment(PAYLOAD)}`],
    ['four segments', `${token(HEADER, PAYLOAD)}.x`],
    ['an empty signature', token(HEADER, PAYLOAD, '')],
    ['base64 padding', `${token(HEADER, PAYLOAD)}=`],
    ['a + in a segment', token(HEADER, PAYLOAD, 'c2ln+mF0dXJl')],
    ['a / in a segment', token(HEADER, PAYLOAD, 'c2ln/mF0dXJl')],
    ['a space', token(HEADER, PAYLOAD, 'c2ln bmF0dXJl')],
    ['a non-ASCII character', token(HEADER, PAYLOAD, 'c2lnbmF0dXJlé')],
    ['a header that is an array', token('["alg"]', PAYLOAD)],
    ['a header that is not JSON', token('alg=HS256', PAYLOAD)],
    ['an oversized token', token(HEADER, `{"pad":"${'x'.repeat(MAX_TOKEN_LENGTH)}"}`)],
  ])('refuses %s', (_case, candidate) => {
    expect(parseCompactToken(candidate)).toBeUndefined();
  });
});
