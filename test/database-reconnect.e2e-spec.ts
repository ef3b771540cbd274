import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { freePort } from './support/server-process.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { databaseUrlFor, TEST_ENV } from './support/test-database.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';

describe('losing the LISTEN connection', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'api' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const listening = async () =>
    (
      await db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN "runloom_%'`,
      )
    ).rows.map((row) => row.pid);
  /** Ends the instance's LISTEN connection; returns its pid, which the reconnect must not reuse. */
  const killListener = async () => {
    const pids = await listening();
    expect(pids.length).toBeGreaterThan(0);
    await db.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    return pids;
  };
  const expectListeningAgain = async (before: number[]) => {
    const after = await listening();
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
  };

  it('drops cached keys once LISTEN is back: a key revoked while it was down is refused', async () => {
    const created = await t.http
      .post('/v1/api-keys')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'cached', role: 'member', group_ids: [t.defaultGroupId] });
    expect(created.status).toBe(201);
    const asKey = () => t.http.get('/v1/workflows').set('X-API-Key', created.body.key);
    expect((await asKey()).status).toBe(200); // now cached

    const before = await killListener();
    // Revoked behind the instance's back: no NOTIFY reaches it, only the reconnect can tell.
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [created.body.id]);

    await waitFor(async () => ((await asKey()).status === 401 ? true : undefined), 5_000);
    await expectListeningAgain(before);
  });

  it('drops cached workflow definitions once LISTEN is back: a change made while it was down is run', async () => {
    const workflow = await createWorkflow(t.http);
    const answer = async () =>
      (
        await t.http
          .post(`/v1/workflows/${workflow.id}/runs/sync?output_only=true`)
          .set('X-API-Key', ADMIN_KEY)
          .send({ input: { 'User Question': 'q' } })
      ).body.Answer;
    expect(await answer()).toBe('q — '); // the draft is now cached

    const before = await killListener();
    const changed = structuredClone(SEED_DEFINITION);
    changed.nodes[2].config = { template: 'changed ((q))((c))' } as never;
    await db.query('UPDATE workflows SET definition = $2 WHERE id = $1', [workflow.id, JSON.stringify(changed)]);

    // Within the caches' 60 s expiry only the reconnect can explain the new answer.
    await waitFor(async () => ((await answer()) === 'changed q' ? true : undefined), 5_000);
    await expectListeningAgain(before);
  });
});

describe('start-up and the database', () => {
  const start = (databaseUrl: string) => {
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  };

  it('stops with one line when the database does not exist', async () => {
    const server = start(databaseUrlFor(process.env[TEST_ENV.serverUrl]!, 'runloom_no_such_database'));
    expect(await server.exited).toBe(1);
    // Besides the end-of-life warning an old Node.js gets first (test/node-version.e2e-spec.ts).
    const lines = server
      .output()
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('Warning: Node.js '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Runloom failed to start: .*database "runloom_no_such_database" does not exist/);
  });

  it('waits for a database that is not reachable yet instead of exiting', async () => {
    const server = start(`postgresql://postgres@127.0.0.1:${await freePort()}/runloom`);
    try {
      await waitFor(
        async () => (server.output().includes('database not reachable yet; retrying') ? true : undefined),
        20_000,
      );
      expect(server.child.exitCode).toBeNull();
    } finally {
      server.child.kill('SIGKILL'); // a process left waiting for its database would keep jest from exiting
      await server.exited;
    }
  });
});
