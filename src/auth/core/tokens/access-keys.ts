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

/**
 * The keys of an asymmetric access-token algorithm, as configured: each a PEM text, or a KeyObject parsed already
 * (e.g. by {@link loadAccessKeys} at boot), which is checked but not parsed again.
 */
export interface AccessKeyInputs {
  algorithm: AsymmetricAlgorithm;
  /** PEM private key, or a KeyObject of type `private`. */
  privateKey?: string | KeyObject;
  /** PEM public key, or a KeyObject of type `public`. */
  publicKey?: string | KeyObject;
  /** PEM blocks, concatenated (may be empty), or KeyObjects of type `public`. */
  previousPublicKeys?: string | readonly KeyObject[];
}

/** How each PEM is called where it came from (option names in the module, variables in the reference server). */
export type AccessKeyNames = Record<'privateKey' | 'publicKey' | 'previousPublicKeys', string>;

/** The keys of asymmetric access tokens, parsed and checked. */
export interface AccessKeys {
  algorithm: AsymmetricAlgorithm;
  privateKey: KeyObject;
  /** The current public key, as given: with `privateKey` and `previousPublicKeys`, what the options accept again. */
  publicKey: KeyObject;
  previousPublicKeys: KeyObject[];
  /** RFC 7638 thumbprint of the current public key: the `kid` of every token signed now. */
  kid: string;
  /** Every key that verifies, by `kid`: the current one, then the previous ones. */
  publicKeys: ReadonlyMap<string, KeyObject>;
  jwks: JsonWebKeySet;
}

/**
 * Parses and checks the keys of an asymmetric algorithm: each PEM parses, each key is of the algorithm's type, and
 * the private and public keys are a pair. Each PEM is parsed here once; KeyObjects given are only checked. Never
 * throws: returns the keys, or one line per problem, naming the key by `names` and never quoting it.
 */
export function loadAccessKeys(
  pems: AccessKeyInputs,
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
  else if (typeof pems.privateKey !== 'string') {
    privateKey = givenKey(pems.privateKey, 'private');
    if (privateKey === undefined) problems.push(keyObjectProblem(names.privateKey, 'private'));
  } else {
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
  else if (typeof pems.publicKey !== 'string') {
    publicKey = givenKey(pems.publicKey, 'public');
    if (publicKey === undefined) problems.push(keyObjectProblem(names.publicKey, 'public'));
  } else {
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
  const given = pems.previousPublicKeys ?? '';
  const blocks = typeof given === 'string' ? pemBlocks(given) : given;
  if (blocks === undefined) {
    problems.push(
      `${names.previousPublicKeys} must be PEM public keys, concatenated, and nothing else`,
    );
  }
  (blocks ?? []).forEach((block, index) => {
    const name = `${names.previousPublicKeys} (key ${index + 1})`;
    const key = 'pem' in block ? parsePublicKey(block) : givenKey(block, 'public');
    if (key === undefined) {
      problems.push(
        'pem' in block ? publicKeyProblem(name, block.label) : keyObjectProblem(name, 'public'),
      );
    }
    const checked = typed(name, key);
    if (checked) previous.push(checked);
  });

  if (problems.length > 0 || !privateKey || !publicKey) return { problems };
  return { keys: assemble(algorithm, privateKey, publicKey, previous), problems: [] };
}

/** `key` when it is of `type`: a private key where a public one belongs would be published in the JWKS. */
function givenKey(key: KeyObject, type: 'private' | 'public'): KeyObject | undefined {
  return key.type === type ? key : undefined;
}

function keyObjectProblem(name: string, type: 'private' | 'public'): string {
  return `${name} must be a ${type} key (a KeyObject of type "${type}")`;
}

function assemble(
  algorithm: AsymmetricAlgorithm,
  privateKey: KeyObject,
  publicKey: KeyObject,
  previousPublicKeys: KeyObject[],
): AccessKeys {
  const publicKeys = [publicKey, ...previousPublicKeys];
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
  return {
    algorithm,
    privateKey,
    publicKey,
    previousPublicKeys,
    kid,
    publicKeys: byKid,
    jwks: { keys: jwks },
  };
}

function thumbprint(key: KeyObject): string {
  return jwkThumbprint(key.export({ format: 'jwk' }));
}

function publicKeyProblem(name: string, label: string | undefined): string {
  return label !== undefined && isPrivateLabel(label)
    ? `${name} holds a private key: give the public key only (PEM "PUBLIC KEY")`
    : `${name} is not a PEM public key (SPKI "PUBLIC KEY" or PKCS #1 "RSA PUBLIC KEY")`;
}
