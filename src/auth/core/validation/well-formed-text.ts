/**
 * A UTF-16 code unit of a surrogate pair standing alone. With the `u` flag a well-formed pair is one code point
 * outside this range, so only a lone surrogate matches (what ES2024's `String.prototype.isWellFormed` tests).
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Whether `text` is well-formed Unicode: no lone surrogate. JSON's `\ud800` escapes can put one in a string; encoded
 * to UTF-8 (to hash, to store) it would silently become U+FFFD, so two different inputs would become the same bytes.
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** The end of a 400 message, after the field's name, for text that is not well-formed. */
export const ILL_FORMED_TEXT = 'must be well-formed Unicode text (it holds a lone surrogate)';
