import type { DynamicModule, Provider, Type } from '@nestjs/common';
import {
  authDataSourceProvider,
  checkedForFeature,
  storeProvider,
} from '../../../adapters/typeorm/data-source';
import type { FeatureSchema } from '../../../core/auth-feature';
import type { MailStore } from '../mail-store.port';
import { CreateMailTables1765000000000 } from './1765000000000-create-mail-tables';
import { BindMailTokens1765200000001 } from './1765200000001-bind-mail-tokens';
import { OneLiveMailToken1765300000001 } from './1765300000001-one-live-mail-token';
import { MailOutboxEntity } from './mail-outbox.entity';
import { MailTokenEntity } from './mail-token.entity';
import { TypeOrmMailStore } from './typeorm-mail.store';

/** The account-mail feature's tables. */
export const mailSchema: FeatureSchema = {
  entities: [MailTokenEntity, MailOutboxEntity],
  migrations: [
    CreateMailTables1765000000000,
    BindMailTokens1765200000001,
    OneLiveMailToken1765300000001,
  ],
};

/** What the feature registers to keep its tokens and outbox on the host's data source. */
export function mailTypeormParts(): {
  imports: DynamicModule[];
  providers: Provider[];
  store: Type<MailStore>;
} {
  return {
    imports: [checkedForFeature([MailTokenEntity, MailOutboxEntity])],
    providers: [authDataSourceProvider(), storeProvider(TypeOrmMailStore)],
    store: TypeOrmMailStore,
  };
}
