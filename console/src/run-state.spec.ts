import { describe, expect, it } from '@jest/globals';
import { applyEvent, EMPTY_RUN_STATE, nodeStatus, withNodeRuns, withWaitDetails, type RunState } from './run-state';
import type { StreamEvent } from './sse';
import type { NodeRun } from './types';

const event = (name: string, data: Record<string, unknown>, id = '1'): StreamEvent => ({ id, event: name, data });
const fold = (events: StreamEvent[], from: RunState = EMPTY_RUN_STATE) => events.reduce(applyEvent, from);
const nodeRun = (fields: Partial<NodeRun>): NodeRun => ({
  node_id: 'a',
  node_type: 'SignalNode',
  status: 'pending',
  inputs: null,
  outputs: null,
  error: null,
  attempt: 1,
  started_at: null,
  finished_at: null,
  duration_ms: null,
  attempts: [],
  waiting_until: null,
  signal: null,
  resume_url: null,
  reused_from: null,
  ...fields,
});
const APPROVAL_SCHEMA = { type: 'object', required: ['approved'] };

describe('run state', () => {
  it('follows a run through its events', () => {
    const state = fold([
      event('run.queued', { status: 'queued' }),
      event('run.started', { status: 'running' }),
      event('node.started', { node_id: 'llm', node_type: 'TextGenerationNode', inputs: { q: 'hi' } }),
      event('node.delta', { node_id: 'llm', text: 'Hel' }),
      event('node.delta', { node_id: 'llm', text: 'lo' }),
    ]);
    expect(state.status).toBe('running');
    expect(state.nodes.llm).toMatchObject({ status: 'running', inputs: { q: 'hi' }, streamed: 'Hello' });
    expect(nodeStatus(state, 'out')).toBe('queued');

    const done = fold(
      [
        event('node.completed', { node_id: 'llm', outputs: { text: 'Hello' }, duration_ms: 12 }),
        event('node.skipped', { node_id: 'other', reason: 'branch not taken' }),
        event('run.failed', { status: 'failed', error: { node_id: 'x', message: 'boom', type: 'node_error' } }),
      ],
      state,
    );
    expect(done.nodes.llm).toMatchObject({ status: 'completed', outputs: { text: 'Hello' }, durationMs: 12 });
    expect(done.nodes.other).toMatchObject({ status: 'skipped', skipReason: 'branch not taken' });
    expect(done.error).toEqual({ node_id: 'x', message: 'boom', type: 'node_error' });
    expect(nodeStatus(done, 'out')).toBe('not run');
  });

  it('starts the streamed text again when a node starts again (a resumed attempt)', () => {
    const state = fold([
      event('node.started', { node_id: 'llm' }),
      event('node.delta', { node_id: 'llm', text: 'first try' }),
      event('node.started', { node_id: 'llm' }),
      event('node.delta', { node_id: 'llm', text: 'again' }),
    ]);
    expect(state.nodes.llm.streamed).toBe('again');
  });

  it('takes node records as stored, keeping text already streamed', () => {
    const streamed = fold([event('node.delta', { node_id: 'a', text: 'tok' })]);
    const state = withNodeRuns(streamed, [nodeRun({ node_id: 'a', status: 'pending', attempt: 2 })]);
    expect(state.nodes.a).toMatchObject({ status: 'queued', attempt: 2, streamed: 'tok' });
  });

  it('shows a node a retry took over as reused, with the run it came from', () => {
    const state = withNodeRuns(EMPTY_RUN_STATE, [
      nodeRun({ node_id: 'fetch', status: 'reused', reused_from: 'source-run', outputs: { body: 'kept' } }),
      nodeRun({ node_id: 'answer', status: 'completed' }),
    ]);
    expect(state.nodes.fetch).toMatchObject({ status: 'reused', reusedFrom: 'source-run', outputs: { body: 'kept' } });
    expect(state.nodes.answer).toMatchObject({ status: 'completed', reusedFrom: null });
  });

  it('shows a parked run and its waiting SignalNode as live, keeping the schema only the node runs tell', () => {
    const read = withNodeRuns(EMPTY_RUN_STATE, [
      nodeRun({
        node_id: 'approval',
        status: 'waiting',
        signal: { name: 'approval', schema: APPROVAL_SCHEMA },
        resume_url: '/v1/resume/tok',
      }),
    ]);
    const state = fold(
      [
        event('run.started', { status: 'running' }),
        event('node.started', { node_id: 'approval', node_type: 'SignalNode' }),
        event('node.waiting', {
          node_id: 'approval',
          waiting_until: '2030-01-01T00:00:00.000Z',
          signal: 'approval',
          resume_url: '/v1/resume/tok',
        }),
        event('run.waiting', { status: 'waiting', waits: [{ node_id: 'approval' }] }),
      ],
      read,
    );
    expect(state.status).toBe('waiting');
    expect(state.nodes.approval).toMatchObject({
      status: 'waiting',
      waitingUntil: '2030-01-01T00:00:00.000Z',
      signal: { name: 'approval', schema: APPROVAL_SCHEMA },
      resumeUrl: '/v1/resume/tok',
    });
    expect(nodeStatus(state, 'answer')).toBe('queued');

    const resumed = fold([event('run.started', {}), event('node.started', { node_id: 'approval' })], state);
    expect(resumed).toMatchObject({ status: 'running', nodes: { approval: { status: 'running' } } });
  });

  it('adds what the node runs say of waits without taking back a status the events moved on', () => {
    const waited = fold([event('node.waiting', { node_id: 'approval', signal: 'approval' })]);
    expect(waited.nodes.approval.signal).toEqual({ name: 'approval' });
    const moved = fold([event('node.started', { node_id: 'approval' })], waited);
    const state = withWaitDetails(moved, [
      nodeRun({ node_id: 'approval', status: 'waiting', signal: { name: 'approval', schema: null } }),
      nodeRun({ node_id: 'other', status: 'completed' }),
    ]);
    expect(state.nodes.approval).toMatchObject({ status: 'running', signal: { name: 'approval', schema: null } });
    expect(state.nodes.other).toBeUndefined();
  });

  it("counts a node's executions under its retry policy, from the events and from the node runs", () => {
    const failure = { type: 'http_error', message: 'HTTP 503' };
    const retrying = fold([
      event('node.started', { node_id: 'fetch' }),
      event('node.retrying', { node_id: 'fetch', attempt: 1, next_attempt: 2, error: failure, delay_ms: 10 }),
    ]);
    expect(retrying.nodes.fetch).toMatchObject({
      status: 'running',
      nodeAttempt: 2,
      retryError: { node_id: 'fetch', ...failure },
    });
    const failed = fold(
      [event('node.failed', { node_id: 'fetch', error: { ...failure, node_id: 'fetch' }, attempts: 3 })],
      retrying,
    );
    expect(failed.nodes.fetch).toMatchObject({ status: 'failed', nodeAttempt: 3 });

    const read = withNodeRuns(EMPTY_RUN_STATE, [
      nodeRun({
        node_id: 'fetch',
        status: 'completed',
        attempts: [
          { attempt: 1, error: failure },
          { attempt: 2, error: null },
        ],
      }),
      nodeRun({ node_id: 'once', status: 'completed' }),
    ]);
    expect(read.nodes.fetch.nodeAttempt).toBe(2);
    expect(read.nodes.once.nodeAttempt).toBeUndefined();
  });
});
