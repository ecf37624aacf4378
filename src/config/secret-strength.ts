/**
 * The rule production applies to a token secret beyond its length (docs/configuration.md: Configuration). Two checks,
 * both cheap and predictable:
 * - its estimated entropy, its length times the Shannon entropy of its characters' frequencies, is at least
 *   {@link MIN_SECRET_ENTROPY_BITS}. One repeated character is 0 bits; 32 random hex characters
 *   (`openssl rand -hex 16`) are about 120, 44 random base64 characters about 220.
 * - it is not a shorter block repeated (`changeme-changeme-change…`, `abcdefgh` four times): the estimate above
 *   reads characters one by one and would not see that.
 * The estimate cannot tell a random secret from a guessable sentence: it refuses what is surely weak, no more.
 */
export const MIN_SECRET_ENTROPY_BITS = 80;

/** Why `secret` is too guessable, as the end of a sentence that starts with its variable's name, or undefined. */
export function secretWeakness(secret: string): string | undefined {
  const characters = [...secret];
  const bits = estimatedEntropyBits(characters);
  if (bits < MIN_SECRET_ENTROPY_BITS) {
    return (
      `has too little entropy (about ${Math.floor(bits)} bits, at least ${MIN_SECRET_ENTROPY_BITS} needed): ` +
      'use a random value such as the output of `openssl rand -base64 48`'
    );
  }
  if (repeatsABlock(characters)) {
    return 'is one short block repeated: use a random value such as the output of `openssl rand -base64 48`';
  }
  return undefined;
}

/** Length times the Shannon entropy (bits per character) of the characters' frequencies in the string itself. */
export function estimatedEntropyBits(characters: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bitsPerCharacter = 0;
  for (const count of counts.values()) {
    const p = count / characters.length;
    bitsPerCharacter -= p * Math.log2(p);
  }
  return bitsPerCharacter * characters.length;
}

/** Whether the string is a block of at most half its length repeated (the last repetition may be cut short). */
function repeatsABlock(characters: readonly string[]): boolean {
  for (let period = 1; period <= characters.length / 2; period += 1) {
    let repeats = true;
    for (let i = period; i < characters.length && repeats; i += 1) {
      repeats = characters[i] === characters[i - period];
    }
    if (repeats) return true;
  }
  return false;
}
