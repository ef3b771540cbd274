import { describe, expect, it } from '@jest/globals';
import { applyEvent, EMPTY_RUN_STATE, withNodeRuns, type RunState } from '../run-state';
import type { StreamEvent } from '../sse';
import type { Definition, NodeRun } from '../types';
import { maxAttempts } from '../run-info';
import { testRunInfo } from './run-info';
import { fromHere, plannedNodeIds, testRunBody, WHOLE_WORKFLOW } from './run-target';

const SEED: Definition = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    { id: 'context', type: 'InputNode', config: { label: 'Context', type: 'str', default: '' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: '((question)) — ((context))' } },
    { id: 'fetch', type: 'HttpRequestNode', config: {}, retry: { max_attempts: 4 } },
    { id: 'answer', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'question' } },
    { from: { node_id: 'context', output: 'value' }, to: { node_id: 'prompt', input: 'context' } },
    { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'fetch', input: 'body' } },
    { from: { node_id: 'fetch', output: 'body' }, to: { node_id: 'answer', input: 'value' } },
  ],
};

let sequence = 0;
const event = (name: string, data: Record<string, unknown>): StreamEvent => ({
  id: String(++sequence),
  event: name,
  data: { run_id: 'run-1', ...data },
});
const fold = (events: StreamEvent[], from: RunState = EMPTY_RUN_STATE) => events.reduce(applyEvent, from);
const failure = { type: 'http_error', message: 'HTTP 503 from upstream' };

describe('a test run drawn on the canvas', () => {
  it('shows each node live: inputs, streamed text, outputs, and queued for those not started', () => {
    const state = fold([
      event('run.started', {}),
      event('node.started', { node_id: 'question', inputs: {} }),
      event('node.completed', { node_id: 'question', outputs: { value: 'What is a DAG?' }, duration_ms: 1 }),
      event('node.started', { node_id: 'prompt', inputs: { question: 'What is a DAG?', context: '' } }),
      event('node.delta', { node_id: 'prompt', text: 'What is' }),
      event('node.delta', { node_id: 'prompt', text: ' a DAG?' }),
    ]);
    const info = testRunInfo(SEED, state, WHOLE_WORKFLOW);
    expect(info.question).toMatchObject({ status: 'completed', outputs: { value: 'What is a DAG?' } });
    expect(info.prompt).toMatchObject({
      status: 'running',
      inputs: { question: 'What is a DAG?', context: '' },
      streamed: 'What is a DAG?',
    });
    expect(info.prompt.outputs).toBeUndefined();
    expect(info.answer).toEqual(expect.objectContaining({ status: 'queued' }));
    expect(info.answer.attempt).toBeUndefined();
    // A node with a retry policy counts its attempts from the first.
    expect(info.fetch.attempt).toEqual({ number: 1, of: 4 });
  });

  it('shows a retrying node as attempt n of m with the last error, then the final error and attempts', () => {
    const retrying = fold([
      event('node.started', { node_id: 'fetch', inputs: { body: 'x' } }),
      event('node.retrying', { node_id: 'fetch', attempt: 1, next_attempt: 2, error: failure, delay_ms: 5 }),
    ]);
    expect(testRunInfo(SEED, retrying, WHOLE_WORKFLOW).fetch).toMatchObject({
      status: 'running',
      attempt: { number: 2, of: 4 },
      error: 'http_error: HTTP 503 from upstream',
    });

    const failed = fold(
      [
        event('node.retrying', { node_id: 'fetch', attempt: 2, next_attempt: 3, error: failure, delay_ms: 5 }),
        event('node.retrying', { node_id: 'fetch', attempt: 3, next_attempt: 4, error: failure, delay_ms: 5 }),
        event('node.failed', { node_id: 'fetch', error: { node_id: 'fetch', ...failure }, attempts: 4 }),
        event('run.failed', { error: { node_id: 'fetch', ...failure } }),
      ],
      retrying,
    );
    const info = testRunInfo(SEED, failed, WHOLE_WORKFLOW);
    expect(info.fetch).toMatchObject({
      status: 'failed',
      attempt: { number: 4, of: 4 },
      error: 'http_error: HTTP 503 from upstream',
    });
    expect(info.answer.status).toBe('not run');
  });

  it('takes the stored node runs at the end, with the full values and attempts', () => {
    const nodeRun = (fields: Partial<NodeRun>): NodeRun => ({
      node_id: 'fetch',
      node_type: 'HttpRequestNode',
      status: 'completed',
      inputs: { body: 'x' },
      outputs: { body: 'ok' },
      error: null,
      attempt: 1,
      started_at: null,
      finished_at: null,
      duration_ms: 3,
      attempts: [
        { attempt: 1, error: failure },
        { attempt: 2, error: null },
      ],
      waiting_until: null,
      signal: null,
      resume_url: null,
      reused_from: null,
      ...fields,
    });
    const info = testRunInfo(SEED, withNodeRuns(EMPTY_RUN_STATE, [nodeRun({})]), WHOLE_WORKFLOW);
    expect(info.fetch).toMatchObject({ status: 'completed', outputs: { body: 'ok' }, attempt: { number: 2, of: 4 } });
    // A completed node shows no error even though an earlier attempt failed.
    expect(info.fetch.error).toBeUndefined();
  });

  it('draws only the nodes a single-node or node_ids run executes', () => {
    const single = testRunInfo(SEED, EMPTY_RUN_STATE, { kind: 'single', nodeId: 'prompt' });
    expect(Object.keys(single)).toEqual(['prompt']);
    const upTo = testRunInfo(SEED, EMPTY_RUN_STATE, { kind: 'nodes', nodeIds: ['prompt'], title: 'up to prompt' });
    expect(Object.keys(upTo)).toEqual(['question', 'context', 'prompt']);
  });
});

describe('what a test run runs', () => {
  it('lists a node and everything downstream for "run from here", in the definition order', () => {
    expect(fromHere(SEED, 'prompt')).toEqual(['prompt', 'fetch', 'answer']);
    expect(fromHere(SEED, 'answer')).toEqual(['answer']);
  });

  it('plans node_ids with everything upstream of them', () => {
    expect([...plannedNodeIds(SEED, { kind: 'nodes', nodeIds: ['fetch'], title: '' })].sort()).toEqual([
      'context',
      'fetch',
      'prompt',
      'question',
    ]);
  });

  it('builds the run body for each kind of run, always in its debugger session', () => {
    expect(testRunBody(WHOLE_WORKFLOW, { a: 1 }, 'editor-1', undefined)).toEqual({
      input: { a: 1 },
      debugger: 'editor-1',
    });
    expect(testRunBody({ kind: 'single', nodeId: 'prompt' }, { question: 'q' }, 's', 'v1')).toEqual({
      input: { question: 'q' },
      debugger: 's',
      workflow_version_id: 'v1',
      single_node_id: 'prompt',
    });
    expect(testRunBody({ kind: 'nodes', nodeIds: ['a', 'b'], title: '' }, {}, 's', undefined)).toEqual({
      input: {},
      debugger: 's',
      node_ids: ['a', 'b'],
    });
  });

  it('knows how many attempts a node gets', () => {
    expect(maxAttempts({ id: 'a', type: 'X' })).toBe(1);
    expect(maxAttempts({ id: 'a', type: 'X', retry: {} })).toBe(3);
    expect(maxAttempts({ id: 'a', type: 'X', retry: { max_attempts: 5 } })).toBe(5);
  });
});
