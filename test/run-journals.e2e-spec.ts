import { beforeAll, describe, expect, it } from '@jest/globals';
import { journalNodeRuns } from '../src/database/run-journal.sql.js';
import { RunsRepository } from '../src/executor/runs.repository.js';
import { RunEventsRepository } from '../src/run-events/run-events.repository.js';
import { RetentionRepository } from '../src/runs/retention/retention.repository.js';
import { collectEvents, followEvents, readEventStream, type SseEvent } from './support/sse.js';
import { rowsOf, storedEvents, storedNodeRuns } from './support/stored-events.js';
import { ADMIN_KEY } from './support/test-app.js';
import { useTestAppAndDatabase } from './support/test-app-and-database.js';
import { waitFor } from './support/wait.js';
import {
  CHECKED_RETRY_WITH_NEW_X,
  CHECKED_WORKFLOW,
  createWorkflow,
  edge,
  SEED_DEFINITION,
} from './support/workflows.js';

const INPUT = { 'User Question': 'What is a DAG?', Context: 'graphs' };

/** in → 40 TransformNodes → out: over 64 events, more than a journal holds. */
function longChain(steps = 40) {
  const ids = Array.from({ length: steps }, (_, i) => `t${i}`);
  return {
    nodes: [
      { id: 'in', type: 'InputNode', config: { label: 'n', type: 'int' } },
      ...ids.map((id) => ({ id, type: 'TransformNode', config: { expression: '$ + 1' } })),
      { id: 'out', type: 'OutputNode', config: { label: 'result' } },
    ],
    edges: [
      edge('in.value', 't0.data'),
      ...ids.slice(1).map((id, i) => edge(`t${i}.result`, `${id}.data`)),
      edge(`t${steps - 1}.result`, 'out.value'),
    ],
  };
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * A value with what differs between two runs of the same input replaced, in place (key order
 * kept, so JSON.stringify of two normalised answers is equal only if their bytes were, but for these).
 */
function normalised(value: unknown, runIds: string[]): unknown {
  if (typeof value === 'string') {
    if (ISO.test(value)) return '<time>';
    return runIds.includes(value) ? '<run>' : value;
  }
  if (Array.isArray(value)) return value.map((item) => normalised(item, runIds));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        key === 'duration_ms' && typeof item === 'number' ? '<ms>' : normalised(item, runIds),
      ]),
    );
  }
  return value;
}

/** Events as SSE gave them, ids as their order in the stream. */
const shape = (events: SseEvent[], runIds: string[]) =>
  JSON.stringify(events.map((event) => ({ event: event.event, data: normalised(event.data, runIds) })));

