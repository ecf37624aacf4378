import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuthService } from '../../core/auth.service';
import { CLOCK, type Clock } from '../../core/clock/clock';
import { AuthError } from '../../core/errors/auth-error';
import { AuthEvents } from '../../core/events/auth-events';
import { HookRunner } from '../../core/hooks/hook-runner';
import type { AuthUser, ClientInfo, TokenPair } from '../../core/model/auth.types';
import { USER_STORE, type UserRecord, type UserStore } from '../../core/model/user-store.port';
import {
  type AuthRequirement,
  authenticationShortfall,
  RECENT_AUTHENTICATION,
} from '../../core/step-up';
import { PASSKEYS_OPTIONS, type ResolvedPasskeysOptions } from './passkeys.options';
import {
  type PasskeyCeremony,
  type PasskeyChallengeRecord,
  type PasskeyRecord,
  PASSKEY_STORE,
  type PasskeyStore,
} from './passkey-store.port';
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  webauthn,
} from './webauthn';

/** How long a ceremony's challenge lives: the contract's 5 minutes, also the browser's timeout. */
export const PASSKEY_CHALLENGE_LIFETIME_MS = 300_000;
/** Random bytes of a challenge: 256 bits, above WebAuthn's 16-byte minimum (§13.4.3). */
const CHALLENGE_BYTES = 32;
/** The default of `STEP_UP_MAX_AGE` when no feature says how recent an authentication must be. */
const DEFAULT_RECENT_SECONDS = 300;

/** What the routes show of a passkey. Times are ISO 8601. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  deviceType: PasskeyRecord['deviceType'];
}

/** A verified assertion: whose passkey, and the RFC 8176 `amr` values it stands for. */
interface VerifiedAssertion {
  user: UserRecord;
  methods: string[];
  userVerified: boolean;
}

/**
 * Passkeys (CONTRACT 4.16, WebAuthn Level 3 through `@simplewebauthn/server`): registration behind a recent
 * authentication, management, passwordless login with a discoverable credential, and the assertion check that serves
 * as a second factor and for re-authentication. Challenges are single-use by deletion in the store every instance
 * shares; the signature counter must go forward (else "clone suspected").
 */
@Injectable()
export class PasskeysService {
  private readonly recentSeconds: number;

  constructor(
    @Inject(PASSKEYS_OPTIONS) private readonly options: ResolvedPasskeysOptions,
    @Inject(PASSKEY_STORE) private readonly store: PasskeyStore,
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly hooks: HookRunner,
    private readonly events: AuthEvents,
    @Optional() @Inject(RECENT_AUTHENTICATION) recent?: AuthRequirement,
  ) {
    this.recentSeconds = recent?.maxAge ?? DEFAULT_RECENT_SECONDS;
  }

  /**
   * Creation options for a new passkey of the caller: a discoverable credential (resident key required), user
   * verification preferred, `none` attestation, the caller's passkeys excluded.
   * @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` (a stale session).
   */
  async registrationOptions(caller: AuthUser): Promise<PublicKeyCredentialCreationOptionsJSON> {
    this.assertRecent(caller);
    const user = await this.userOf(caller);
    const existing = await this.store.listPasskeys(user.id);
    const options = await webauthn().generateRegistrationOptions({
      rpName: this.options.rpName,
      rpID: this.options.rpId,
      userName: user.email,
      userDisplayName: user.email,
      // The user handle: opaque and stable, no address in it (WebAuthn §14.6.1).
      userID: createHash('sha256').update(user.id).digest(),
      challenge: randomBytes(CHALLENGE_BYTES),
      timeout: PASSKEY_CHALLENGE_LIFETIME_MS,
      attestationType: 'none',
      excludeCredentials: existing.map(descriptorOf),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    await this.saveChallenge(options.challenge, 'registration', user.id);
    return options;
  }

  /**
   * Verifies a registration response and stores the passkey: a factor enrolled, so every other session of the user
   * is revoked and the user told (`mfa.enrolled`).
   * @throws AuthError `PASSKEY_REGISTRATION_FAILED` (400): another origin or RP ID, a spent, expired, unknown or
   * another user's challenge, a malformed response, a passkey registered already.
   */
  async register(caller: AuthUser, response: unknown, name?: string): Promise<PasskeyView> {
    const failed = (reason: string) => new AuthError('PASSKEY_REGISTRATION_FAILED', reason);
    const challenge = await this.takeChallenge(response, 'registration');
    if (challenge?.userId !== caller.id) throw failed('unknown, spent or foreign challenge');
    let verification: Awaited<
      ReturnType<ReturnType<typeof webauthn>['verifyRegistrationResponse']>
    >;
    try {
      verification = await webauthn().verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge: challenge.challenge,
        expectedOrigin: [...this.options.origins],
        expectedRPID: this.options.rpId,
        requireUserVerification: false,
      });
    } catch (error) {
      throw failed(`refused: ${(error as Error).message}`);
    }
    if (!verification.verified) throw failed('not verified');
    const { credential, credentialBackedUp, credentialDeviceType } = verification.registrationInfo;
    const now = this.clock.now();
    const record: PasskeyRecord = {
      id: randomUUID(),
      userId: caller.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name: name ?? 'Passkey',
      backedUp: credentialBackedUp,
      deviceType: credentialDeviceType,
      createdAt: now,
      lastUsedAt: null,
    };
    if (!(await this.store.addPasskey(record))) throw failed('credential registered already');
    await this.auth.logout(caller, 'others');
    this.events.emit({ type: 'mfa.enrolled', userId: caller.id, method: 'passkey' });
    return toView(record);
  }

