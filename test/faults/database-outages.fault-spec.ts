import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PrivatePostgres } from '../support/private-postgres.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process.js';
import { ADMIN_KEY } from '../support/test-app.js';
import { sleep, waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { delayWorkflow } from '../support/workflows.js';

/**
 * Operators' failures, with real processes: one API instance and two workers on a PostgreSQL
 * cluster of the test's own, which it restarts, stops, starves of connections, while runs are
 * being created; and a worker killed with SIGKILL. Every accepted run must complete, every
 * callback arrive, and no instance exit. (Runs in `npm test`; not in the pass against the
 * machine's PostgreSQL, which it cannot restart.)
 */
const describeFaults = process.env.DATABASE_URL ? describe.skip : describe;

const ENV = {
  OUTBOUND_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_SCHEDULE: '500ms,1s,2s,4s,8s,15s,30s',
  LOG_LEVEL: 'warn',
};
const SETTLE_MS = 60_000;

describeFaults('surviving database and worker failures', () => {
  let postgres: PrivatePostgres;
  let receiver: WebhookReceiver;
  let api: ServerProcess;
  const workers: ServerProcess[] = [];
  const killed = new Set<ServerProcess>();
  let quickWorkflow: string;
  let slowWorkflow: string;

  const startWorker = async () => {
    const worker = await startServerProcess(postgres.url(), { ...ENV, ROLE: 'worker' });
    workers.push(worker);
    return worker;
  };

  /** A fresh connection per query: the server may have restarted since the last one. */
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: postgres.url() });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  /** Creates a run the way a careful client does: retrying 5xx and refused connections with one Idempotency-Key. */
  const createRun = async (workflowId: string, key: string): Promise<string> => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const response = await fetch(`${api.base}/v1/workflows/${workflowId}/runs`, {
        method: 'POST',
        headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify({ input: { start: key }, callback_url: receiver.url(`/hooks`) }),
      }).catch(() => undefined);
      if (response?.status === 202) return ((await response.json()) as { id: string }).id;
      if (response && response.status < 500) throw new Error(`creating a run answered ${response.status}`);
      if (response?.status === 503) expect(response.headers.get('retry-after')).toBeTruthy();
      if (Date.now() > deadline) throw new Error(`run ${key} was never accepted`);
      await sleep(200);
    }
  };

  /** `count` runs created by `concurrency` clients at once. */
  const load = async (workflowId: string, name: string, count: number, concurrency = 6): Promise<string[]> => {
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) ids.push(await createRun(workflowId, `${name}-${next++}`));
      }),
    );
    return ids;
  };

  const expectAllCompleted = async (ids: string[]) => {
    const statuses = await waitFor(async () => {
      const rows = await query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) GROUP BY status`,
        [ids],
      ).catch(() => []);
      const done = rows.filter((row) => ['completed', 'failed', 'stopped'].includes(row.status));
      return done.reduce((sum, row) => sum + row.n, 0) === ids.length ? rows : undefined;
    }, SETTLE_MS).catch(async () => {
      const logs = [api, ...workers].map((server) => server.output().slice(-3000)).join('\n---\n');
      throw new Error(`runs still unfinished:\n${JSON.stringify(await unfinished(ids), null, 1)}\n${logs}`);
    });
    const failed = await query(`SELECT id, error FROM runs WHERE id = ANY($1::uuid[]) AND status <> 'completed'`, [
      ids,
    ]);
    expect({ statuses, failed }).toEqual({ statuses: [{ status: 'completed', n: ids.length }], failed: [] });
  };

  /** What an unfinished run and its queue job look like, for a failure message that says where it stuck. */
  const unfinished = (ids: string[]) =>
    query(
      `SELECT r.id, r.status, r.attempt, r.lease_owner, r.lease_expires_at, r.last_failure,
         j.locked_by, j.locked_at, j.attempts AS job_attempts, j.run_at, j.last_error
       FROM runs r LEFT JOIN graphile_worker._private_jobs j ON j.key = 'run:' || r.id
       WHERE r.id = ANY($1::uuid[]) AND r.status IN ('queued', 'running') LIMIT 10`,
      [ids],
    );

  const expectEveryCallback = async (ids: string[]) => {
    const delivered = () =>
      new Set(receiver.on('/hooks').map((request) => (JSON.parse(request.body) as { data: { id: string } }).data.id));
    await waitFor(async () => (ids.every((id) => delivered().has(id)) ? true : undefined), SETTLE_MS);
  };

  const expectNoInstanceExited = () => {
    for (const server of [api, ...workers].filter((s) => !killed.has(s))) {
      expect({ exitCode: server.process.exitCode, signal: server.process.signalCode }).toEqual({
        exitCode: null,
        signal: null,
      });
    }
  };

  /** Every run completed, every callback arrived, no instance exited (but the one killed on purpose). */
  const expectSurvived = async (ids: string[]) => {
    await expectAllCompleted(ids);
    await expectEveryCallback(ids);
    expectNoInstanceExited();
  };

  const ready = async () => (await fetch(`${api.base}/health/ready`).catch(() => undefined))?.status;

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    receiver = await WebhookReceiver.start();
    api = await startServerProcess(postgres.url(), { ...ENV, ROLE: 'api' });
    await Promise.all([startWorker(), startWorker()]);
    const create = async (name: string, ms: number) => {
      const response = await fetch(`${api.base}/v1/workflows`, {
        method: 'POST',
        headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, definition: delayWorkflow(ms) }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    quickWorkflow = await create('quick', 200);
    slowWorkflow = await create('slow', 4_000);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api, ...workers].filter(Boolean).map(stopServerProcess));
    await receiver?.close();
    await postgres?.destroy();
  });

  it('PostgreSQL restarted under load (pg_ctl restart -m fast)', async () => {
    const created = load(quickWorkflow, 'restart', 80);
    await sleep(500);
    await postgres.restart();
    const ids = await created;
    await expectSurvived(ids);
  }, 120_000);

  it('PostgreSQL stopped for 20 s: /health/ready is 503 meanwhile, 200 about a second after it is back', async () => {
    const created = load(quickWorkflow, 'stopped', 60);
    await sleep(500);
    await postgres.stop();
    const stoppedAt = Date.now();
    await waitFor(async () => ((await ready()) === 503 ? true : undefined), 10_000);
    await sleep(20_000 - (Date.now() - stoppedAt));
    await postgres.start();
    const startedAt = Date.now();
    await waitFor(async () => ((await ready()) === 200 ? true : undefined), 10_000);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    const ids = await created;
    await expectSurvived(ids);
  }, 150_000);

  it('a worker killed with SIGKILL: its runs, queued ones included, finish elsewhere', async () => {
    const victim = workers[0];
    const ids = await load(slowWorkflow, 'killed', 40, 10);
    await waitFor(async () => {
      const rows = await query(`SELECT 1 FROM runs WHERE id = ANY($1::uuid[]) AND lease_owner LIKE $2 LIMIT 1`, [
        ids,
        `%:${victim.process.pid}:%`,
      ]);
      return rows.length > 0 ? true : undefined;
    }, 20_000);
    killed.add(victim);
    victim.process.kill('SIGKILL');
    await victim.exited;
    await expectSurvived(ids);
    await startWorker();
  }, 150_000);

  it('max_connections lowered below what the instances would use', async () => {
    await postgres.restart(25);
    const ids = await load(quickWorkflow, 'starved', 60, 10);
    await expectSurvived(ids);
  }, 150_000);
});
