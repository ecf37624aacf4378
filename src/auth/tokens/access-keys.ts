import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { jwkThumbprint } from './jwk-thumbprint';
import { type AsymmetricAlgorithm, keyTypeProblem } from './jwt-algorithm';
import { isPrivateLabel, parsePrivateKey, parsePublicKey, pemBlocks } from './pem-keys';

/** A public key as published in the JWKS: the key's own members plus how to use it (RFC 7517 §4). */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  use: 'sig';
}

/** What `GET /.well-known/jwks.json` answers (RFC 7517 §5). */
export interface JsonWebKeySet {
  keys: PublicJwk[];
}

/** The PEM texts of an asymmetric access-token algorithm, as configured. */
export interface AccessKeyPems {
  algorithm: AsymmetricAlgorithm;
  privateKey?: string;
  publicKey?: string;
  /** PEM blocks, concatenated; may be empty. */
  previousPublicKeys?: string;
}

/** How each PEM is called where it came from (option names in the module, variables in the reference server). */
export type AccessKeyNames = Record<'privateKey' | 'publicKey' | 'previousPublicKeys', string>;

/** The keys of asymmetric access tokens, parsed and checked. */
export interface AccessKeys {
  algorithm: AsymmetricAlgorithm;
  privateKey: KeyObject;
  /** RFC 7638 thumbprint of the current public key: the `kid` of every token signed now. */
  kid: string;
  /** Every key that verifies, by `kid`: the current one, then the previous ones. */
  publicKeys: ReadonlyMap<string, KeyObject>;
  jwks: JsonWebKeySet;
}

/**
 * Parses and checks the keys of an asymmetric algorithm: each PEM parses, each key is of the algorithm's type, and
 * the private and public keys are a pair. Returns the keys, or one line per problem, naming the PEM by `names` and
 * never quoting it.
 */
export function loadAccessKeys(
  pems: AccessKeyPems,
  names: AccessKeyNames,
): { keys: AccessKeys; problems: [] } | { keys?: undefined; problems: string[] } {
  const { algorithm } = pems;
  const problems: string[] = [];
  const typed = (name: string, key: KeyObject | undefined): KeyObject | undefined => {
    const problem = key && keyTypeProblem(algorithm, key);
    if (problem !== undefined) problems.push(`${name} ${problem}`);
    return problem === undefined ? key : undefined;
  };

  let privateKey: KeyObject | undefined;
  if (pems.privateKey === undefined)
    problems.push(`${names.privateKey} is required with ${algorithm}`);
  else {
    privateKey = parsePrivateKey(pems.privateKey);
    if (privateKey === undefined) {
      problems.push(
        `${names.privateKey} is not a PEM private key (unencrypted PKCS #8, SEC 1 or PKCS #1)`,
      );
    }
  }
  privateKey = typed(names.privateKey, privateKey);

  let publicKey: KeyObject | undefined;
  if (pems.publicKey === undefined)
    problems.push(`${names.publicKey} is required with ${algorithm}`);
  else {
    const blocks = pemBlocks(pems.publicKey);
    publicKey = blocks?.length === 1 ? parsePublicKey(blocks[0]) : undefined;
    if (publicKey === undefined)
      problems.push(publicKeyProblem(names.publicKey, blocks?.[0]?.label));
  }
  publicKey = typed(names.publicKey, publicKey);

  if (
    privateKey &&
    publicKey &&
    thumbprint(createPublicKey(privateKey)) !== thumbprint(publicKey)
  ) {
    problems.push(`${names.privateKey} and ${names.publicKey} are not a key pair`);
  }

  const previous: KeyObject[] = [];
  const blocks = pemBlocks(pems.previousPublicKeys ?? '');
  if (blocks === undefined) {
    problems.push(
      `${names.previousPublicKeys} must be PEM public keys, concatenated, and nothing else`,
    );
  }
  (blocks ?? []).forEach((block, index) => {
    const name = `${names.previousPublicKeys} (key ${index + 1})`;
    const key = parsePublicKey(block);
    if (key === undefined) problems.push(publicKeyProblem(name, block.label));
    const checked = typed(name, key);
    if (checked) previous.push(checked);
  });

  if (problems.length > 0 || !privateKey || !publicKey) return { problems };
  return { keys: assemble(algorithm, privateKey, [publicKey, ...previous]), problems: [] };
}

function assemble(
  algorithm: AsymmetricAlgorithm,
  privateKey: KeyObject,
  publicKeys: KeyObject[],
): AccessKeys {
  const byKid = new Map<string, KeyObject>();
  const jwks: PublicJwk[] = [];
  for (const key of publicKeys) {
    const jwk = key.export({ format: 'jwk' });
    const kid = jwkThumbprint(jwk);
    // The current key listed again among the previous ones, or a key listed twice, is published once.
    if (byKid.has(kid)) continue;
    byKid.set(kid, key);
    jwks.push({ ...jwk, kid, alg: algorithm, use: 'sig' });
  }
  const [kid] = byKid.keys();
  return { algorithm, privateKey, kid, publicKeys: byKid, jwks: { keys: jwks } };
}

function thumbprint(key: KeyObject): string {
  return jwkThumbprint(key.export({ format: 'jwk' }));
}

function publicKeyProblem(name: string, label: string | undefined): string {
  return label !== undefined && isPrivateLabel(label)
    ? `${name} holds a private key: give the public key only (PEM "PUBLIC KEY")`
    : `${name} is not a PEM public key (SPKI "PUBLIC KEY" or PKCS #1 "RSA PUBLIC KEY")`;
}
