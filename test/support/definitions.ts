/** Workflow definitions the tests and the benchmark share (no jest here: the benchmark loads it). */

/** An optional `start` input → a DelayNode of `ms` → the `done` output: a run that takes a while. */
export function delayWorkflow(ms: number) {
  return {
    nodes: [
      { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
      { id: 'wait', type: 'DelayNode', config: { ms } },
      { id: 'done', type: 'OutputNode', config: { label: 'done' } },
    ],
    edges: [
      { from: { node_id: 'start', output: 'value' }, to: { node_id: 'wait', input: 'value' } },
      { from: { node_id: 'wait', output: 'value' }, to: { node_id: 'done', input: 'value' } },
    ],
  };
}
