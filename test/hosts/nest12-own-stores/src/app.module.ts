import { Injectable, Module } from '@nestjs/common';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  accountMail,
  administration,
  AuthModule,
  jwks,
  type PublicUser,
  throttling,
} from 'nest-session-auth';
import type { Mailer, OutgoingMail } from 'nest-session-auth/account-mail';
import type { AuthHooks } from 'nest-session-auth/feature-kit';
import { InMemorySessionStore, InMemoryUserStore } from 'nest-session-auth/testing';

/** What `POST /auth/register` accepts under `profile` (validated by the module with the host's class). */
export class SignUpProfile {
  @IsOptional()
  @IsString()
  @Length(1, 40)
  displayName?: string;
}

/**
 * The host's hooks: a claim in every access token, a field of the public user kept from the registration profile
 * (in a map here; a host keeps it in its own table).
 */
@Injectable()
export class HostHooks implements AuthHooks {
  private readonly displayNames = new Map<string, string>();

  userRegistered(user: PublicUser, profile?: object): void {
    const name = (profile as SignUpProfile | undefined)?.displayName;
    if (name !== undefined) this.displayNames.set(user.id, name);
  }

  accessTokenClaims(): object {
    return { tenant: 'acme' };
  }

  publicUserFields(user: { id: string }): object {
    return { displayName: this.displayNames.get(user.id) ?? null };
  }
}

/**
 * The host's own mail transport (a provider's API, a queue): here it keeps each mail, so the test can read the link.
 * With a `mailer`, account mail needs no nodemailer.
 */
export class HostMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];

  send(mail: OutgoingMail): Promise<void> {
    this.sent.push(mail);
    return Promise.resolve();
  }
}

export const mailer = new HostMailer();

/** A setting the app cannot start without, from the environment. */
function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment`);
  return value;
}

/**
 * A host whose users and sessions live in stores of its own (the package's in-memory ones stand in for the host's
 * here), with no TypeORM, no Redis client and no nodemailer installed: `typeorm: false` registers no built-in store
 * (the stores come from `useFactory`),
 * and account mail hands its mail to the host's transport.
 */
@Module({
  imports: [
    AuthModule.forRootAsync({
      typeorm: false,
      hooks: [HostHooks],
      registrationProfile: SignUpProfile,
      features: [
        throttling(),
        accountMail({ mailer, mailWorker: { pollInterval: 50 } }),
        administration(),
        jwks(),
      ],
      useFactory: () => ({
        jwtSecret: setting('JWT_SECRET'),
        jwtRefreshSecret: setting('JWT_REFRESH_SECRET'),
        userStore: new InMemoryUserStore(),
        sessionStore: new InMemorySessionStore(),
      }),
    }),
  ],
  providers: [HostHooks],
})
export class AppModule {}
