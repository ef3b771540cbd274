import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, readMigrations } from './migrator.js';

// Same depth from src/database and dist/database: the project root is two levels up.
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

/** Applies the committed migrations that this database has not seen yet. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  return applyMigrations(databaseUrl, await readMigrations(MIGRATIONS_DIR));
}
