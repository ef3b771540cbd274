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

/** start → SignalNode `approval` → OutputNode `answer`: a run that waits for a signal. */
export const SIGNAL_WORKFLOW = {
  nodes: [
    { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
    { id: 'approval', type: 'SignalNode', config: { name: 'approval' } },
    { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
  ],
  edges: [
    { from: { node_id: 'start', output: 'value' }, to: { node_id: 'approval', input: 'value' } },
    { from: { node_id: 'approval', output: 'payload' }, to: { node_id: 'answer', input: 'value' } },
  ],
};

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

/**
 * x → b, y → d; b and d → joined → check (fails on "bad") → out. Pure nodes, so a sync run of it is
 * journaled; what a retry reuses is read off /nodes.
 */
export const CHECKED_WORKFLOW = {
  nodes: [
    { id: 'x', type: 'InputNode', config: { label: 'x' } },
    { id: 'y', type: 'InputNode', config: { label: 'y', default: 'Y' } },
    { id: 'b', type: 'TransformNode', config: { expression: "$ & '-b'" } },
    { id: 'd', type: 'TransformNode', config: { expression: "$ & '-d'" } },
    { id: 'joined', type: 'TextTemplateNode', config: { template: '((b))+((d))' } },
    { id: 'check', type: 'TransformNode', config: { expression: "$contains($, 'bad') ? $error('bad input') : $" } },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ],
  edges: [
    { from: { node_id: 'x', output: 'value' }, to: { node_id: 'b', input: 'data' } },
    { from: { node_id: 'y', output: 'value' }, to: { node_id: 'd', input: 'data' } },
    { from: { node_id: 'b', output: 'result' }, to: { node_id: 'joined', input: 'b' } },
    { from: { node_id: 'd', output: 'result' }, to: { node_id: 'joined', input: 'd' } },
    { from: { node_id: 'joined', output: 'text' }, to: { node_id: 'check', input: 'data' } },
    { from: { node_id: 'check', output: 'result' }, to: { node_id: 'out', input: 'value' } },
  ],
};

/** A CHECKED_WORKFLOW run retried with a new x: x and what depends on it run again, y and d are reused. */
export const CHECKED_RETRY_WITH_NEW_X = {
  x: 'completed',
  y: 'reused',
  b: 'completed',
  d: 'reused',
  joined: 'completed',
  check: 'completed',
  out: 'completed',
};
