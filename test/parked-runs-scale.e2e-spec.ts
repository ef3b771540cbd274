import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ExecutionService } from '../src/executor/execution.service.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, edge, SEED_DEFINITION } from './support/workflows.js';

const PARKED = 10_000;
const CONCURRENCY = 32;
const SAMPLES = 60;

const SIGNAL_WORKFLOW = {
  nodes: [
    { id: 'go', type: 'SignalNode', config: { name: 'go' } },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ],
  edges: [edge('go.payload', 'out.value')],
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('10,000 parked runs', () => {
  let t: TestApp;
  let db: pg.Client;
  let seedId: string;
  let signalId: string;
  beforeAll(async () => {
    t = await createTestApp({ MAX_ACTIVE_RUNS_PER_GROUP: String(PARKED * 2), RATE_LIMIT_PER_MINUTE: '0' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    seedId = (await createWorkflow(t.http, SEED_DEFINITION)).id;
    signalId = (await createWorkflow(t.http, SIGNAL_WORKFLOW)).id;
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** Median milliseconds of sequential sync runs of the seed workflow. */
  const syncLatency = async () => {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const res = await t.http
        .post(`/v1/workflows/${seedId}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { 'User Question': 'q' } });
      expect(res.status).toBe(200);
      times.push(performance.now() - started);
    }
    return median(times);
  };
  const connections = async () =>
    Number((await db.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()`)).rows[0].count);

  it('hold no lease, timer or connection, and leave a sync run as fast as without them', async () => {
    await syncLatency(); // warm-up
    const before = await syncLatency();
    const connectionsBefore = await connections();
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

    let next = 0;
    const park = async () => {
      while (next < PARKED) {
        next++;
        const res = await t.http
          .post(`/v1/workflows/${signalId}/runs/sync`)
          .set('X-API-Key', ADMIN_KEY)
          .send({ input: {} });
        expect(res.status).toBe(202);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, park));
    const parked = await db.query(
      `SELECT count(*)::int AS waiting, count(lease_owner)::int AS leased FROM runs WHERE status = 'waiting'`,
    );
    expect(parked.rows[0]).toEqual({ waiting: PARKED, leased: 0 });
    expect(t.app.get(ExecutionService)['active'].size).toBe(0);

    const after = await syncLatency();
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    // Nothing per parked run: no lease renewal, no timer, no connection.
    expect(timersAfter).toBeLessThan(timersBefore + 20);
    expect(await connections()).toBeLessThanOrEqual(Math.max(connectionsBefore, 20));
    // As fast: within the noise of a shared machine, never a cost per parked run.
    expect(after).toBeLessThan(before * 2 + 5);

    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(new RegExp(`^runloom_runs_waiting ${PARKED}$`, 'm'));

    // They are live: signalled, they resume and complete.
    const some = (await db.query(`SELECT id FROM runs WHERE status = 'waiting' LIMIT 20`)).rows.map((row) => row.id);
    for (const id of some) {
      const sent = await t.http.post(`/v1/runs/${id}/signals/go`).set('X-API-Key', ADMIN_KEY).send({ payload: id });
      expect(sent.status).toBe(202);
    }
    await waitFor(async () => {
      const done = await db.query(
        `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status = 'completed'`,
        [some],
      );
      return done.rows[0].n === some.length || undefined;
    }, 30_000);
  }, 300_000);
});
