import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { compare, hash as bcryptHash } from '@node-rs/bcrypt';
import { randomBytes } from 'node:crypto';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../options/auth.options';
import { commonPasswordList } from './common-passwords';
import { HashingSlots } from './hashing-slots';
import {
  BCRYPT_MAX_INPUT_BYTES,
  innerBcryptHash,
  isPrehashedBcrypt,
  PREHASHED_BCRYPT_PREFIX,
  prehashPassword,
} from './password-hash-format';
import { normalizePassword, passwordFormatViolation } from './password-policy';

/** What is compared in place of a password that cannot match: the comparison is paid all the same. */
const STAND_IN = 'x'.repeat(8);

/**
 * Hashing and checking passwords: bcrypt of a pre-hash (`$bcrypt-sha256$v1$2b$…`, see `password-hash-format.ts`),
 * so that every character of a long password in any script counts. Plain bcrypt hashes (`$2b$…`, stored before
 * the pre-hash) still verify, and {@link needsRehash} tells the login to replace them. `@node-rs/bcrypt` runs each
 * hash on libuv's thread pool, so it never blocks the event loop, and ships prebuilt binaries with no install
 * script for a host to approve. At most one hash per core runs at once (HashingSlots): the rest queue.
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash?: Promise<string>;
  /** One hash per core at once: a login storm queues logins, not every other request (see HashingSlots). */
  private readonly slots = new HashingSlots();

  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {}

  /**
   * Made at boot, so that the first login for an unknown email is not slower than the others, and the first
   * registration does not pay for building the common-passwords list.
   */
  async onModuleInit(): Promise<void> {
    commonPasswordList();
    await this.getDummyHash();
  }

  /** The stored form of `password` (NFKC-normalized first), in the current scheme, at the configured cost. */
  async hash(password: string): Promise<string> {
    const prehashed = prehashPassword(normalizePassword(password));
    const inner = await this.slots.run(() => bcryptHash(prehashed, this.options.bcryptRounds));
    return `${PREHASHED_BCRYPT_PREFIX}${inner}`;
  }

  /**
   * Whether `password` matches `hash` (of either scheme). With no hash (unknown user) it still pays one comparison
   * against a dummy hash of the same cost, so that response time does not tell which emails are registered. A
   * password outside the policy's format rules never matches, and neither does one over 72 bytes against a plain
   * bcrypt hash (bcrypt would compare its first 72 bytes only; no such password could have been set then).
   * A common password still matches: the list is for choosing a password, not for signing in with an old one.
   */
  async matches(password: string, hash: string | undefined): Promise<boolean> {
    const acceptable = passwordFormatViolation(password) === undefined;
    const normalized = acceptable ? normalizePassword(password) : STAND_IN;
    const stored = hash ?? (await this.getDummyHash());
    if (isPrehashedBcrypt(stored)) {
      const prehashed = prehashPassword(normalized);
      const matched = await this.slots.run(() => compare(prehashed, innerBcryptHash(stored)));
      return matched && acceptable && hash !== undefined;
    }
    const fits = Buffer.byteLength(normalized, 'utf8') <= BCRYPT_MAX_INPUT_BYTES;
    const matched = await this.slots.run(() => compare(fits ? normalized : STAND_IN, stored));
    return matched && acceptable && fits && hash !== undefined;
  }

  /**
   * Whether `hash` is of an older scheme (plain bcrypt): after a successful check of the password, store
   * {@link hash} of it instead. The cost is not compared: raising `bcryptRounds` does not rehash by itself.
   */
  needsRehash(hash: string): boolean {
    return !isPrehashedBcrypt(hash);
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}
