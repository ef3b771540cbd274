import { describe, expect, it } from '@jest/globals';
import { describeEvent, NodeTally } from './progress.js';
import { parseBlock } from './sse.js';

const event = (type: string, data: Record<string, unknown>) => ({
  id: '1',
  event: type,
  data: { run_id: '0123456789abcdef', timestamp: '2026-12-04T10:11:12.000Z', ...data },
});

describe('describeEvent', () => {
  it('says what happened to the node in one line', () => {
    expect(describeEvent(event('node.started', { node_id: 'prompt', node_type: 'TextTemplateNode' }))).toBe(
      '10:11:12 node.started   prompt (TextTemplateNode)',
    );
    expect(describeEvent(event('node.completed', { node_id: 'prompt', duration_ms: 4 }))).toBe(
      '10:11:12 node.completed prompt in 4 ms',
    );
    expect(describeEvent(event('node.failed', { node_id: 'boom', error: { message: 'no luck' } }))).toBe(
      '10:11:12 node.failed    boom: no luck',
    );
    expect(describeEvent(event('node.skipped', { node_id: 'b', reason: 'branch not taken' }))).toBe(
      '10:11:12 node.skipped   b (branch not taken)',
    );
    expect(describeEvent(event('run.completed', { status: 'completed' }))).toBe('10:11:12 run.completed');
  });

  it('tags the run when several share the stream, and prints nothing for token deltas', () => {
    expect(describeEvent(event('run.started', { status: 'running' }), { runTag: true })).toBe(
      '10:11:12 01234567 run.started',
    );
    expect(describeEvent(event('node.delta', { node_id: 'llm', text: 'tok' }))).toBeUndefined();
  });

  it('counts finished nodes against the total', () => {
    const tally = new NodeTally(3);
    expect(tally.record(event('node.started', { node_id: 'a' }))).toBe('[0/3] ');
    expect(tally.record(event('node.completed', { node_id: 'a' }))).toBe('[1/3] ');
    expect(tally.record(event('node.skipped', { node_id: 'b' }))).toBe('[2/3] ');
    expect(new NodeTally().record(event('node.completed', { node_id: 'a' }))).toBe('');
  });
});

describe('parseBlock', () => {
  it('reads id, event and JSON data, and skips comment blocks', () => {
    expect(parseBlock('id: 7\nevent: node.completed\ndata: {"node_id":"a"}')).toEqual({
      id: '7',
      event: 'node.completed',
      data: { node_id: 'a' },
    });
    expect(parseBlock(': heartbeat')).toBeUndefined();
  });
});
