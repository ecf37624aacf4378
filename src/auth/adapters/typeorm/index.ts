/**
 * `nest-session-auth/typeorm`: the built-in stores' TypeORM side, for a host's data source: `authEntities(features)`
 * and `authMigrations(features)` (the core's tables and the registered features'), the entities, and the stores.
 * Needs `typeorm` and `@nestjs/typeorm`; the main entry never loads them.
 */
export { authEntities, authMigrations } from './schema';
export { UserEntity } from './user.entity';
export { SessionEntity } from './session.entity';
export { RefreshTokenEntity } from './refresh-token.entity';
export { TypeOrmUserStore } from './typeorm-user.store';
export { TypeOrmSessionStore } from './typeorm-session.store';
export { databaseErrorAdvice, isPermanentDatabaseError } from './connection-errors';
