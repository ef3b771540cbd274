import { describe, expect, it } from '@jest/globals';
import { applyEvent, EMPTY_RUN_STATE, nodeStatus, withNodeRuns, type RunState } from './run-state';
import type { StreamEvent } from './sse';

const event = (name: string, data: Record<string, unknown>, id = '1'): StreamEvent => ({ id, event: name, data });
const fold = (events: StreamEvent[], from: RunState = EMPTY_RUN_STATE) => events.reduce(applyEvent, from);

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
    const state = withNodeRuns(streamed, [
      {
        node_id: 'a',
        node_type: 'TextGenerationNode',
        status: 'pending',
        inputs: null,
        outputs: null,
        error: null,
        attempt: 2,
        started_at: null,
        finished_at: null,
        duration_ms: null,
      },
    ]);
    expect(state.nodes.a).toMatchObject({ status: 'queued', attempt: 2, streamed: 'tok' });
  });
});