  async list(caller: AuthUser): Promise<PasskeyView[]> {
    return (await this.store.listPasskeys(caller.id)).map(toView);
  }

  /** @throws AuthError `PASSKEY_NOT_FOUND` for an id that is not one of the caller's passkeys. */
  async rename(caller: AuthUser, id: string, name: string): Promise<PasskeyView> {
    if (!(await this.store.renamePasskey(caller.id, id, name))) {
      throw new AuthError('PASSKEY_NOT_FOUND');
    }
    const passkey = (await this.store.listPasskeys(caller.id)).find((each) => each.id === id);
    if (!passkey) throw new AuthError('PASSKEY_NOT_FOUND');
    return toView(passkey);
  }

  /**
   * Removes one of the caller's passkeys: a factor removed, so every other session is revoked, remembered devices
   * are forgotten and the user told (`mfa.removed`).
   * @throws AuthError `INSUFFICIENT_USER_AUTHENTICATION` (a stale session), `PASSKEY_NOT_FOUND`.
   */
  async remove(caller: AuthUser, id: string): Promise<void> {
    this.assertRecent(caller);
    if (!(await this.store.removePasskey(caller.id, id))) throw new AuthError('PASSKEY_NOT_FOUND');
    await this.auth.logout(caller, 'others');
    await this.hooks.signInsForgotten(caller.id, 'factor_removed');
    this.events.emit({ type: 'mfa.removed', userId: caller.id, method: 'passkey', by: 'user' });
  }

  /**
   * Request options: without `mfaToken`, for a discoverable credential (no account named, nothing told about which
   * exist); with a live one, limited to that sign-in's user's passkeys. User verification `preferred`.
   * @throws AuthError `TOKEN_INVALID` for an `mfaToken` that is not a live sign-in challenge.
   */
  async authenticationOptions(mfaToken?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    let userId: string | null = null;
    if (mfaToken !== undefined) {
      userId = (await this.hooks.challengedUser(mfaToken)) ?? null;
      if (userId === null) throw new AuthError('TOKEN_INVALID', 'mfaToken is no live challenge');
    }
    const allowed = userId === null ? [] : await this.store.listPasskeys(userId);
    const options = await webauthn().generateAuthenticationOptions({
      rpID: this.options.rpId,
      challenge: randomBytes(CHALLENGE_BYTES),
      timeout: PASSKEY_CHALLENGE_LIFETIME_MS,
      userVerification: 'preferred',
      allowCredentials: allowed.map(descriptorOf),
    });
    await this.saveChallenge(options.challenge, 'authentication', userId);
    return options;
  }

  /**
   * Signs in with a passkey alone: `amr` `[hwk|swk, user]` and `acr` `aal2` when the authenticator verified the user,
   * else `[hwk|swk]` and `aal1`. The features' `identityVerified` hooks run as after a password.
   * @throws AuthError `PASSKEY_AUTHENTICATION_FAILED` (401); `ACCOUNT_DISABLED` (403) for a disabled user's valid
   * passkey; what a hook throws.
   */
  async login(response: unknown, client: ClientInfo): Promise<TokenPair> {
    const { user, methods, userVerified } = await this.verifyAssertion(response, client);
    if (user.disabled) throw new AuthError('ACCOUNT_DISABLED');
    await this.hooks.identityVerified(user, { client, methods });
    return this.auth.startSession(user.id, client, {
      methods,
      level: userVerified ? 'aal2' : 'aal1',
    });
  }

  /**
   * An assertion as the second factor of `user` (a login's challenge, re-authentication): the `amr` values it stands
   * for, or false when it does not hold (a failed assertion, another user's passkey).
   */
  async provesFor(
    user: UserRecord,
    response: unknown,
    client: ClientInfo,
  ): Promise<readonly string[] | false> {
    try {
      return (await this.verifyAssertion(response, client, user.id)).methods;
    } catch (error) {
      if (error instanceof AuthError && error.code === 'PASSKEY_AUTHENTICATION_FAILED')
        return false;
      throw error;
    }
  }

  /** How many passkeys the user holds. */
  count(userId: string): Promise<number> {
    return this.store.countPasskeys(userId);
  }

  /** Removes every passkey of the user (an admin's removal of their factors); tells it when there were some. */
  async removeAllOf(userId: string, by: 'admin' | undefined): Promise<void> {
    const removed = await this.store.removeUser(userId);
    if (removed > 0 && by !== undefined) {
      this.events.emit({ type: 'mfa.removed', userId, method: 'passkey', by });
    }
  }

