import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MIGRATIONS_DIR, migrateDatabase } from '../src/database/migrate.js';
import { applyMigrations, MigrationError, readMigrations } from '../src/database/migrator.js';
import { createEmptyDatabase } from './support/test-database.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations applied at start-up', () => {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(drops.splice(0).map((drop) => drop()));
  });
  async function emptyDatabase(): Promise<string> {
    const db = await createEmptyDatabase();
    drops.push(db.drop);
    return db.url;
  }

  it('records each migration as prisma migrate deploy does, with the same checksum', async () => {
    const url = await emptyDatabase();
    const applied = await migrateDatabase(url);
    const migrations = await readMigrations(MIGRATIONS_DIR);
    expect(applied).toEqual(migrations.map((m) => m.name));
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date;
      applied_steps_count: number;
    }>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(applied);
    for (const row of rows) {
      const file = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await query<{ tablename: string }>(
      url,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(tables.map((t) => t.tablename).sort()).toEqual(
      [
        '_prisma_migrations',
        'api_keys',
        'audit_events',
        'group_live_runs',
        'groups',
        'instances',
        'node_runs',
        'run_events',
        'run_signals',
        'runs',
        'schedules',
        'secrets',
        'signing_keys',
        'trigger_deliveries',
        'triggers',
        'webhook_deliveries',
        'webhook_messages',
        'workflow_versions',
        'workflows',
      ].sort(),
    );
    expect(await migrateDatabase(url)).toEqual([]);
  });

  it('lets only one of several instances starting together apply them', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    expect(results.filter((names) => names.length > 0)).toHaveLength(1);
    const rows = await query(url, 'SELECT * FROM "_prisma_migrations"');
    expect(rows).toHaveLength((await readMigrations(MIGRATIONS_DIR)).length);
  });

  it('keeps the definitions saved while they were jsonb when they become json', async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const asSent = migrations.findIndex((m) => m.name.endsWith('_definitions_as_sent'));
    await applyMigrations(url, migrations.slice(0, asSent));
    const definition = { nodes: [{ id: 'a', type: 'DelayNode', config: { ms: 0 } }], edges: [] };
    await query(
      url,
      `INSERT INTO groups (id, name, webhook_secret) VALUES ('00000000-0000-4000-8000-000000000001', 'g', 's');
       INSERT INTO workflows (id, group_id, name, definition, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'w', '${JSON.stringify(definition)}', now());
       INSERT INTO workflow_versions (id, workflow_id, number, name, definition)
         VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 1, 'v1', '${JSON.stringify(definition)}');`,
    );
    await applyMigrations(url, migrations);
    const rows = await query<{ definition: unknown; type: string }>(
      url,
      `SELECT definition, pg_typeof(definition)::text AS type FROM workflows
       UNION ALL SELECT definition, pg_typeof(definition)::text FROM workflow_versions`,
    );
    expect(rows).toEqual([
      { definition, type: 'json' },
      { definition, type: 'json' },
    ]);
  });

  it("counts each group's live root runs when upgrading, and keeps the count on every change after", async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const counted = migrations.findIndex((m) => m.name.endsWith('_group_live_runs'));
    await applyMigrations(url, migrations.slice(0, counted));
    const run = (id: number, group: number, status: string, parent?: number) =>
      `INSERT INTO runs (id, group_id, workflow_id, definition, status, mode, input, parent_run_id)
       VALUES ('00000000-0000-4000-8000-00000000010${id}', '00000000-0000-4000-8000-00000000000${group}',
         '00000000-0000-4000-8000-000000000009', '{}', '${status}', 'async', '{}',
         ${parent === undefined ? 'NULL' : `'00000000-0000-4000-8000-00000000010${parent}'`});`;
    await query(
      url,
      `INSERT INTO groups (id, name, webhook_secret) VALUES
         ('00000000-0000-4000-8000-000000000001', 'a', 's'), ('00000000-0000-4000-8000-000000000002', 'b', 's');
       INSERT INTO workflows (id, group_id, name, definition, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000009', '00000000-0000-4000-8000-000000000001', 'w', '{}', now());
       ${run(1, 1, 'queued')} ${run(2, 1, 'running')} ${run(3, 1, 'waiting')} ${run(4, 1, 'completed')}
       ${run(5, 1, 'running', 2)} ${run(6, 2, 'failed')}`,
    );
    await applyMigrations(url, migrations);
    const live = () =>
      query<{ group: string; live: number; exact: number }>(
        url,
        `SELECT right(g.id::text, 1) AS group,
           (SELECT COALESCE(sum(live), 0)::int FROM group_live_runs WHERE group_id = g.id) AS live,
           (SELECT count(*)::int FROM runs WHERE group_id = g.id AND parent_run_id IS NULL
              AND status IN ('queued', 'running', 'waiting')) AS exact
         FROM groups g ORDER BY g.id`,
      );
    // The child run (5) and the finished ones are not counted.
    expect(await live()).toEqual([
      { group: '1', live: 3, exact: 3 },
      { group: '2', live: 0, exact: 0 },
    ]);
    await query(
      url,
      `UPDATE runs SET status = 'running' WHERE id = '00000000-0000-4000-8000-000000000101';
       UPDATE runs SET status = 'completed' WHERE id = '00000000-0000-4000-8000-000000000102';
       UPDATE runs SET status = 'stopped' WHERE id = '00000000-0000-4000-8000-000000000105';
       UPDATE runs SET status = 'queued' WHERE id = '00000000-0000-4000-8000-000000000106';
       UPDATE runs SET group_id = '00000000-0000-4000-8000-000000000002' WHERE id = '00000000-0000-4000-8000-000000000103';
       DELETE FROM runs WHERE id = '00000000-0000-4000-8000-000000000101';
       ${run(7, 2, 'queued')} ${run(8, 2, 'completed')}`,
    );
    expect(await live()).toEqual([
      { group: '1', live: 0, exact: 0 },
      { group: '2', live: 3, exact: 3 },
    ]);
  });

  it('refuses to start when an applied migration was changed', async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    await applyMigrations(url, migrations);
    const edited = migrations.map((m, i) =>
      i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'x'.repeat(64) } : m,
    );
    await expect(applyMigrations(url, edited)).rejects.toThrow(
      new MigrationError(
        `migration ${migrations[0].name} was changed after it was applied (checksum differs); restore the original file and add a new migration instead`,
      ),
    );
  });

  it('records a failing migration and refuses to go on until it is resolved', async () => {
    const url = await emptyDatabase();
    const broken = { name: '20990101000000_broken', sql: 'CREATE TABLE x (;', checksum: 'b'.repeat(64) };
    await expect(applyMigrations(url, [broken])).rejects.toThrow(/migration 20990101000000_broken failed/);
    const rows = await query<{ finished_at: Date | null; logs: string }>(url, 'SELECT * FROM "_prisma_migrations"');
    expect(rows[0].finished_at).toBeNull();
    expect(rows[0].logs).toContain('syntax error');
    await expect(applyMigrations(url, [broken])).rejects.toThrow(/failed earlier and was never finished/);
  });
});
