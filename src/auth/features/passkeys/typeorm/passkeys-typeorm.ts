import type { DynamicModule, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FeatureSchema } from '../../../core/auth-feature';
import type { PasskeyStore } from '../passkey-store.port';
import { CreatePasskeyTables1765500000000 } from './1765500000000-create-passkey-tables';
import { PASSKEY_ENTITIES } from './passkey.entities';
import { TypeOrmPasskeyStore } from './typeorm-passkey.store';

/** The passkeys feature's tables. */
export const passkeysSchema: FeatureSchema = {
  entities: PASSKEY_ENTITIES,
  migrations: [CreatePasskeyTables1765500000000],
};

/** What the feature registers to keep its state on the host's data source. */
export function passkeysTypeormParts(): { imports: DynamicModule[]; store: Type<PasskeyStore> } {
  return { imports: [TypeOrmModule.forFeature(PASSKEY_ENTITIES)], store: TypeOrmPasskeyStore };
}
