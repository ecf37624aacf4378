import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../database/database.options';
import { TypeOrmUserStore } from './typeorm-user.store';
import { UserEntity } from './user.entity';

/**
 * The plain reads of a user (by id, by email) against what TypeORM's own mapping of the entity gives: a real SQLite
 * database in memory, schema made by the migrations, as at boot. (PostgreSQL's types are covered by the e2e suites
 * of the fastify+postgres project: login, administration, email change.)
 */
describe('TypeOrmUserStore reads (SQLite in memory)', () => {
  let dataSource: DataSource;
  let store: TypeOrmUserStore;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions('sqlite::memory:'));
    await dataSource.initialize();
    store = new TypeOrmUserStore(dataSource);
  });

  afterAll(() => dataSource.destroy());

  it('reads a user as it was created, with every field typed', async () => {
    const created = await store.create({
      email: 'ada@example.com',
      passwordHash: 'hash',
      roles: ['user', 'admin'],
      createdAt: new Date(1_800_000_000_123),
    });
    await store.setDisabled(created.id, true);
    await store.bumpCredentialEpoch(created.id);
    await store.markEmailVerified(created.id);
    const expected = {
      ...created,
      disabled: true,
      emailVerified: true,
      credentialEpoch: 1,
    };

    expect(await store.findById(created.id)).toEqual(expected);
    expect(await store.findByEmail('ada@example.com')).toEqual(expected);
    // The same as TypeORM's mapping of the row.
    const entity = await dataSource.manager.findOneByOrFail(UserEntity, { id: created.id });
    expect(entity.roles).toEqual(expected.roles);
    expect(Number(entity.createdAt)).toBe(expected.createdAt.getTime());
  });

  it('answers null for an unknown id or email, and takes them as data, not SQL', async () => {
    expect(await store.findById('no-such-id')).toBeNull();
    expect(await store.findByEmail("x' OR '1'='1")).toBeNull();
  });
});