  /**
   * Checks an assertion against its challenge (spent here, whatever follows), the stored credential and the
   * configured origins and RP ID, then moves the signature counter on (WebAuthn Level 3 §6.1.1: a counter that does
   * not go forward, unless both are 0, is refused and told as `passkey.clone_suspected`).
   * @throws AuthError `PASSKEY_AUTHENTICATION_FAILED`.
   */
  private async verifyAssertion(
    response: unknown,
    client: ClientInfo,
    expectedUserId?: string,
  ): Promise<VerifiedAssertion> {
    const failed = (reason: string) => new AuthError('PASSKEY_AUTHENTICATION_FAILED', reason);
    const challenge = await this.takeChallenge(response, 'authentication');
    if (!challenge) throw failed('unknown, spent or expired challenge');
    const credentialId = (response as { id?: unknown }).id;
    const passkey =
      typeof credentialId === 'string' && credentialId.length <= 1400
        ? await this.store.findByCredentialId(credentialId)
        : undefined;
    if (!passkey) throw failed('unknown credential');
    const owner = expectedUserId ?? challenge.userId ?? passkey.userId;
    if (passkey.userId !== owner || (challenge.userId ?? owner) !== owner) {
      throw failed("another user's credential");
    }
    let info: { newCounter: number; userVerified: boolean; credentialBackedUp: boolean };
    try {
      const verification = await webauthn().verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge: challenge.challenge,
        expectedOrigin: [...this.options.origins],
        expectedRPID: this.options.rpId,
        // The counter rule is applied below, where its breach can be told apart.
        credential: {
          id: passkey.credentialId,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: 0,
        },
        requireUserVerification: false,
      });
      if (!verification.verified) throw new Error('signature not verified');
      info = verification.authenticationInfo;
    } catch (error) {
      throw failed(`refused: ${(error as Error).message}`);
    }
    const { newCounter } = info;
    if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
      this.events.emit({
        type: 'passkey.clone_suspected',
        userId: passkey.userId,
        passkeyId: passkey.id,
        ...client,
      });
      throw failed('signature counter did not go forward');
    }
    const used = {
      counter: newCounter,
      backedUp: info.credentialBackedUp,
      usedAt: this.clock.now(),
    };
    if (!(await this.store.recordUse(passkey.id, passkey.counter, used))) {
      throw failed('signature counter moved meanwhile');
    }
    const user = await this.users.findById(passkey.userId);
    if (!user) throw failed('its user is gone');
    const kind = passkey.deviceType === 'multiDevice' ? 'swk' : 'hwk';
    return {
      user,
      methods: info.userVerified ? [kind, 'user'] : [kind],
      userVerified: info.userVerified,
    };
  }

  private async saveChallenge(
    challenge: string,
    ceremony: PasskeyCeremony,
    userId: string | null,
  ): Promise<void> {
    const expiresAt = this.clock.now() + PASSKEY_CHALLENGE_LIFETIME_MS;
    await this.store.saveChallenge({ challenge, ceremony, userId, expiresAt });
  }

  /**
   * Spends the challenge a response answers (read from its `clientDataJSON`), when it is live and of `ceremony`;
   * undefined otherwise (a malformed response included).
   */
  private async takeChallenge(
    response: unknown,
    ceremony: PasskeyCeremony,
  ): Promise<PasskeyChallengeRecord | undefined> {
    const challenge = challengeOf(response);
    if (challenge === undefined) return undefined;
    const record = await this.store.takeChallenge(challenge, this.clock.now());
    return record?.ceremony === ceremony ? record : undefined;
  }

  private assertRecent(caller: AuthUser): void {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const shortfall = authenticationShortfall(caller, { maxAge: this.recentSeconds }, nowSeconds);
    if (shortfall) throw shortfall;
  }

  private async userOf(caller: AuthUser): Promise<UserRecord> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new AuthError('TOKEN_INVALID', 'its user is gone');
    return user;
  }
}

/** The challenge a WebAuthn response's `clientDataJSON` names, when it is well formed; else undefined. */
function challengeOf(response: unknown): string | undefined {
  const clientDataJSON = (response as { response?: { clientDataJSON?: unknown } } | null)?.response
    ?.clientDataJSON;
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return undefined;
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    const { challenge } = clientData;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{22,64}$/.test(challenge)
      ? challenge
      : undefined;
  } catch {
    return undefined;
  }
}

/** A passkey as options name it (`PublicKeyCredentialDescriptor`): its ID and the transports it told (hints). */
function descriptorOf(passkey: PasskeyRecord): { id: string; transports: string[] } {
  return { id: passkey.credentialId, transports: passkey.transports };
}

function toView(passkey: PasskeyRecord): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: new Date(passkey.createdAt).toISOString(),
    lastUsedAt: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
    backedUp: passkey.backedUp,
    deviceType: passkey.deviceType,
  };
}
