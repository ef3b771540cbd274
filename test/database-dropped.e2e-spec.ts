import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startServerProcess, stopServerProcess, type ServerProcess } from './support/server-process.js';
import { LEVEL, logLines, OUTAGE_ENDED } from './support/server-logs.js';
import { ADMIN_KEY } from './support/test-app.js';
import { createTestDatabase, TEST_ENV } from './support/test-database.js';
import { waitFor } from './support/wait.js';
import { SEED_DEFINITION } from './support/workflows.js';

/** Statements on the PostgreSQL server itself, as its administrator would run them. */
async function asAdministrator<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env[TEST_ENV.serverUrl] });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('a database dropped under a running instance', () => {
  let url: string;
  let name: string;
  let drop: () => Promise<void>;
  let server: ServerProcess;
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    name = new URL(url).pathname.slice(1);
    server = await startServerProcess(url, { LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await stopServerProcess(server);
    await drop();
  });

  const api = (path: string) => fetch(`${server.base}${path}`, { headers: { 'X-API-Key': ADMIN_KEY } });
  const missingLines = () => logLines(server.output()).filter((line) => line.msg.includes(`"${name}" does not exist`));

  it('answers 503 problem+json with Retry-After, is not ready, and says once that the database is gone; answers again once restored', async () => {
    expect((await api('/v1/workflows')).status).toBe(200);
    // What a restore brings back: the instance's group and admin key.
    const backup = await pgRows(url, ['groups', 'api_keys']);

    await asAdministrator((client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));

    for (const path of ['/v1/workflows', '/v1/groups', '/v1/runs']) {
      const res = await waitFor(async () => {
        const answer = await api(path);
        return answer.status === 503 ? answer : undefined;
      }, 10_000);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toMatchObject({
        type: 'https://runloom.dev/problems/database-unavailable',
        status: 503,
      });
    }
    const created = await fetch(`${server.base}/v1/workflows`, {
      method: 'POST',
      headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'while dropped', definition: SEED_DEFINITION }),
    });
    expect(created.status).toBe(503);
    expect((await fetch(`${server.base}/health/ready`)).status).toBe(503);

    await waitFor(async () => (missingLines().length > 0 ? true : undefined), 10_000);
    const [missing, ...more] = missingLines();
    expect(more).toEqual([]);
    expect(missing.level).toBe(LEVEL.error);
    expect(missing.msg).toBe(
      `database "${name}" does not exist — requests answer 503 until it is restored; a new, empty database needs a restart, which migrates it`,
    );
    // Refused requests are counted, not logged: nothing else above a warning.
    expect(logLines(server.output()).filter((line) => line.level >= LEVEL.error)).toEqual([missing]);

    // Restored: the migrated schema and the rows the backup held.
    await asAdministrator((client) =>
      client.query(`CREATE DATABASE ${name} TEMPLATE ${process.env[TEST_ENV.template]}`),
    );
    await restoreRows(url, backup);
    await waitFor(async () => ((await api('/v1/workflows')).status === 200 ? true : undefined), 20_000);
    expect((await fetch(`${server.base}/health/ready`)).status).toBe(200);
    await waitFor(
      async () => (logLines(server.output()).some((line) => OUTAGE_ENDED.test(line.msg)) ? true : undefined),
      20_000,
    );
    expect(missingLines()).toHaveLength(1);
  });
});

type Backup = Record<string, unknown[]>;

async function pgRows(url: string, tables: string[]): Promise<Backup> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backup: Backup = {};
    for (const table of tables) backup[table] = (await client.query(`SELECT * FROM ${table}`)).rows;
    return backup;
  } finally {
    await client.end();
  }
}

async function restoreRows(url: string, backup: Backup): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [table, rows] of Object.entries(backup)) {
      await client.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1)`, [
        JSON.stringify(rows),
      ]);
    }
  } finally {
    await client.end();
  }
}
