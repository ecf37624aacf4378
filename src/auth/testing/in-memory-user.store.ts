import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  EmailTakenError,
  type KeepActiveHolder,
  LastActiveHolderError,
  type NewUser,
  normalizeEmail,
  type UserListQuery,
  type UserRecord,
  type UserStore,
} from '../core/model/user-store.port';
import { io } from './io';

/**
 * A user store in process, for tests (of a host app, or of the module with no database): users in a Map. It honours the port: emails are kept normalized (trimmed,
 * lower-cased), a taken email throws {@link EmailTakenError}, ids are random UUIDs. Records are copied in and out,
 * so no caller can change a stored user behind the store's back. Each call answers on a later turn of the event
 * loop, as a store doing I/O does.
 */
@Injectable()
export class InMemoryUserStore implements UserStore {
  private readonly users = new Map<string, UserRecord>();
  /** Normalized email -> id: the "unique index". */
  private readonly idsByEmail = new Map<string, string>();

  findByEmail(email: string): Promise<UserRecord | null> {
    return io(() => this.get(this.idsByEmail.get(normalizeEmail(email))));
  }

  findById(id: string): Promise<UserRecord | null> {
    return io(() => this.get(id));
  }

  create(user: NewUser): Promise<UserRecord> {
    return io(() => {
      const email = normalizeEmail(user.email);
      // Checked and claimed in one synchronous step: of two racing registrations, exactly one gets the email.
      if (this.idsByEmail.has(email)) throw new EmailTakenError();
      const record = copy({
        ...user,
        id: this.newId(),
        email,
        emailVerified: user.emailVerified ?? false,
        disabled: false,
      });
      this.idsByEmail.set(email, record.id);
      this.users.set(record.id, record);
      return copy(record);
    });
  }

  updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    return io(() => {
      const user = this.users.get(id);
      if (user) user.passwordHash = passwordHash;
    });
  }

  setRoles(id: string, roles: string[], keep?: KeepActiveHolder): Promise<void> {
    return io(() => {
      const user = this.users.get(id);
      // Checked and written in one synchronous step, as create() claims an email.
      if (keep && !roles.includes(keep.role)) this.assertAnotherHolder(id, keep);
      if (user) user.roles = [...roles];
    });
  }

  bumpCredentialEpoch(id: string): Promise<void> {
    return io(() => {
      const user = this.users.get(id);
      if (user) user.credentialEpoch = (user.credentialEpoch ?? 0) + 1;
    });
  }

  setDisabled(id: string, disabled: boolean, keep?: KeepActiveHolder): Promise<void> {
    return io(() => {
      if (keep && disabled) this.assertAnotherHolder(id, keep);
      const user = this.users.get(id);
      if (user) user.disabled = disabled;
    });
  }

  delete(id: string): Promise<boolean> {
    return io(() => {
      const user = this.users.get(id);
      if (!user) return false;
      this.users.delete(id);
      this.idsByEmail.delete(user.email);
      return true;
    });
  }

  list({ limit, after, emailPrefix }: UserListQuery): Promise<UserRecord[]> {
    return io(() =>
      [...this.users.values()]
        .filter((user) => emailPrefix === undefined || user.email.startsWith(emailPrefix))
        .filter((user) => after === undefined || newestFirst(user, after) > 0)
        .sort(newestFirst)
        .slice(0, limit)
        .map(copy),
    );
  }

  markEmailVerified(id: string): Promise<void> {
    return io(() => {
      const user = this.users.get(id);
      if (user) user.emailVerified = true;
    });
  }

  updateEmail(id: string, email: string): Promise<void> {
    return io(() => {
      const user = this.users.get(id);
      if (!user) return;
      const normalized = normalizeEmail(email);
      const holder = this.idsByEmail.get(normalized);
      if (holder !== undefined && holder !== id) throw new EmailTakenError();
      this.idsByEmail.delete(user.email);
      this.idsByEmail.set(normalized, id);
      user.email = normalized;
      user.emailVerified = true;
    });
  }

  /** The id of a new user; a subclass may make others (a host's ids need not be UUIDs). */
  protected newId(): string {
    return randomUUID();
  }

  private assertAnotherHolder(id: string, { role }: KeepActiveHolder): void {
    const holders = [...this.users.values()].filter(
      (user) => user.disabled !== true && user.roles.includes(role),
    );
    if (holders.some((user) => user.id === id) && holders.length < 2) {
      throw new LastActiveHolderError(role);
    }
  }

  private get(id: string | undefined): UserRecord | null {
    const user = id === undefined ? undefined : this.users.get(id);
    return user ? copy(user) : null;
  }
}

function copy(user: UserRecord): UserRecord {
  return { ...user, roles: [...user.roles], createdAt: new Date(user.createdAt.getTime()) };
}

/** The admin list's order: newest first, then by id descending. Positive when `a` comes after `b`. */
function newestFirst(
  a: Pick<UserRecord, 'createdAt' | 'id'>,
  b: Pick<UserRecord, 'createdAt' | 'id'>,
) {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
