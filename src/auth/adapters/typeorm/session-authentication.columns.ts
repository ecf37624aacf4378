import type { AuthLevel } from '../../core/model/auth.types';
import type { SessionRecord } from '../../core/model/session-store.port';

type Authentication = Pick<SessionRecord, 'authTime' | 'amr' | 'acr'>;

/** A session's authentication as its columns hold it: `amr` joined by spaces (RFC 8176 values have none). */
export function authenticationColumns(authentication: Authentication): {
  authTime: number;
  amr: string;
  acr: string;
} {
  return {
    authTime: authentication.authTime,
    amr: authentication.amr.join(' '),
    acr: authentication.acr,
  };
}

/** The columns read back; a row from before they existed is its login by password (migration 1765400000000). */
export function authenticationOf(
  createdAt: number,
  authTime: number | null,
  amr: string | null,
  acr: string | null,
): Authentication {
  return {
    authTime: authTime ?? createdAt,
    amr: amr === null || amr === '' ? ['pwd'] : amr.split(' '),
    acr: acr === 'aal2' ? 'aal2' : ('aal1' satisfies AuthLevel),
  };
}
