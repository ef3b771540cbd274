import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PrivatePostgres } from '../support/private-postgres.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process.js';
import { ADMIN_KEY } from '../support/test-app.js';
import {
  byLogger,
  countBy,
  hasStack,
  LEVEL,
  logLines,
  OUTAGE_ENDED,
  OUTAGE_STARTED,
  outageOver,
  type LogLine,
} from '../support/server-logs.js';
import { sleep, waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { delayWorkflow, SEED_DEFINITION } from '../support/workflows.js';

/**
 * Operators' failures, with real processes: one API instance and two workers on a PostgreSQL
 * cluster of the test's own, which it restarts, stops, starves of connections, while runs are
 * being created; and a worker killed with SIGKILL. Every accepted run must complete, every
 * callback arrive, and no instance exit; an outage is logged once as it starts and once as it
 * ends, and a 503 names only runs that exist. (Runs in `npm test`; not in the pass against the
 * machine's PostgreSQL, which it cannot restart.)
 */
const describeFaults = process.env.DATABASE_URL ? describe.skip : describe;

const ENV = {
  OUTBOUND_ALLOW_PRIVATE: 'true',
  // The load below sends thousands of requests a minute with one key.
  RATE_LIMIT_PER_MINUTE: '0',
  WEBHOOK_RETRY_SCHEDULE: '500ms,1s,2s,4s,8s,15s,30s',
  LOG_LEVEL: 'warn',
};
const SETTLE_MS = 60_000;
interface SyncAnswer {
  status: number;
  /** The problem type's slug, for a problem. */
  type?: string;
  runId?: string;
  location?: string;
}

describeFaults('surviving database and worker failures', () => {
  let postgres: PrivatePostgres;
  let receiver: WebhookReceiver;
  let api: ServerProcess;
  const workers: ServerProcess[] = [];
  const killed = new Set<ServerProcess>();
  let quickWorkflow: string;
  let slowWorkflow: string;
  let pureWorkflow: string;

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

  const createWorkflow = async (name: string, definition: unknown): Promise<string> => {
    const response = await fetch(`${api.base}/v1/workflows`, {
      method: 'POST',
      headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, definition }),
    });
    return ((await response.json()) as { id: string }).id;
  };

  const ready = async () => (await fetch(`${api.base}/health/ready`).catch(() => undefined))?.status;

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    receiver = await WebhookReceiver.start();
    api = await startServerProcess(postgres.url(), { ...ENV, ROLE: 'api' });
    await Promise.all([startWorker(), startWorker()]);
    const create = (name: string, ms: number) => createWorkflow(name, delayWorkflow(ms));
    quickWorkflow = await create('quick', 200);
    slowWorkflow = await create('slow', 4_000);
    pureWorkflow = await createWorkflow('pure', SEED_DEFINITION);
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

  describe('PostgreSQL stopped for 20 s under sync runs of a pure workflow, without Idempotency-Key', () => {
    const answers: SyncAnswer[] = [];
    let instances: ServerProcess[];
    let outageLogs: LogLine[][];
    let refusalsCounted: number;

    /** One sync run as a client without an Idempotency-Key sends it: what the answer names. */
    const syncRun = async (): Promise<SyncAnswer> => {
      const response = await fetch(`${api.base}/v1/workflows/${pureWorkflow}/runs/sync`, {
        method: 'POST',
        headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ input: { 'User Question': 'q' } }),
      });
      const body = (await response.json().catch(() => ({}))) as { type?: string; run_id?: string };
      return {
        status: response.status,
        type: body.type?.split('/problems/')[1],
        runId: body.run_id,
        location: response.headers.get('location') ?? undefined,
      };
    };

    const refusals = async () => {
      const text = await (await fetch(`${api.base}/metrics`)).text();
      return Number(/^runloom_database_refusals_total (\d+)$/m.exec(text)?.[1]);
    };

    beforeAll(async () => {
      instances = [api, ...workers.filter((worker) => !killed.has(worker))];
      // The outage of an earlier test is over on every instance: this one is seen from its start.
      await waitFor(
        async () => (instances.every((server) => outageOver(logLines(server.output()))) ? true : undefined),
        30_000,
      );
      const logged = instances.map((server) => server.output().length);
      const refusedBefore = await refusals();
      let loading = true;
      const clients = Array.from({ length: 8 }, async () => {
        while (loading) answers.push(await syncRun());
      });
      await sleep(1_000);
      await postgres.stop();
      await sleep(20_000);
      await postgres.start();
      await waitFor(async () => ((await ready()) === 200 ? true : undefined), 10_000);
      await sleep(3_000);
      loading = false;
      await Promise.all(clients);
      const logsSince = () => instances.map((server, i) => logLines(server.output().slice(logged[i])));
      const ended = (lines: LogLine[]) => lines.some((line) => OUTAGE_ENDED.test(line.msg)) && outageOver(lines);
      // An instance says the database is back once its heartbeat (every 2 s) succeeds and nothing failed for 5 s.
      outageLogs = await waitFor(async () => (logsSince().every(ended) ? logsSince() : undefined), 30_000).catch(() =>
        logsSince(),
      );
      refusalsCounted = (await refusals()) - refusedBefore;
    }, 120_000);

    it('is logged once at warn when it starts and once when it ends on each instance; refusals are counted, not logged', () => {
      const refused = answers.filter((answer) => answer.status === 503).length;
      expect(refused).toBeGreaterThan(0);
      expect(refusalsCounted).toBe(refused);
      const summary = outageLogs.map((lines) => ({
        started: lines.filter((line) => line.level === LEVEL.warn && OUTAGE_STARTED.test(line.msg)).length,
        ended: lines.filter((line) => line.level === LEVEL.warn && OUTAGE_ENDED.test(line.msg)).length,
        errors: countBy(
          lines.filter((line) => line.level >= LEVEL.error),
          byLogger,
        ),
        withStacks: countBy(lines.filter(hasStack), byLogger),
      }));
      expect(summary).toEqual(instances.map(() => ({ started: 1, ended: 1, errors: {}, withStacks: {} })));
      const apiEnded = outageLogs[0].find((line) => OUTAGE_ENDED.test(line.msg));
      expect(apiEnded?.refusedRequests).toBe(refused);
    });

    it('names in a 503 (run_id, Location) only runs that are stored', async () => {
      const named = answers.filter((answer) => answer.status === 503 && (answer.runId || answer.location));
      const unreadable: Array<SyncAnswer & { read: number[] }> = [];
      for (const answer of named) {
        const paths = [answer.location, answer.runId && `/v1/runs/${answer.runId}`].filter(Boolean);
        const read = await Promise.all(
          paths.map(
            async (path) => (await fetch(`${api.base}${path}`, { headers: { 'X-API-Key': ADMIN_KEY } })).status,
          ),
        );
        if (read.some((status) => status !== 200)) unreadable.push({ ...answer, read });
      }
      const readAs = countBy(unreadable, ({ read }) => `GET ${read.join(', ')}`);
      expect({ named: named.length, readAs, firstUnreadable: unreadable.slice(0, 2) }).toEqual({
        named: named.length,
        readAs: {},
        firstUnreadable: [],
      });
    });
  });

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
