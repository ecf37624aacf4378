import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { compare, hash as bcryptHash } from '@node-rs/bcrypt';
import { randomBytes } from 'node:crypto';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../options/auth.options';
import { commonPasswordList } from './common-passwords';
import { normalizePassword, passwordFormatViolation } from './password-policy';

/**
 * Hashing and checking passwords with bcrypt (`$2b$` hashes). `@node-rs/bcrypt` runs each hash on libuv's thread
 * pool, so it never blocks the event loop, and ships prebuilt binaries with no install script for a host to approve.
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash?: Promise<string>;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {}

  /**
   * Made at boot, so that the first login for an unknown email is not slower than the others, and the first
   * registration does not pay for building the common-passwords list.
   */
  async onModuleInit(): Promise<void> {
    commonPasswordList();
    await this.getDummyHash();
  }

  hash(password: string): Promise<string> {
    return bcryptHash(normalizePassword(password), this.options.bcryptRounds);
  }

  /**
   * Whether `password` matches `hash`. With no hash (unknown user) it still pays one comparison against a dummy
   * hash of the same cost, so that response time does not tell which emails are registered. A password outside the
   * policy's format rules never matches: bcrypt would compare only its first 72 bytes, or the part before a NUL.
   * A common password still matches: the list is for choosing a password, not for signing in with an old one.
   */
  async matches(password: string, hash: string | undefined): Promise<boolean> {
    const acceptable = passwordFormatViolation(password) === undefined;
    const candidate = acceptable ? normalizePassword(password) : 'x'.repeat(8);
    const matched = await compare(candidate, hash ?? (await this.getDummyHash()));
    return matched && acceptable && hash !== undefined;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= bcryptHash(randomBytes(16).toString('hex'), this.options.bcryptRounds);
    return this.dummyHash;
  }
}
