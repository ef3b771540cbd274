import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition, NodeDefinition } from '../../execution/definition.js';
import type { LoadDefinition } from './child-workflow-references.js';
import { checkDescendantBound } from './descendant-bound.js';

const map = (id: string, workflowId: string, maxItems?: number): NodeDefinition => ({
  id,
  type: 'MapNode',
  config: { workflow_id: workflowId, ...(maxItems === undefined ? {} : { max_items: maxItems }) },
});
const sub = (id: string, workflowId: string): NodeDefinition => ({
  id,
  type: 'WorkflowNode',
  config: { workflow_id: workflowId },
});
const of = (...nodes: NodeDefinition[]): WorkflowDefinition => ({ nodes, edges: [] });

function store(entries: Record<string, WorkflowDefinition>): LoadDefinition {
  return async (id) => entries[id] ?? null;
}

describe('checkDescendantBound', () => {
  it('accepts a tree within the limit: items times (1 + what each child starts), summed over calls', async () => {
    // 10 × (1 + 9 × 1) + 1 × (1 + 0) = 101
    const load = store({ mid: of(map('inner', 'leaf', 9)), leaf: of() });
    const definition = of(map('outer', 'mid', 10), sub('once', 'leaf'));
    expect(await checkDescendantBound(definition, load, 101)).toEqual([]);
    expect(await checkDescendantBound(definition, load, 100)).toEqual([
      {
        field: 'definition.nodes[0].config.max_items',
        message:
          'one run can start up to 101 child runs, more than MAX_DESCENDANT_RUNS (100); most through ' +
          '"outer" (MapNode, 10 items) → workflow mid → "inner" (MapNode, 9 items) → workflow leaf: lower max_items along it',
      },
    ]);
  });

  it('counts a map without max_items at its default of 1000', async () => {
    const load = store({ mid: of(map('inner', 'leaf')), leaf: of() });
    const [problem] = await checkDescendantBound(of(map('outer', 'mid', 10)), load, 10_000);
    expect(problem.message).toContain('up to 10010 child runs');
  });

  it('names a WorkflowNode when the most runs come through it', async () => {
    const load = store({ wide: of(map('each', 'leaf', 50)), leaf: of() });
    const [problem] = await checkDescendantBound(of(map('few', 'leaf', 2), sub('call', 'wide')), load, 10);
    expect(problem.field).toBe('definition.nodes[1].config.workflow_id');
    expect(problem.message).toContain('"call" (WorkflowNode) → workflow wide → "each" (MapNode, 50 items)');
  });

  it('does not overflow on five nested maps of 10,000 items', async () => {
    const entries: Record<string, WorkflowDefinition> = { w5: of() };
    for (let level = 4; level >= 1; level--) entries[`w${level}`] = of(map(`m${level}`, `w${level + 1}`, 10_000));
    const [problem] = await checkDescendantBound(of(map('m0', 'w1', 10_000)), store(entries), 10_000);
    expect(problem.message).toMatch(/^one run can start up to 100010001000100000000 child runs/);
  });
});
