import { describe, expect, it } from '@jest/globals';
import { planRun, type PlanResult, type RunPlan } from './run-plan.js';
import { registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

const registry = registryWith(new StepRecorder());

// a -> b -> c, and d -> c; e hangs off b.
const graph = workflow(
  {
    a: step(),
    b: step({ inputs: ['in'] }),
    c: step({ inputs: ['x', 'y'] }),
    d: step(),
    e: step({ inputs: ['in'] }),
  },
  ['a.out -> b.in', 'b.out -> c.x', 'd.out -> c.y', 'b.out -> e.in'],
);

function planOf(result: PlanResult): RunPlan {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

describe('planRun', () => {
  it('plans every node by default, in definition order, with edges indexed', () => {
    const plan = planOf(planRun(graph, registry));
    expect([...plan.nodes.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.nodes.get('c')!.incoming.map((edge) => edge.from.node_id)).toEqual(['b', 'd']);
    expect(plan.nodes.get('b')!.outgoing.map((edge) => edge.to.node_id)).toEqual(['c', 'e']);
    expect(plan.requestedNodeIds).toBeNull();
    expect(plan.singleNodeId).toBeNull();
  });

  it('with node_ids plans those nodes and everything upstream, nothing downstream', () => {
    const plan = planOf(planRun(graph, registry, { nodeIds: ['b'] }));
    expect([...plan.nodes.keys()]).toEqual(['a', 'b']);
    // The edges to c and e lead out of the selection, so they are not part of the run.
    expect(plan.nodes.get('b')!.outgoing).toEqual([]);
    expect(plan.requestedNodeIds).toEqual(['b']);
  });

  it('with several node_ids takes the union of their upstreams and drops duplicates', () => {
    const plan = planOf(planRun(graph, registry, { nodeIds: ['c', 'e', 'c'] }));
    expect([...plan.nodes.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.requestedNodeIds).toEqual(['c', 'e']);
  });

  it('with single_node_id plans that node alone, ignoring its edges and unconnected inputs', () => {
    const plan = planOf(planRun(graph, registry, { singleNodeId: 'c' }));
    expect([...plan.nodes.keys()]).toEqual(['c']);
    expect(plan.nodes.get('c')!.incoming).toEqual([]);
    expect(plan.singleNodeId).toBe('c');
  });

  it('reports every unknown id in node_ids by index', () => {
    expect(planRun(graph, registry, { nodeIds: ['a', 'x', 'y'] })).toEqual({
      ok: false,
      problems: [
        { field: 'node_ids[1]', message: 'unknown node id "x"' },
        { field: 'node_ids[2]', message: 'unknown node id "y"' },
      ],
    });
  });

  it('reports an unknown single_node_id', () => {
    expect(planRun(graph, registry, { singleNodeId: 'nope' })).toEqual({
      ok: false,
      problems: [{ field: 'single_node_id', message: 'unknown node id "nope"' }],
    });
  });

  it('refuses node_ids together with single_node_id, and an empty node_ids', () => {
    const both = planRun(graph, registry, { nodeIds: ['a'], singleNodeId: 'b' });
    expect(both).toEqual({
      ok: false,
      problems: [{ field: 'single_node_id', message: 'cannot be combined with node_ids' }],
    });
    const empty = planRun(graph, registry, { nodeIds: [] });
    expect(empty.ok).toBe(false);
    expect(!empty.ok && empty.problems[0].field).toBe('node_ids');
  });

  it('treats null selections as absent', () => {
    expect(planOf(planRun(graph, registry, { nodeIds: null, singleNodeId: null })).nodes.size).toBe(5);
  });

  it('reports a required input left unconnected, only for nodes that would run', () => {
    const partial = workflow({ a: step(), b: step({ inputs: ['in', 'extra'] }), lone: step({ inputs: ['in'] }) }, [
      'a.out -> b.in',
    ]);
    expect(planRun(partial, registry)).toEqual({
      ok: false,
      problems: [
        { field: 'definition.nodes[1]', message: 'required input "extra" of node "b" is not connected' },
        { field: 'definition.nodes[2]', message: 'required input "in" of node "lone" is not connected' },
      ],
    });
    // b and lone do not run when only a is asked for.
    expect(planRun(partial, registry, { nodeIds: ['a'] }).ok).toBe(true);
  });

  it('does not require optional inputs to be connected', () => {
    const optional = workflow({ a: step({ optionalInputs: ['maybe'] }) });
    expect(planRun(optional, registry).ok).toBe(true);
  });

  it('reports a node type the registry does not know', () => {
    const unknown = workflow({ a: step(), b: { type: 'Mystery' } });
    expect(planRun(unknown, registry)).toEqual({
      ok: false,
      problems: [{ field: 'definition.nodes[1].type', message: 'unknown node type "Mystery" of node "b"' }],
    });
  });
});