describe('journaled runs: a pure run finished at once stored as one row', () => {
  const suite = useTestAppAndDatabase();
  const auth = { 'X-API-Key': ADMIN_KEY };
  let base: string;
  let seed: { id: string };
  const post = (path: string, body: object = {}) => suite.t.http.post(path).set(auth).send(body);
  const get = (path: string) => suite.t.http.get(path).set(auth);
  const sync = async (workflowId: string, body: object = { input: INPUT }) => {
    const res = await post(`/v1/workflows/${workflowId}/runs/sync`, body);
    expect(res.status).toBe(200);
    return res.body as { id: string; status: string };
  };
  /**
   * A sync run that was journaled: one that finished before the recorder's first flush (100 ms, or
   * a node of 20 ms), which a loaded machine may miss; such a run keeps its rows and is run again.
   */
  const journaledSync = async (workflowId: string, body: object = { input: INPUT }) => {
    for (let attempt = 1; ; attempt++) {
      const run = await sync(workflowId, body);
      if ((await journal(run.id)).journaled || attempt === 5) return run;
    }
  };
  const finishedAsync = async (workflowId: string, body: object = { input: INPUT }) => {
    const created = await post(`/v1/workflows/${workflowId}/runs`, body);
    expect(created.status).toBe(202);
    await waitFor(
      async () => (await get(`/v1/runs/${created.body.id}`)).body.status === 'completed' || undefined,
      15_000,
    );
    return created.body as { id: string };
  };
  /** An async run handed off to its instance and journaled: as journaledSync, run again if it missed the window. */
  const journaledAsync = async (workflowId: string) => {
    for (let attempt = 1; ; attempt++) {
      const run = await finishedAsync(workflowId);
      if ((await journal(run.id)).journaled || attempt === 5) return run;
    }
  };
  const journal = async (runId: string) =>
    (
      await suite.db.query<{ journaled: boolean; first: string | null }>(
        'SELECT journal IS NOT NULL AS journaled, journal_first_event_id AS first FROM runs WHERE id = $1',
        [runId],
      )
    ).rows[0];
  /** The stored events of a completed run of the seed workflow, checked to be in a run's order. */
  const completedRunEvents = async (runId: string) => {
    const events = await storedEvents(suite.db, runId);
    expect(events.map((event) => event.type)).toEqual([
      'run.queued',
      'run.started',
      ...events.slice(2, -1).map((event) => event.type),
      'run.completed',
    ]);
    expect(events.filter((event) => event.type === 'node.completed')).toHaveLength(4);
    return events;
  };
  const stream = (runId: string, lastEventId?: string) =>
    readEventStream(`${base}/v1/runs/${runId}/events`, lastEventId ? { ...auth, 'Last-Event-ID': lastEventId } : auth);

  beforeAll(async () => {
    await suite.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(suite.t.app.getHttpServer().address() as { port: number }).port}`;
    seed = await createWorkflow(suite.t.http, SEED_DEFINITION);
  });

  it('stores a sync run of pure nodes as one runs row, without node_runs or run_events rows', async () => {
    const run = await journaledSync(seed.id);
    expect(run.status).toBe('completed');
    expect(await rowsOf(suite.db, run.id)).toBe(0);
    expect(await journal(run.id)).toMatchObject({ journaled: true, first: expect.any(String) });
    const events = await completedRunEvents(run.id);
    // One block of ids: the first one's, then the next ones by one.
    const first = BigInt(events[0].id);
    expect(events.map((event) => BigInt(event.id) - first)).toEqual(events.map((_, i) => BigInt(i)));
    expect((await storedNodeRuns(suite.db, run.id)).map((node) => node.node_id)).toEqual([
      'answer',
      'context',
      'prompt',
      'question',
    ]);
  });

  it('stores an async run of pure nodes, handed off to its instance, as its row and its run.queued event', async () => {
    const run = await journaledAsync(seed.id);
    expect(await journal(run.id)).toMatchObject({ journaled: true, first: expect.any(String) });
    // run.queued was written with the run, before its 202; the rest went into the journal at its end.
    expect(await rowsOf(suite.db, run.id)).toBe(1);
    const events = await completedRunEvents(run.id);
    expect(events[1].data).toEqual({ status: 'running', attempt: 1 });
    expect(await storedNodeRuns(suite.db, run.id)).toHaveLength(4);
    const jobs = await suite.db.query(`SELECT FROM graphile_worker._private_jobs WHERE key = 'run:' || $1`, [run.id]);
    expect(jobs.rowCount).toBe(0);
    expect((await get(`/v1/runs/${run.id}`)).body).toMatchObject({
      status: 'completed',
      started_at: expect.any(String),
    });
  });

  it('keeps rows for runs that are not pure runs finishing at once', async () => {
    const debuggedAsync = await finishedAsync(seed.id, { input: INPUT, debugger: 'journal-async-session' });
    const debugged = await sync(seed.id, { input: INPUT, debugger: 'journal-session' });
    const long = await createWorkflow(suite.t.http, longChain());
    const longRun = await sync(long.id, { input: { n: 1 } });
    for (const id of [debuggedAsync.id, debugged.id, longRun.id]) {
      expect(await journal(id)).toEqual({ journaled: false, first: null });
      expect(await rowsOf(suite.db, id)).toBeGreaterThan(0);
    }
  });

  it('answers /nodes and its events as a run stored as rows does', async () => {
    const journaled = await journaledSync(seed.id);
    const rows = await sync(seed.id, { input: INPUT, debugger: 'journal-compare' });
    const queued = await finishedAsync(seed.id);
    expect(await rowsOf(suite.db, journaled.id)).toBe(0);
    const ids = [journaled.id, rows.id, queued.id];

    const nodes = async (id: string) => {
      const res = await get(`/v1/runs/${id}/nodes`);
      expect(res.status).toBe(200);
      // Listed by start time, which differs between runs: compared by node id (the next test keeps the order).
      (res.body.items as { node_id: string }[]).sort((a, b) => a.node_id.localeCompare(b.node_id));
      return JSON.stringify(normalised(res.body, ids));
    };
    expect(await nodes(journaled.id)).toEqual(await nodes(rows.id));
    expect(await nodes(journaled.id)).toEqual(await nodes(queued.id));

    const journaledEvents = (await stream(journaled.id)).events;
    expect(shape(journaledEvents, ids)).toEqual(shape((await stream(rows.id)).events, ids));
    expect(shape(journaledEvents, ids)).toEqual(shape((await stream(queued.id)).events, ids));
    expect(journaledEvents.map((event) => event.id)).toEqual(
      (await storedEvents(suite.db, journaled.id)).map((event) => event.id),
    );

    // Resuming after each event gives the rest, and after the last one the stream is over (204).
    for (const [index, event] of journaledEvents.entries()) {
      const resumed = await stream(journaled.id, event.id);
      if (index === journaledEvents.length - 1) {
        expect(resumed.status).toBe(204);
      } else {
        expect(resumed.events).toEqual(journaledEvents.slice(index + 1));
      }
    }
  });

  it('answers byte for byte the same once its journal is turned into rows', async () => {
    const run = await journaledSync(seed.id);
    const before = {
      nodes: (await get(`/v1/runs/${run.id}/nodes`)).text,
      events: await stream(run.id),
      resumed: await stream(run.id, (await storedEvents(suite.db, run.id))[4].id),
    };
    await suite.db.query(
      `INSERT INTO node_runs (id, run_id, node_id, node_type, status, inputs, outputs, error, attempt, started_at,
         finished_at, duration_ms, attempts)
       SELECT gen_random_uuid(), $1, n.node_id, n.node_type, n.status, n.inputs, n.outputs, n.error, n.attempt,
         n.started_at, n.finished_at, n.duration_ms, n.attempts
       FROM runs r, ${journalNodeRuns('r')} AS n WHERE r.id = $1`,
      [run.id],
    );
    for (const event of await storedEvents(suite.db, run.id)) {
      await suite.db.query('INSERT INTO run_events (id, run_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5)', [
        event.id,
        run.id,
        event.type,
        event.data,
        event.created_at,
      ]);
    }
    await suite.db.query('UPDATE runs SET journal = NULL, journal_first_event_id = NULL WHERE id = $1', [run.id]);
    expect(await rowsOf(suite.db, run.id)).toBeGreaterThan(0);
    expect((await get(`/v1/runs/${run.id}/nodes`)).text).toBe(before.nodes);
    expect(await stream(run.id)).toEqual(before.events);
    expect(await stream(run.id, before.events.events[4].id)).toEqual(before.resumed);
  });

  it('gives event ids that increase across journaled runs and runs with rows, and the latest one', async () => {
    const first = await journaledSync(seed.id);
    const second = await finishedAsync(seed.id);
    const third = await journaledSync(seed.id);
    const ids = [
      ...(await storedEvents(suite.db, first.id)),
      ...(await storedEvents(suite.db, second.id)),
      ...(await storedEvents(suite.db, third.id)),
    ].map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await suite.t.app.get(RunEventsRepository).latestEventId()).toBe(ids.at(-1));

    // A workflow's stream starts after the latest event, a journaled one's included.
    const workflow = await createWorkflow(suite.t.http, SEED_DEFINITION);
    await journaledSync(workflow.id);
    const live = followEvents(
      `${base}/v1/workflows/${workflow.id}/events`,
      auth,
      (events) => events.some((event) => event.event === 'run.completed'),
      15_000,
    );
    await live.attached;
    const next = await journaledSync(workflow.id);
    const { events } = await live.collected;
    expect(events.map((event) => event.data.run_id)).toEqual(events.map(() => next.id));
    expect(events.map((event) => event.id)).toEqual((await storedEvents(suite.db, next.id)).map((event) => event.id));

    // From 0, it replays the journaled runs' events with the rest, in id order.
    const all = await collectEvents(
      `${base}/v1/workflows/${seed.id}/events`,
      { ...auth, 'Last-Event-ID': '0' },
      (events) => events.some((event) => event.data.run_id === third.id && event.event === 'run.completed'),
      15_000,
    );
    const replayed = all.events.filter((event) => [first.id, second.id, third.id].includes(String(event.data.run_id)));
    expect(replayed.map((event) => BigInt(event.id))).toEqual(ids);
  });

  it('purges journaled runs, counting their node runs and events', async () => {
    const run = await journaledSync(seed.id);
    const events = (await storedEvents(suite.db, run.id)).length;
    await suite.db.query(`UPDATE runs SET finished_at = finished_at - interval '30 days' WHERE id = $1`, [run.id]);
    const purged = await suite.t.app
      .get(RetentionRepository)
      .purgeFinishedBefore(new Date(Date.now() - 7 * 24 * 3600_000), 100);
    expect(purged).toEqual({ runs: 1, node_runs: 4, run_events: events, callback_attempts: 0 });
    expect((await get(`/v1/runs/${run.id}`)).status).toBe(404);

    const deleted = await journaledSync(seed.id);
    expect((await suite.t.http.delete(`/v1/runs/${deleted.id}`).set(auth)).status).toBe(204);
    expect((await get(`/v1/runs/${deleted.id}/nodes`)).status).toBe(404);
  });

  it('retries a failed journaled run, taking over the nodes it completed', async () => {
    const workflow = await createWorkflow(suite.t.http, CHECKED_WORKFLOW);
    const failed = await journaledSync(workflow.id, { input: { x: 'bad' } });
    expect(failed.status).toBe('failed');
    expect(await rowsOf(suite.db, failed.id)).toBe(0);

    const retried = await post(`/v1/runs/${failed.id}/retry?mode=sync`, { input: { x: 'good' } });
    expect(retried.body).toMatchObject({ status: 'completed', output: { out: 'good-b+Y-d' }, retry_of: failed.id });
    const nodes = (await get(`/v1/runs/${retried.body.id}/nodes`)).body.items as {
      node_id: string;
      status: string;
      reused_from: string | null;
    }[];
    expect(Object.fromEntries(nodes.map((node) => [node.node_id, node.status]))).toEqual(CHECKED_RETRY_WITH_NEW_X);
    expect(nodes.find((node) => node.node_id === 'd')!.reused_from).toBe(failed.id);
  });

  it('takes handed-off runs that finish together in one statement, each with its own outcome', async () => {
    const { id: template } = await finishedAsync(seed.id);
    // Queued copies without a job: no worker or hand-off takes them but these takes.
    const copies = await suite.db.query<{ id: string }>(
      `INSERT INTO runs (id, group_id, workflow_id, definition, mode, input, status)
       SELECT gen_random_uuid(), group_id, workflow_id, definition, 'async', input, 'queued'
       FROM runs, generate_series(1, 8) WHERE runs.id = $1 RETURNING id`,
      [template],
    );
    const [first, answered, nullOutput, stopped, followed, lead, alongside, refused] = copies.rows.map((row) => row.id);
    await suite.db.query(`UPDATE runs SET status = 'stopped', finished_at = now() WHERE id = $1`, [stopped]);
    await suite.db.query('UPDATE runs SET followed = true WHERE id = $1', [followed]);
    const journal = JSON.stringify({ nodes: [], events: [] });
    const take = (runId: string, output: unknown) =>
      suite.t.app
        .get(RunsRepository)
        .takeFinished(runId, journal, {
          status: 'completed',
          progress: 100,
          output,
          error: undefined,
          startedAt: new Date('2026-12-05T10:00:00.000Z'),
          finishedAt: new Date('2026-12-05T10:00:00.250Z'),
        })
        .catch((error: Error) => error.message);
    // The first goes at once; the others wait for it and go together.
    expect(
      await Promise.all([
        take(first, { n: 0 }),
        take(answered, { n: 1 }),
        take(nullOutput, null),
        take(stopped, { n: 3 }),
        take(followed, { n: 4 }),
      ]),
    ).toEqual(['taken', 'taken', 'taken', 'gone', 'followed']);
    // A batch refused (jsonb stores no NUL) is written again run by run: only the refused run fails.
    const outcomes = await Promise.all([take(lead, { n: 5 }), take(alongside, { n: 6 }), take(refused, 'nul \u0000')]);
    expect(outcomes.slice(0, 2)).toEqual(['taken', 'taken']);
    expect(outcomes[2]).toMatch(/unsupported Unicode escape sequence/);
    const rows = await suite.db.query<{ id: string; status: string; output: string | null; attempt: number }>(
      `SELECT id, status, output::text, attempt, journal IS NOT NULL AS journaled, started_at, finished_at
       FROM runs WHERE id = ANY($1::uuid[])`,
      [copies.rows.map((row) => row.id)],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    expect(byId.get(answered)).toMatchObject({
      status: 'completed',
      output: '{"n": 1}',
      attempt: 1,
      journaled: true,
      started_at: new Date('2026-12-05T10:00:00.000Z'),
      finished_at: new Date('2026-12-05T10:00:00.250Z'),
    });
    // JSON null stays JSON null, as a single write stored it.
    expect(byId.get(nullOutput)).toMatchObject({ status: 'completed', output: 'null' });
    expect(byId.get(stopped)).toMatchObject({ status: 'stopped', attempt: 0 });
    expect(byId.get(alongside)).toMatchObject({ status: 'completed', output: '{"n": 6}' });
    for (const untouched of [followed, refused]) {
      expect(byId.get(untouched)).toMatchObject({ status: 'queued', output: null, attempt: 0, journaled: false });
    }
  });
});
