import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import { startServerProcess, stopServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_KEY, contractAgent, startApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { sleep, waitFor } from './support/wait.js';
import { delayWorkflow, SEED_DEFINITION } from './support/workflows.js';

const ENV = { OUTBOUND_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '2s,500ms,500ms' };

describe('callbacks survive restarts and cross instances', () => {
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let db: pg.Client;
  let receiver: WebhookReceiver;
  const apps: NestExpressApplication[] = [];
  const processes: ServerProcess[] = [];

  const open = async (env: Record<string, string> = {}) => {
    const app = await startApp(databaseUrl, { ...ENV, ...env });
    apps.push(app);
    return app;
  };
  const close = async (app: NestExpressApplication) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };
  const api = (app: NestExpressApplication) => ({
    get: (path: string) => contractAgent(app.getHttpServer()).get(path).set('X-API-Key', ADMIN_KEY),
    post: (path: string, body: object = {}) =>
      contractAgent(app.getHttpServer()).post(path).set('X-API-Key', ADMIN_KEY).send(body),
  });
  const deliveries = async (runId: string) =>
    (await db.query('SELECT * FROM webhook_deliveries WHERE run_id = $1 ORDER BY chain, attempt', [runId])).rows;

  beforeAll(async () => {
    ({ url: databaseUrl, drop } = await createTestDatabase());
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(processes.splice(0).map(stopServerProcess));
  });
  afterAll(async () => {
    await receiver.close();
    await db.end();
    await drop();
  });

  it('a restart in the middle of the retry schedule loses no attempt', async () => {
    receiver.respond('/restart', (_, index) => ({ status: index < 2 ? 500 : 200 }));
    const first = await open();
    const workflow = (await api(first).post('/v1/workflows', { name: 'seed', definition: SEED_DEFINITION })).body;
    const run = (
      await api(first).post(`/v1/workflows/${workflow.id}/runs/sync`, {
        input: { 'User Question': 'still there?' },
        callback_url: receiver.url('/restart'),
      })
    ).body;
    await waitFor(async () => (await deliveries(run.id)).length === 1 || undefined, 5000);
    await close(first);
    const closedAt = Date.now();
    expect(receiver.on('/restart')).toHaveLength(1);

    await open();
    const requests = await receiver.waitFor('/restart', 3, 10_000);
    expect(requests[1].at).toBeGreaterThan(closedAt);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const rows = await waitFor(async () => {
      const found = await deliveries(run.id);
      return found.length === 3 ? found : undefined;
    }, 5000);
    expect(rows.map((row) => [row.attempt, row.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(rows[2].delivered_at).toBeInstanceOf(Date);
  }, 30_000);

  it('a queued run stopped on an API-only instance is called back once a worker runs', async () => {
    const apiOnly = await open({ ROLE: 'api' });
    const workflow = (await api(apiOnly).post('/v1/workflows', { name: 'seed', definition: SEED_DEFINITION })).body;
    const run = (
      await api(apiOnly).post(`/v1/workflows/${workflow.id}/runs`, {
        input: { 'User Question': 'never mind' },
        callback_url: receiver.url('/queued-stop'),
      })
    ).body;
    expect(run.status).toBe('queued');
    const stopped = await api(apiOnly).post(`/v1/runs/${run.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    // The stop statement queued the callback with it, though no instance here can send it.
    const jobs = await db.query(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'deliver_callback' AND key = $1`,
      [`callback:${run.id}:1`],
    );
    expect(jobs.rows[0].n).toBe(1);
    await sleep(300);
    expect(receiver.on('/queued-stop')).toHaveLength(0);

    await open({ ROLE: 'worker' });
    const [callback] = await receiver.waitFor('/queued-stop', 1, 10_000);
    expect(JSON.parse(callback.body)).toMatchObject({ type: 'run.stopped', data: { id: run.id, status: 'stopped' } });
  }, 30_000);

  it('a run resumed after its instance was killed (kill -9) calls back once, when it finishes', async () => {
    const env = { ...ENV, LOG_LEVEL: 'warn' };
    const first = await startServerProcess(databaseUrl, env);
    processes.push(first);
    const call = async (base: string, path: string, body: object): Promise<{ id: string }> => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { id: string };
    };
    const workflow = await call(first.base, '/v1/workflows', { name: 'slow', definition: delayWorkflow(3000) });
    const run = await call(first.base, `/v1/workflows/${workflow.id}/runs`, {
      input: {},
      callback_url: receiver.url('/resumed'),
    });
    await waitFor(async () => {
      const node = await db.query(`SELECT status FROM node_runs WHERE run_id = $1 AND node_id = 'wait'`, [run.id]);
      return node.rows[0]?.status === 'running' || undefined;
    }, 10_000);
    first.process.kill('SIGKILL');
    await first.exited;

    processes.push(await startServerProcess(databaseUrl, env));
    const [callback] = await receiver.waitFor('/resumed', 1, 25_000);
    const body = JSON.parse(callback.body);
    expect(body).toMatchObject({ type: 'run.completed', data: { id: run.id, status: 'completed' } });
    await sleep(500);
    expect(receiver.on('/resumed')).toHaveLength(1);
    expect((await db.query('SELECT attempt FROM runs WHERE id = $1', [run.id])).rows[0].attempt).toBe(2);
  }, 45_000);
});
