import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/** A credential the authenticator holds: an ES256 key pair made here, its ID, RP ID and counter. */
export interface SoftwareCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

/** What a test may change of a ceremony: where the browser says it runs, the RP ID hashed, the counter signed. */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  /** The signature counter sent (default: the stored one plus one). */
  counter?: number;
  /** Sign with this credential, whatever the options allow. */
  credential?: SoftwareCredential;
  /** The user-verification flag (default: the authenticator's). */
  userVerified?: boolean;
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/**
 * A WebAuthn authenticator in software for the e2e suites (CONTRACT 4.16): ES256 keys from node:crypto, `none`
 * attestation, CBOR by the library @simplewebauthn/server itself depends on, the browser's part (clientDataJSON)
 * done here too. Its answers are the JSON a browser with `@simplewebauthn/browser` posts.
 */
export class SoftwareAuthenticator {
  readonly credentials: SoftwareCredential[] = [];
  // Plain fields, no parameter properties: `npm run bench` imports this file with Node's type stripping.
  private readonly origin: string;
  private readonly options: { userVerified?: boolean; synced?: boolean };

  constructor(origin: string, options: { userVerified?: boolean; synced?: boolean } = {}) {
    this.origin = origin;
    this.options = options;
  }

  /** `navigator.credentials.create()` with the server's creation options. */
  create(options: CreationOptions, overrides: CeremonyOverrides = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = encodeCBOR(
      new Map<number, CBORType>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(String(jwk.x), 'base64url')],
        [-3, Buffer.from(String(jwk.y), 'base64url')],
      ]),
    );
    const id = randomBytes(16);
    const rpId = overrides.rpId ?? options.rp.id;
    const credential = { id, privateKey, rpId, userHandle: options.user.id, counter: 0 };
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none
      Buffer.from([id.length >> 8, id.length & 0xff]),
      id,
      coseKey,
    ]);
    const authData = this.authData(rpId, 0x40, 0, overrides.userVerified, attested);
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, overrides),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** `navigator.credentials.get()` with the server's request options: the allowed credential, or the last made. */
  get(options: RequestOptions, overrides: CeremonyOverrides = {}) {
    const allowed = new Set((options.allowCredentials ?? []).map(({ id }) => id));
    const credential =
      overrides.credential ??
      [...this.credentials]
        .reverse()
        .find((each) => allowed.size === 0 || allowed.has(b64url(each.id)));
    if (!credential) throw new Error('no credential for these options');
    credential.counter = overrides.counter ?? credential.counter + 1;
    const authData = this.authData(
      overrides.rpId ?? options.rpId ?? credential.rpId,
      0,
      credential.counter,
      overrides.userVerified,
    );
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, overrides);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]),
      credential.privateKey,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    };
  }

  /** WebAuthn §6.1: rpIdHash, flags (UP, UV, BE/BS when synced, plus `extraFlags`), signCount, then `attested`. */
  private authData(
    rpId: string,
    extraFlags: number,
    counter: number,
    userVerified = this.options.userVerified ?? true,
    attested: Buffer = Buffer.alloc(0),
  ): Buffer {
    const flags =
      0x01 | (userVerified ? 0x04 : 0) | (this.options.synced ? 0x08 | 0x10 : 0) | extraFlags;
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), signCount, attested]);
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): string {
    const origin = overrides.origin ?? this.origin;
    return b64url(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}

/** The parts of `PublicKeyCredentialCreationOptionsJSON` the authenticator reads. */
export interface CreationOptions {
  challenge: string;
  rp: { id: string };
  user: { id: string };
}

/** The parts of `PublicKeyCredentialRequestOptionsJSON` the authenticator reads. */
export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}
