import { isJsonObjectWithUniqueKeys, isWellFormedToken, MAX_TOKEN_LENGTH } from './token-syntax';

const segment = (json: string) => Buffer.from(json).toString('base64url');
const token = (header: string, payload: string, signature = 'c2lnbmF0dXJl') =>
  `${segment(header)}.${segment(payload)}.${signature}`;

const HEADER = '{"alg":"HS256","typ":"at+jwt"}';
const PAYLOAD = '{"sub":"u","roles":["user"],"aud":"a","n":{"x":1}}';

describe('isWellFormedToken', () => {
  it('accepts a compact JWS of strict base64url with JSON object header and payload', () => {
    expect(isWellFormedToken(token(HEADER, PAYLOAD))).toBe(true);
  });

  it.each([
    ['a duplicate key in the header', token('{"alg":"HS256","typ":"at+jwt","typ":"JWT"}', PAYLOAD)],
    ['a duplicate key in the payload', token(HEADER, '{"sub":"u","sub":"admin"}')],
    ['a duplicate key spelled with an escape', token(HEADER, '{"sub":"u","s\\u0075b":"admin"}')],
    ['a duplicate key in a nested object', token(HEADER, '{"n":{"x":1,"x":2}}')],
    ['two segments', `${segment(HEADER)}.${segment(PAYLOAD)}`],
    ['four segments', `${token(HEADER, PAYLOAD)}.x`],
    ['an empty signature', token(HEADER, PAYLOAD, '')],
    ['base64 padding', `${token(HEADER, PAYLOAD)}=`],
    ['a + in a segment', token(HEADER, PAYLOAD, 'c2ln+mF0dXJl')],
    ['a / in a segment', token(HEADER, PAYLOAD, 'c2ln/mF0dXJl')],
    ['a space', token(HEADER, PAYLOAD, 'c2ln bmF0dXJl')],
    ['a payload that is an array', token(HEADER, '["sub"]')],
    ['a payload that is not JSON', token(HEADER, 'sub=admin')],
    ['trailing data after the payload object', token(HEADER, `${PAYLOAD} {}`)],
    ['an oversized token', token(HEADER, `{"pad":"${'x'.repeat(MAX_TOKEN_LENGTH)}"}`)],
  ])('refuses %s', (_case, candidate) => {
    expect(isWellFormedToken(candidate)).toBe(false);
  });
});

describe('isJsonObjectWithUniqueKeys', () => {
  it.each([
    ['{}', true],
    ['{"a":[1,{"b":null}],"c":"\\"}"}', true],
    [' { "a" : -1.5e3 , "b" : true } ', true],
    ['{"a":1,}', false],
    ['{"a":01}', false],
    ['{"a":1}{"b":2}', false],
    ['{"a":"\u0001"}', false],
  ])('%s: %s', (json, expected) => {
    expect(isJsonObjectWithUniqueKeys(json)).toBe(expected);
  });
});
