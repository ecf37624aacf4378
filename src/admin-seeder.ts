import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthService, USER_STORE, type UserStore } from './auth';
import { PasswordService } from './auth/settings';
import { normalizeEmail } from './auth/stores';
import type { AppConfig } from './config/app-config';

const ADMIN_ROLE = 'admin';

/** Seeding would have handed the role to an account whose password the operator did not set: production stops. */
export class AdminSeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminSeedRefusedError';
  }
}

/**
 * Makes sure the user named by ADMIN_EMAIL exists with the role `admin`. A new account is created with
 * ADMIN_PASSWORD. An existing account gets the role only when ADMIN_PASSWORD is its password: anyone can register
 * an address before the operator names it, and the role must never go to a password the operator did not set.
 * Otherwise no grant, a warning saying what to do, and in production no start. An account that already has the role
 * is left alone, its password too, so that a password changed through the API survives restarts.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    @Inject(USER_STORE) private readonly users: UserStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.get('admin', { infer: true });
    if (!admin) return;
    const existing = await this.users.findByEmail(normalizeEmail(admin.email));
    if (!existing) {
      await this.auth.register(admin.email, admin.password, ['user', ADMIN_ROLE]);
      this.logger.log(`Admin user ${admin.email} created`);
      return;
    }
    if (existing.roles.includes(ADMIN_ROLE)) return;
    if (!(await this.passwords.matches(admin.password, existing.passwordHash))) {
      this.refuseGrant(existing.email);
      return;
    }
    await this.auth.setRoles(existing.id, [...existing.roles, ADMIN_ROLE]);
    this.logger.log(`Role ${ADMIN_ROLE} granted to ${existing.email}`);
  }

  private refuseGrant(email: string): void {
    const problem =
      `ADMIN_EMAIL names an existing account (${email}) whose password is not ADMIN_PASSWORD, so it was not ` +
      `made ${ADMIN_ROLE}: if the account is yours, set ADMIN_PASSWORD to its password; if not, delete the ` +
      `account or choose another ADMIN_EMAIL`;
    if (this.config.get('nodeEnv', { infer: true }) === 'production') {
      throw new AdminSeedRefusedError(problem);
    }
    this.logger.warn(problem);
  }
}
