/** Whether the module guards every route of the app (the `globalGuard` extra): read by `markGuardedRoutes`. */
export const AUTH_GLOBAL_GUARD = Symbol('AuthGlobalGuard');
