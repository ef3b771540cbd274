import { describe, expect, it } from '@jest/globals';
import { call } from './support/api-call.js';
import { useServerProcesses } from './support/server-processes.js';
import { sleep, waitFor } from './support/wait.js';
import { edge } from './support/workflows.js';

/** start → WaitNode (duration_ms) → SignalNode? → OutputNode. */
function parkingWorkflow(durationMs: number, signal?: string) {
  const nodes: { id: string; type: string; config: Record<string, unknown> }[] = [
    { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
    { id: 'wait', type: 'WaitNode', config: { duration_ms: durationMs } },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ];
  if (!signal) return { nodes, edges: [edge('start.value', 'wait.value'), edge('wait.value', 'out.value')] };
  nodes.push({ id: 'approval', type: 'SignalNode', config: { name: signal } });
  return {
    nodes,
    edges: [
      edge('start.value', 'wait.value'),
      edge('wait.value', 'approval.value'),
      edge('approval.payload', 'out.value'),
    ],
  };
}

describe('durable waits across processes', () => {
  const suite = useServerProcesses();

  const statuses = async (ids: string[]) =>
    (await suite.db.query<{ status: string }>('SELECT status FROM runs WHERE id = ANY($1::uuid[])', [ids])).rows.map(
      (row) => row.status,
    );
  const allAre = (ids: string[], status: string, timeoutMs: number) =>
    waitFor(async () => ((await statuses(ids)).every((each) => each === status) ? true : undefined), timeoutMs);
  const queue = async (base: string, definition: unknown, count: number) => {
    const workflow = await call(base, 'POST', '/v1/workflows', { name: 'parks', definition });
    expect(workflow.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await call(base, 'POST', `/v1/workflows/${workflow.body.id}/runs`, { input: { start: i } });
      expect(created.status).toBe(202);
      ids.push(created.body.id);
    }
    return ids;
  };

  it('a parked run resumes on time after every instance was killed and another started', async () => {
    const first = await suite.start({ ROLE: 'all' });
    const [timed] = await queue(first.base, parkingWorkflow(2_000), 1);
    const [signalled] = await queue(first.base, parkingWorkflow(0, 'approval'), 1);
    await allAre([timed, signalled], 'waiting', 10_000);
    first.process.kill('SIGKILL');
    await first.exited;

    // Nobody is up when the wait's time comes.
    await sleep(2_500);
    expect(await statuses([timed, signalled])).toEqual(['waiting', 'waiting']);

    const second = await suite.start({ ROLE: 'all', LOG_LEVEL: 'info' });
    await allAre([timed], 'completed', 10_000);
    const nodes = await call(second.base, 'GET', `/v1/runs/${signalled}/nodes`);
    const link: string = nodes.body.items.find((node: { node_id: string }) => node.node_id === 'approval').resume_url;
    const sent = await fetch(`${second.base}${link}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ payload: 'late' }),
    });
    expect(sent.status).toBe(202);
    // The access log names the request, never the link's token.
    await waitFor(async () => (second.output().includes('/v1/resume/[redacted]') ? true : undefined), 5_000);
    expect(second.output()).not.toContain(link.split('/').at(-1));
    await allAre([signalled], 'completed', 10_000);
    const run = await call(second.base, 'GET', `/v1/runs/${signalled}`);
    expect(run.body.output).toEqual({ out: 'late' });
  }, 60_000);

  it('with two instances, each parked run resumes exactly once', async () => {
    const first = await suite.start({ ROLE: 'all' });
    const second = await suite.start({ ROLE: 'all' });
    const ids = await queue(first.base, parkingWorkflow(1_500, 'go'), 30);
    await allAre(ids, 'waiting', 20_000);
    // Every run is woken by its timer and by its signal, sent through both instances at once.
    const answers = await Promise.all(
      ids.flatMap((id, i) => [
        call(first.base, 'POST', `/v1/runs/${id}/signals/go`, { payload: i }),
        call(second.base, 'POST', `/v1/runs/${id}/signals/go`, { payload: i }),
      ]),
    );
    // The second of a run's two signals may come after the first completed it.
    for (let i = 0; i < ids.length; i++) {
      const [one, other] = answers.slice(2 * i, 2 * i + 2).map((answer) => answer.status);
      expect([one, other].sort()).toEqual(one === 202 && other === 202 ? [202, 202] : [202, 409]);
    }
    await allAre(ids, 'completed', 30_000);

    const events = await suite.db.query<{ run_id: string; type: string; node_id: string | null }>(
      `SELECT run_id, type, data->>'node_id' AS node_id FROM run_events WHERE run_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    for (const id of ids) {
      const mine = events.rows.filter((event) => event.run_id === id);
      const completions = (nodeId: string) =>
        mine.filter((event) => event.type === 'node.completed' && event.node_id === nodeId).length;
      expect([completions('wait'), completions('approval'), completions('out')]).toEqual([1, 1, 1]);
      expect(mine.filter((event) => event.type === 'run.completed')).toHaveLength(1);
      // Each park was resumed once: one start more than parks.
      const count = (type: string) => mine.filter((event) => event.type === type).length;
      expect(count('run.started')).toBe(count('run.waiting') + 1);
    }
    const taken = await suite.db.query(
      `SELECT run_id, count(*)::int AS taken FROM run_signals WHERE run_id = ANY($1::uuid[]) AND node_id IS NOT NULL GROUP BY run_id`,
      [ids],
    );
    expect(taken.rows.every((row) => row.taken === 1)).toBe(true);
  }, 90_000);
});
