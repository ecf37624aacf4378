/**
 * Where the composition root puts the built-in TypeORM stores when it registers them (injection tokens): the core
 * binds `USER_STORE` / `SESSION_STORE` to them unless the options bring stores of their own, without naming TypeORM.
 */
export const BUILT_IN_USER_STORE = Symbol('BuiltInUserStore');
export const BUILT_IN_SESSION_STORE = Symbol('BuiltInSessionStore');
