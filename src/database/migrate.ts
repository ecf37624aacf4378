import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './database.options';

/** `npm run migration:run`: applies pending migrations to `DATABASE_URL` (the server also does so at boot). */
async function migrate(): Promise<void> {
  const { config } = loadConfig();
  const dataSource = new DataSource({
    ...dataSourceOptions(config.databaseUrl),
    migrationsRun: false,
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(
      applied.length === 0
        ? 'No pending migrations'
        : `Applied: ${applied.map((m) => m.name).join(', ')}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
