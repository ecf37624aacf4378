import { isJsonObjectWithUniqueKeys } from './json-unique-keys';

describe('isJsonObjectWithUniqueKeys', () => {
  it.each([
    ['{}', true],
    ['{"a":[1,{"b":null}],"c":"\\"}"}', true],
    [' { "a" : -1.5e3 , "b" : true } ', true],
    ['{"a":1,}', false],
    ['{"a":01}', false],
    ['{"a":1}{"b":2}', false],
    ['{"a":"\u0001"}', false],
    ['{"alg":"HS256","typ":"at+jwt","typ":"JWT"}', false],
    ['{"sub":"u","s\\u0075b":"admin"}', false],
    ['{"n":{"x":1,"x":2}}', false],
    ['["sub"]', false],
    ['sub=admin', false],
  ])('%s: %s', (json, expected) => {
    expect(isJsonObjectWithUniqueKeys(json)).toBe(expected);
  });
});
