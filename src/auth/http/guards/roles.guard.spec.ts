import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from '../../core/model/auth.types';
import { authRequestOf } from '../../contexts/auth-request';
import { Roles } from '../decorators/roles.decorator';
import { SocketRefusal } from '../../contexts/socket-refusal';
import { RolesGuard } from './roles.guard';

class Handlers {
  @Roles('admin')
  adminOnly() {}
}

const caller = (roles: string[]): AuthUser => ({
  id: 'u',
  email: 'u@example.com',
  roles,
  sessionId: 's',
});

/** The context Nest gives a guard for `Handlers.adminOnly` in a context of `type`, over `args`. */
function contextOf(type: string, args: unknown[]): ExecutionContext {
  return {
    getType: () => type,
    getHandler: () => Handlers.prototype.adminOnly,
    getClass: () => Handlers,
    getArgByIndex: (index: number) => args[index],
    switchToHttp: () => ({ getRequest: () => args[0], getResponse: () => args[1] }),
    switchToWs: () => ({ getClient: () => args[0] }),
  } as unknown as ExecutionContext;
}

describe('RolesGuard outside HTTP', () => {
  const guard = new RolesGuard(new Reflector());

  it('lets a GraphQL caller with the role through, and refuses one without it with FORBIDDEN', () => {
    const admin = contextOf('graphql', [{}, {}, { req: { headers: {}, user: caller(['admin']) } }]);
    const user = contextOf('graphql', [{}, {}, { req: { headers: {}, user: caller(['user']) } }]);

    expect(guard.canActivate(admin)).toBe(true);
    expect(() => guard.canActivate(user)).toThrow(
      expect.objectContaining({
        extensions: { code: 'FORBIDDEN', authCode: 'INSUFFICIENT_ROLE' },
      }),
    );
  });

  it('refuses a GraphQL request without a caller with UNAUTHENTICATED', () => {
    const anonymous = contextOf('graphql', [{}, {}, { req: { headers: {} } }]);

    expect(() => guard.canActivate(anonymous)).toThrow(
      expect.objectContaining({
        extensions: { code: 'UNAUTHENTICATED', authCode: 'TOKEN_MISSING' },
      }),
    );
  });

  it("refuses a socket's message without the role (a SocketRefusal to acknowledge), and lets one with it through", () => {
    const socket = { handshake: { auth: { token: 't' } }, data: {} };
    const context = contextOf('ws', [socket, {}]);
    // What the access guard does first: it puts the caller on the socket's request.
    authRequestOf(context).user = caller(['user']);
    expect(() => guard.canActivate(context)).toThrow(SocketRefusal);
    expect(() => guard.canActivate(context)).toThrow(
      expect.objectContaining({
        authError: expect.objectContaining({ code: 'INSUFFICIENT_ROLE' }),
      }),
    );

    authRequestOf(context).user = caller(['admin']);
    expect(guard.canActivate(context)).toBe(true);
  });
});

describe('RolesGuard with role requirements (MFA_REQUIRED_ROLES)', () => {
  const guard = new RolesGuard(new Reflector());
  Object.assign(guard, { roleRequirements: { admin: { acr: 'aal2' } } });
  const admin = (acr: 'aal1' | 'aal2') => ({ ...caller(['admin']), acr, authTime: 0 });

  it('serves the role to an aal2 session, and refuses an aal1 one with the step-up answer (GraphQL)', () => {
    const strong = contextOf('graphql', [{}, {}, { req: { headers: {}, user: admin('aal2') } }]);
    const weak = contextOf('graphql', [{}, {}, { req: { headers: {}, user: admin('aal1') } }]);

    expect(guard.canActivate(strong)).toBe(true);
    expect(() => guard.canActivate(weak)).toThrow(
      expect.objectContaining({
        extensions: {
          code: 'UNAUTHENTICATED',
          authCode: 'INSUFFICIENT_USER_AUTHENTICATION',
          acrValues: 'aal2',
        },
      }),
    );
  });

  it('refuses a socket message of an aal1 admin with the same code', () => {
    const socket = { handshake: { headers: {} }, data: { user: admin('aal1') } };
    const weak = contextOf('ws', [socket, {}]);
    authRequestOf(weak).user = admin('aal1');

    expect(() => guard.canActivate(weak)).toThrow(SocketRefusal);
  });
});
