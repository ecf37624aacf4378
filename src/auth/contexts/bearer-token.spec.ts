import { ExtractJwt } from 'passport-jwt';
import { bearerTokenOf } from './bearer-token';

describe('bearerTokenOf', () => {
  const passportJwt = ExtractJwt.fromAuthHeaderAsBearerToken();

  it.each([
    'Bearer abc.def.ghi',
    'bearer abc.def.ghi',
    'BEARER   abc.def.ghi',
    '  Bearer abc.def.ghi trailing words',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearerabc.def.ghi',
    'Token Bearer abc',
    '',
  ])('reads %j as passport-jwt does', (authorization) => {
    const request = { headers: { authorization } };

    expect(bearerTokenOf(request.headers)).toBe(passportJwt(request as never));
  });

  it('finds no token without the header, or in a repeated one', () => {
    expect(bearerTokenOf({})).toBeNull();
    expect(bearerTokenOf({ authorization: ['Bearer a', 'Bearer b'] })).toBeNull();
  });
});
