import { domainToASCII } from 'node:url';

/**
 * Characters no address may hold, anywhere (docs/sessions.md: Behaviour in detail, Addresses): control characters (Cc),
 * format characters (Cf: zero-width spaces and joiners, bidi marks, embeddings and overrides, the soft hyphen, the
 * BOM) and separators (Z: every kind of space, line and paragraph separators). Each makes an address that looks
 * like another one, or hides part of itself.
 */
const INVISIBLE_OR_SPACE = /[\p{Cc}\p{Cf}\p{Z}]/u;

/**
 * A quoted local part (`"ada"@example.com`, `"a\da"@example.com`): a transport delivers it to the unquoted address
 * (nodemailer's parser drops the quotes and escapes), so it would be a second account, and a second mail quota, for
 * one mailbox. `"` and `\` appear in no other form of an address.
 */
const QUOTING = /["\\]/;

/** Why `email` (already trimmed) cannot be an address, as the end of a sentence after the field's name; or undefined. */
export function emailCharacterProblem(email: string): string | undefined {
  if (INVISIBLE_OR_SPACE.test(email)) {
    return 'must not contain spaces, control characters or invisible characters';
  }
  return QUOTING.test(email) ? 'must not be quoted (no " or \\ in it)' : undefined;
}

/**
 * The one form an address is stored and compared in, so that every spelling of it reaches the same account:
 * trimmed, in Unicode NFC (a precomposed "ü" and "u" + U+0308 are the same), lower-cased, and its domain in its
 * ASCII form (IDNA, UTS #46, by Node's WHATWG URL implementation: "exämple.com" is "xn--exmple-cua.com"). A domain
 * that has no ASCII form is only lower-cased: such an address is refused at registration anyway.
 */
export function normalizeEmail(email: string): string {
  const address = email.trim().normalize('NFC').toLowerCase().normalize('NFC');
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  return `${address.slice(0, at)}@${domainToASCII(domain) || domain}`;
}
