import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthService, USER_STORE, type UserStore } from './auth';
import type { AppConfig } from './config/app-config';

const ADMIN_ROLE = 'admin';

/**
 * Makes sure the user named by ADMIN_EMAIL exists with the role `admin`. An existing user gets the role added;
 * its password is left alone, so a password changed through the API survives restarts.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly auth: AuthService,
    @Inject(USER_STORE) private readonly users: UserStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.get('admin', { infer: true });
    if (!admin) return;
    const existing = await this.users.findByEmail(admin.email.trim().toLowerCase());
    if (!existing) {
      await this.auth.register(admin.email, admin.password, ['user', ADMIN_ROLE]);
      this.logger.log(`Admin user ${admin.email} created`);
    } else if (!existing.roles.includes(ADMIN_ROLE)) {
      await this.users.setRoles(existing.id, [...existing.roles, ADMIN_ROLE]);
      this.logger.log(`Role ${ADMIN_ROLE} granted to ${admin.email}`);
    }
  }
}
