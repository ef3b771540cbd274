import type TestAgent from 'supertest/lib/agent.js';
import { expect } from '@jest/globals';
import { SEED_DEFINITION } from '../../examples/seed-workflow.js';
import { ADMIN_KEY } from './test-app.js';

export { SEED_DEFINITION };
export {
  CHECKED_RETRY_WITH_NEW_X,
  CHECKED_WORKFLOW,
  delayItemWorkflow,
  delayWorkflow,
  failWorkflow,
  SIGNAL_WORKFLOW,
  waitWorkflow,
} from './definitions.js';

/** Creates a workflow with the admin key (in its default group unless `groupId` is given). */
export async function createWorkflow(
  http: TestAgent,
  definition: unknown = SEED_DEFINITION,
  options: { key?: string; groupId?: string; name?: string } = {},
): Promise<{ id: string; revision: number }> {
  const res = await http
    .post(`/v1/workflows${options.groupId ? `?group_id=${options.groupId}` : ''}`)
    .set('X-API-Key', options.key ?? ADMIN_KEY)
    .send({ name: options.name ?? 'test workflow', definition });
  expect(res.status).toBe(201);
  return res.body;
}

/** `edge('a.out', 'b.in')`: an edge from output `out` of node `a` to input `in` of node `b`. */
export function edge(from: string, to: string) {
  const [fromNode, output] = from.split('.');
  const [toNode, input] = to.split('.');
  return { from: { node_id: fromNode, output }, to: { node_id: toNode, input } };
}
