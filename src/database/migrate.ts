import { serverFeatures } from '../server-features';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './database.options';

/** `npm run migration:run`: applies pending migrations to `DATABASE_URL` (the server also does so at boot). */
async function migrate(): Promise<void> {
  const { config } = loadConfig();
  const options = dataSourceOptions(
    config.databaseUrl,
    undefined,
    undefined,
    serverFeatures(config.features),
  );
  // Without the request timeouts of the server's pool (a statement over DATABASE_TIMEOUT is cancelled there): a migration may
  // rightly take minutes, an index on a big table say. Run long ones this way before starting the new version.
  const dataSource = new DataSource(
    options.type === 'postgres'
      ? { ...options, migrationsRun: false, extra: {} }
      : { ...options, migrationsRun: false },
  );
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
