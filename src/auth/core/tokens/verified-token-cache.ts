import type { Clock } from '../clock/clock';

/** Room for this many tokens: under 1 kB each (the token and its claims), so a few MB at most. */
export const VERIFIED_TOKEN_CACHE_CAPACITY = 10_000;

/**
 * The claims of tokens already verified, keyed by the whole token: the same bytes verify the same way for as long
 * as the keys are the same, and they are fixed for the life of the process. A client presents its access token on
 * every request until it expires; this spares all but the first of those the syntax scan, the signature check and
 * the claims' checks, which are most of the guard's cost.
 *
 * Only what cannot change is remembered: from its token's `exp` on, an entry is dropped and the token verified
 * again (and refused). Revocation, which can change at any moment, is the caller's to check on every use. Bounded:
 * past `capacity` the oldest entry makes room (a token seen again is simply verified again). Every request of a
 * token shares its claims object: callers copy what they hand out.
 *
 * The token itself is the key, not a SHA-256 digest of it: the digest cost more than the rest of the guard. A
 * lookup leaks no timing about stored tokens: the map compares a presented token's characters with a stored one's
 * only when their hashes (seeded per process, never exposed) are equal, which a forger cannot aim at.
 */
export class VerifiedTokenCache<Claims extends { exp: number }> {
  private readonly entries = new Map<string, Claims>();

  constructor(
    private readonly clock: Clock,
    /** At least 1. */
    private readonly capacity = VERIFIED_TOKEN_CACHE_CAPACITY,
  ) {}

  /** `verify(token)`, or what it returned for the same token before, while that token has not expired. */
  claimsOf(token: string, verify: (token: string) => Claims): Claims {
    const cached = this.entries.get(token);
    if (cached !== undefined) {
      if (this.clock.now() < cached.exp * 1000) return cached;
      this.entries.delete(token);
    }
    const claims = verify(token);
    this.remember(token, claims);
    return claims;
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(token: string, claims: Claims): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }
}
