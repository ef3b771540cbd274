import { beforeAll, describe, expect, it } from '@jest/globals';
import { readEventStream } from './support/sse.js';
import { ADMIN_KEY } from './support/test-app.js';
import { useTestAppAndDatabase } from './support/test-app-and-database.js';
import { createWorkflow, edge } from './support/workflows.js';

const STEPS = 300;

/** Input → STEPS TransformNodes adding one each → Output: two events per node, over 600 in all. */
function longChain() {
  const steps = Array.from({ length: STEPS }, (_, i) => ({
    id: `t${i}`,
    type: 'TransformNode',
    config: { expression: '$ + 1' },
  }));
  return {
    nodes: [
      { id: 'in', type: 'InputNode', config: { label: 'n', type: 'int' } },
      ...steps,
      { id: 'out', type: 'OutputNode', config: { label: 'result' } },
    ],
    edges: [
      edge('in.value', 't0.data'),
      ...steps.slice(1).map((step, i) => edge(`t${i}.result`, `${step.id}.data`)),
      edge(`t${STEPS - 1}.result`, 'out.value'),
    ],
  };
}

describe('event streams longer than one page (500 events)', () => {
  const suite = useTestAppAndDatabase();
  let base: string;
  const auth = { 'X-API-Key': ADMIN_KEY };

  beforeAll(async () => {
    await suite.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(suite.t.app.getHttpServer().address() as { port: number }).port}`;
  });

  it('streams every event of the run in order, live and on resuming with Last-Event-ID', async () => {
    const workflow = await createWorkflow(suite.t.http, longChain());
    const created = await suite.t.http
      .post(`/v1/workflows/${workflow.id}/runs`)
      .set(auth)
      .send({ input: { n: 1 } });
    expect(created.status).toBe(202);
    const url = `${base}/v1/runs/${created.body.id}/events`;

    const live = await readEventStream(url, auth, 60_000);
    const stored = (
      await suite.db.query<{ id: string; type: string }>(
        'SELECT id, type FROM run_events WHERE run_id = $1 ORDER BY id',
        [created.body.id],
      )
    ).rows;
    expect(stored.length).toBeGreaterThan(2 * STEPS);
    expect(live.events.map((event) => [event.id, event.event])).toEqual(stored.map((row) => [row.id, row.type]));
    expect(live.events.at(-1)!.event).toBe('run.completed');
    const run = await suite.t.http.get(`/v1/runs/${created.body.id}`).set(auth);
    expect(run.body).toMatchObject({ status: 'completed', output: { result: 1 + STEPS } });

    const resumeAfter = 50;
    const resumed = await readEventStream(url, { ...auth, 'Last-Event-ID': stored[resumeAfter - 1].id }, 60_000);
    expect(resumed.events.length).toBeGreaterThan(500);
    expect(resumed.events.map((event) => event.id)).toEqual(stored.slice(resumeAfter).map((row) => row.id));
  }, 120_000);
});
