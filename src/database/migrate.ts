import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import { applyMigrations, readMigrations } from './migrator.js';
import { QUEUE_TASKS } from './queue.sql.js';

// Same depth from src/database and dist/database: the project root is two levels up.
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

/**
 * Applies the committed migrations this database has not seen yet, then graphile-worker's own
 * (the run queue's schema, which API instances need to enqueue and workers to work) and the run
 * queue's task row (QUEUE_TASKS).
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const applied = await applyMigrations(databaseUrl, await readMigrations(MIGRATIONS_DIR));
  // Our own pool, ended before we return: graphile-worker's would close in the background, and a
  // server closing its idle connection meanwhile would be an unhandled 'error' event.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const ignore = () => undefined;
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  try {
    await runMigrations({ pgPool: pool, logger: quietLogger });
    await pool.query(QUEUE_TASKS);
  } finally {
    await pool.end();
  }
  return applied;
}

const quietLogger = new Logger(() => () => undefined);
