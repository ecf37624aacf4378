/**
 * `@simplewebauthn/server` behind one seam, loaded on first use, not with the package's entry: a host that does not
 * register passkeys pays nothing for it, and one whose test runner chokes on a dependency's ESM files (a Nest 11
 * CommonJS host's stock Jest) is not broken by merely importing the module. The library ships CommonJS (`require`
 * resolves to its `script/` build), so `require` is the way in.
 */
type SimpleWebAuthn = typeof import('@simplewebauthn/server');
let loaded: SimpleWebAuthn | undefined;

/** The library, loaded once. */
export function webauthn(): SimpleWebAuthn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@simplewebauthn/server') as SimpleWebAuthn;
  return loaded;
}

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
