import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** A PEM block: its label (`PUBLIC KEY`, `PRIVATE KEY`, ...) and its whole text. */
export interface PemBlock {
  label: string;
  pem: string;
}

/**
 * The PEM blocks of `text`, in order; undefined when `text` holds anything else than blocks and whitespace (a
 * truncated block, a stray line). Literal `\n` sequences count as line breaks: environment variables and JSON often
 * carry a PEM on one line that way, and a PEM never contains a backslash.
 */
export function pemBlocks(text: string): PemBlock[] | undefined {
  const normalized = text.replace(/\\n/g, '\n');
  if (normalized.replace(PEM_BLOCK, '').trim() !== '') return undefined;
  return [...normalized.matchAll(PEM_BLOCK)].map(([pem, label]) => ({ label, pem }));
}

/** An unencrypted private key (PKCS #8, SEC 1 or PKCS #1 PEM), or undefined when `text` is not exactly one. */
export function parsePrivateKey(text: string): KeyObject | undefined {
  const blocks = pemBlocks(text);
  if (blocks?.length !== 1 || !/^(EC |RSA )?PRIVATE KEY$/.test(blocks[0].label)) return undefined;
  try {
    return createPrivateKey({ key: blocks[0].pem, format: 'pem' });
  } catch {
    return undefined;
  }
}

/**
 * A public key (SPKI or PKCS #1 PEM), or undefined when `block` is anything else. A private key is refused here, although
 * Node would derive its public key: public keys are published and shared, and a private key there is a leak waiting.
 */
export function parsePublicKey(block: PemBlock): KeyObject | undefined {
  if (!/^(RSA )?PUBLIC KEY$/.test(block.label)) return undefined;
  try {
    return createPublicKey({ key: block.pem, format: 'pem' });
  } catch {
    return undefined;
  }
}

/** Whether `label` names private key material (so a message can say so instead of "does not parse"). */
export function isPrivateLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY');
}
