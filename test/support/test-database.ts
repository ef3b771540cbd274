import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export const TEST_ENV = { serverUrl: 'RUNLOOM_TEST_SERVER_URL', template: 'RUNLOOM_TEST_TEMPLATE_DB' };

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env[TEST_ENV.serverUrl] });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database once its sessions have gone, forcing it after two seconds. A pool's end()
 * resolves before its connections close, and a forced drop answers a still-open one with a FATAL
 * error, which its pool raises in the test process as an unhandled 'error' event.
 */
function dropDatabase(name: string): Promise<void> {
  return onServer(async (client) => {
    for (let waited = 0; waited < 2000; waited += 50) {
      const { rows } = await client.query<{ sessions: number }>(
        'SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0].sessions === 0) break;
      await sleep(50);
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** A fresh, migrated database for one test file; returns its URL and a function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `runloom_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${process.env[TEST_ENV.template]}`));
  return {
    url: databaseUrlFor(process.env[TEST_ENV.serverUrl]!, name),
    drop: () => dropDatabase(name),
  };
}

/** An empty database (no migrations) for tests of the migrator itself. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `runloom_empty_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: databaseUrlFor(process.env[TEST_ENV.serverUrl]!, name),
    drop: () => dropDatabase(name),
  };
}
