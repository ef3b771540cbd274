import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import {
  createWorkflow,
  delayItemWorkflow,
  delayWorkflow,
  edge,
  SEED_DEFINITION,
  waitWorkflow,
} from './support/workflows.js';

interface Run {
  id: string;
  status: string;
  created_at: string;
  finished_at: string | null;
}

type Kind = 'queued' | 'running' | 'waiting' | 'completed';

const LIVE = ['queued', 'running', 'waiting'];

/**
 * An API-only instance: no worker takes queued runs, so they stay queued; a sync run is executed
 * here and answered 202 after SYNC_RUN_TIMEOUT_MS while it goes on (`running`), or at once when it
 * parks on a WaitNode (`waiting`).
 */
describe('POST /v1/runs/stop: stopping the runs that match filters', () => {
  let t: TestApp;
  let other: { groupId: string; key: string };
  const workflows: Record<string, Record<'delay' | 'slow' | 'wait' | 'seed', string>> = {};

  const post = (path: string, body: unknown, key = ADMIN_KEY) =>
    t.http
      .post(path)
      .set('X-API-Key', key)
      .send(body as object);
  const stop = async (body: object, key = ADMIN_KEY): Promise<number> => {
    const res = await post('/v1/runs/stop', body, key);
    expect(res.status).toBe(200);
    return res.body.stopped;
  };
  const read = async (id: string, key = ADMIN_KEY): Promise<Run> => {
    const res = await t.http.get(`/v1/runs/${id}`).set('X-API-Key', key);
    expect(res.status).toBe(200);
    return res.body;
  };
  const statuses = async (runs: Run[], key = ADMIN_KEY) =>
    Promise.all(runs.map(async (run) => (await read(run.id, key)).status));
  /** Waits until every run has stopped (the holder of a running run confirms within seconds). */
  const stopped = (runs: Run[], key = ADMIN_KEY) =>
    waitFor(
      async () => ((await statuses(runs, key)).every((status) => status === 'stopped') ? true : undefined),
      10_000,
    );

  /** A run of the given kind in the key's group, with `metadata`. */
  async function start(
    kind: Kind,
    metadata: Record<string, string> = {},
    key = ADMIN_KEY,
    workflow?: string,
  ): Promise<Run> {
    const own = workflows[key];
    const [path, workflowId, expected] = {
      queued: ['runs', own.delay, 202],
      running: ['runs/sync', own.delay, 202],
      waiting: ['runs/sync', own.wait, 202],
      completed: ['runs/sync', own.seed, 200],
    }[kind] as [string, string, number];
    const input = kind === 'completed' ? { 'User Question': 'done?' } : {};
    const res = await post(`/v1/workflows/${workflow ?? workflowId}/${path}`, { input, metadata }, key);
    expect(res.status).toBe(expected);
    expect(res.body.status).toBe(kind);
    return res.body;
  }

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'api', SYNC_RUN_TIMEOUT_MS: '300' });
    other = await newGroupWithKey(t.http, 'other tenant');
    for (const key of [ADMIN_KEY, other.key]) {
      workflows[key] = {
        delay: (await createWorkflow(t.http, delayWorkflow(60_000), { key })).id,
        slow: (await createWorkflow(t.http, delayWorkflow(60_000), { key })).id,
        wait: (await createWorkflow(t.http, waitWorkflow(3_600_000), { key })).id,
        seed: (await createWorkflow(t.http, SEED_DEFINITION, { key })).id,
      };
    }
  });
  afterAll(async () => {
    // Nothing left running for the shutdown to wait for.
    for (const key of [ADMIN_KEY, other.key]) await post('/v1/runs/stop', { status: LIVE }, key);
    await t.close();
  });

  it('stops the queued, running and waiting runs of the group that match, and nothing else; again, it stops none', async () => {
    const matching = [
      await start('queued', { batch: 'one' }),
      await start('running', { batch: 'one' }),
      await start('waiting', { batch: 'one' }),
    ];
    const finished = await start('completed', { batch: 'one' });
    const otherBatch = [await start('running', { batch: 'two' }), await start('queued', { batch: 'two' })];
    const otherGroup = [
      await start('queued', { batch: 'one' }, other.key),
      await start('running', { batch: 'one' }, other.key),
      await start('waiting', { batch: 'one' }, other.key),
    ];

    expect(await stop({ metadata: { batch: 'one' } })).toBe(3);
    await stopped(matching);
    const searched = await t.http.get('/v1/runs?metadata.batch=one&status=stopped').set('X-API-Key', ADMIN_KEY);
    expect(searched.body.items.map((run: Run) => run.id).sort()).toEqual(matching.map((run) => run.id).sort());
    expect(await read(finished.id)).toEqual(finished);
    expect(await statuses(otherBatch)).toEqual(['running', 'queued']);
    expect(await statuses(otherGroup, other.key)).toEqual(['queued', 'running', 'waiting']);

    const before = await Promise.all([...matching, finished, ...otherBatch].map((run) => read(run.id)));
    expect(await stop({ metadata: { batch: 'one' } })).toBe(0);
    expect(await Promise.all(before.map((run) => read(run.id)))).toEqual(before);
    expect(await statuses(otherGroup, other.key)).toEqual(['queued', 'running', 'waiting']);

    // The other group stops its own with the same filter.
    expect(await stop({ metadata: { batch: 'one' } }, other.key)).toBe(3);
    await stopped(otherGroup, other.key);
    expect(await statuses(otherBatch)).toEqual(['running', 'queued']);
    expect(await stop({ metadata: { batch: 'two' } })).toBe(2);
    await stopped(otherBatch);
  });

  it('selects by workflow_id, status and created_before/after, all given having to match', async () => {
    const own = workflows[ADMIN_KEY];
    const queuedDelay = await start('queued');
    const runningDelay = await start('running');
    const queuedSlow = await start('queued', {}, ADMIN_KEY, own.slow);
    const laterSlow = await start('queued', {}, ADMIN_KEY, own.slow);

    expect(await stop({ workflow_id: own.delay, status: ['queued'] })).toBe(1);
    await stopped([queuedDelay]);
    expect(await statuses([runningDelay, queuedSlow, laterSlow])).toEqual(['running', 'queued', 'queued']);

    expect(await stop({ workflow_id: own.slow, created_before: laterSlow.created_at })).toBe(1);
    await stopped([queuedSlow]);
    expect(await statuses([runningDelay, laterSlow])).toEqual(['running', 'queued']);

    // Finished statuses match nothing a stop could end.
    expect(await stop({ status: ['completed', 'failed', 'stopped'] })).toBe(0);
    expect(
      await stop({ workflow_id: own.slow, created_after: laterSlow.created_at, status: ['queued', 'completed'] }),
    ).toBe(1);
    expect(await stop({ workflow_id: own.delay, status: ['running'] })).toBe(1);
    await stopped([laterSlow, runningDelay]);
  });

  it('stops the child runs below a matching run, wherever they are', async () => {
    const item = await createWorkflow(t.http, delayItemWorkflow(60_000));
    const map = await createWorkflow(t.http, {
      nodes: [
        { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
        { id: 'each', type: 'MapNode', config: { workflow_id: item.id, concurrency: 3 } },
        { id: 'out', type: 'OutputNode', config: { label: 'results' } },
      ],
      edges: [edge('items.value', 'each.items'), edge('each.results', 'out.value')],
    });
    const parent = await post(`/v1/workflows/${map.id}/runs/sync`, {
      input: { items: [1, 2, 3] },
      metadata: { batch: 'tree' },
    });
    expect(parent.status).toBe(202);
    const children = await waitFor(async () => {
      const res = await t.http
        .get(`/v1/runs?parent_run_id=${parent.body.id}&status=running`)
        .set('X-API-Key', ADMIN_KEY);
      return res.body.items.length === 3 ? (res.body.items as Run[]) : undefined;
    }, 10_000);

    // Child runs carry no metadata: only the parent matches, and its tree stops with it.
    expect(await stop({ metadata: { batch: 'tree' } })).toBe(1);
    await stopped([parent.body, ...children]);
  });

  it('answers 422 for a stop without filters or with a bad one, stopping nothing', async () => {
    const live = await start('queued', { batch: 'kept' });
    const bad: [unknown, string][] = [
      [{}, 'body'],
      [{ metadata: {} }, 'body'],
      [{ status: [] }, 'status'],
      [{ status: ['done'] }, 'status'],
      [{ status: 'queued' }, 'status'],
      [{ workflow_id: 'nope' }, 'workflow_id'],
      [{ created_before: 'yesterday' }, 'created_before'],
      [{ created_after: '2026-12-03T10:00:00' }, 'created_after'],
      [{ metadata: { Batch: 'kept' } }, 'metadata'],
      [{ metadata: { batch: 1 } }, 'metadata'],
      [{ metadata: 'batch=kept' }, 'metadata'],
      [{ cursor: 'x', status: LIVE }, 'cursor'],
      [{ limit: 5, status: LIVE }, 'limit'],
      [{ group_id: other.groupId, status: LIVE }, 'group_id'],
      // Keys the framework would drop silently, widening the filter to every live run.
      [{ metadata: { constructor: 'x' }, status: LIVE }, 'metadata.constructor'],
      [{ metadata: { prototype: 'x' }, status: LIVE }, 'metadata.prototype'],
      [{ metadata: { toString: 'x' }, status: LIVE }, 'metadata.toString'],
      [JSON.parse('{"metadata":{"__proto__":"x"},"status":["queued"]}'), 'metadata.__proto__'],
    ];
    for (const [body, field] of bad) {
      const res = await post('/v1/runs/stop', body);
      expectProblem(res, 422, 'validation-error');
      const fields = [...new Set(res.body.errors.map((e: { field: string }) => e.field))];
      expect({ body, fields }).toEqual({ body, fields: [field] });
    }
    expect(await statuses([live])).toEqual(['queued']);
    expect(await stop({ metadata: { batch: 'kept' } })).toBe(1);
  });
});
