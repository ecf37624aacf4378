import { loadOptional } from '../../core/optional-package';

/**
 * `@simplewebauthn/server` behind one seam, loaded on first use, not with the package's entry: a host that does not
 * register passkeys pays nothing for it, and one whose test runner chokes on a dependency's ESM files (a Nest 11
 * CommonJS host's stock Jest) is not broken by merely importing the module. The library ships CommonJS (`require`
 * resolves to its `script/` build), so `require` is the way in.
 */
type SimpleWebAuthn = typeof import('@simplewebauthn/server');
let loaded: SimpleWebAuthn | undefined;

const PACKAGE = '@simplewebauthn/server';
const PURPOSE = 'the passkeys feature (it needs Node.js 22 or later)';

/**
 * The library, loaded once.
 * @throws MissingPeerError, one line saying what to install, when the optional peer is not installed.
 */
export function webauthn(): SimpleWebAuthn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= loadOptional(() => require(PACKAGE) as SimpleWebAuthn, [PACKAGE], PURPOSE);
  return loaded;
}

/**
 * Refuses at registration a passkeys feature whose library is not installed (an optional peer of the package: hosts
 * without passkeys install none of it), resolving it without loading it.
 * @throws MissingPeerError naming the package to install.
 */
export function assertWebAuthnInstalled(): void {
  loadOptional(() => require.resolve(PACKAGE), [PACKAGE], PURPOSE);
}

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
