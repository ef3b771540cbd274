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

/** An optional `in` input → a WaitNode of `durationMs`: a run that parks (`waiting`) at once. */
export function waitWorkflow(durationMs: number) {
  return {
    nodes: [
      { id: 'in', type: 'InputNode', config: { label: 'in', type: 'any', default: null } },
      { id: 'wait', type: 'WaitNode', config: { duration_ms: durationMs } },
    ],
    edges: [{ from: { node_id: 'in', output: 'value' }, to: { node_id: 'wait', input: 'value' } }],
  };
}

/** A MapNode's `item` → a DelayNode of `ms` → the `value` output: child runs that take a while. */
export function delayItemWorkflow(ms: number) {
  return {
    nodes: [
      { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
      { id: 'wait', type: 'DelayNode', config: { ms } },
      { id: 'out', type: 'OutputNode', config: { label: 'value' } },
    ],
    edges: [
      { from: { node_id: 'item', output: 'value' }, to: { node_id: 'wait', input: 'value' } },
      { from: { node_id: 'wait', output: 'value' }, to: { node_id: 'out', input: 'value' } },
    ],
  };
}

/** An optional `in` input → a FailNode: a run that fails with `message`. */
export function failWorkflow(message: string) {
  return {
    nodes: [
      { id: 'in', type: 'InputNode', config: { label: 'in', type: 'any', default: null } },
      { id: 'boom', type: 'FailNode', config: { message } },
    ],
    edges: [{ from: { node_id: 'in', output: 'value' }, to: { node_id: 'boom', input: 'value' } }],
  };
}
