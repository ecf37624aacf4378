import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The form a password is looked up in: NFKC (full-width and other compatibility forms become plain letters), then
 * a case fold. JavaScript has no Unicode case folding; upper- then lower-casing comes close to it (it also turns
 * "ß" into "ss"), which is what makes "PASSWORD1", "Password1" and "ｐａｓｓｗｏｒｄ１" the same entry.
 */
export function foldForLookup(password: string): string {
  return password.normalize('NFKC').toUpperCase().toLowerCase();
}

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * The published list of the most commonly used passwords that ships with `@zxcvbn-ts/language-common`
 * (`passwords-common`, 49,233 entries, frequency-ordered, from leaked password corpora), folded as
 * {@link foldForLookup} folds. Built once, on first use (the password service asks at boot), never per request.
 */
export function commonPasswordList(): ReadonlySet<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'].map(sharedFold));
  return commonPasswords;
}

/**
 * The folded form, as the list's own string when folding changes nothing (every entry of today's list): equal
 * strings are equal keys, but a fresh copy of each would double the list's memory (1.4 MB more in every process).
 */
function sharedFold(entry: string): string {
  const folded = foldForLookup(entry);
  return folded === entry ? entry : folded;
}

/** Whether `password`, folded, is on the common-passwords list. */
export function isCommonPassword(password: string): boolean {
  return commonPasswordList().has(foldForLookup(password));
}
