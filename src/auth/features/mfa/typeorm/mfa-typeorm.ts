import type { DynamicModule, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FeatureSchema } from '../../../core/auth-feature';
import type { MfaStore } from '../mfa-store.port';
import { CreateMfaTables1765400000001 } from './1765400000001-create-mfa-tables';
import { MFA_ENTITIES } from './mfa.entities';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

/** The mfa feature's tables. */
export const mfaSchema: FeatureSchema = {
  entities: MFA_ENTITIES,
  migrations: [CreateMfaTables1765400000001],
};

/** What the feature registers to keep its state on the host's data source. */
export function mfaTypeormParts(): { imports: DynamicModule[]; store: Type<MfaStore> } {
  return { imports: [TypeOrmModule.forFeature(MFA_ENTITIES)], store: TypeOrmMfaStore };
}
