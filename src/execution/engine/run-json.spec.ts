import { describe, expect, it } from '@jest/globals';
import { nodeAttemptsFromJson, nodeIdsFromJson, runErrorFromJson } from './run-json.js';

describe("decoding a run's stored values", () => {
  it("gives back a node's error, the run's own error (node_id null), or null", () => {
    const nodeError = { node_id: 'a', type: 'node_error', message: 'boom' };
    const runError = { node_id: null, type: 'attempts_exhausted', message: 'gave up' };
    expect(runErrorFromJson(nodeError)).toBe(nodeError);
    expect(runErrorFromJson(runError)).toBe(runError);
    expect(runErrorFromJson(null)).toBeNull();
  });

  it.each([{ type: 'node_error', message: 'no node_id' }, { node_id: 'a', type: 1, message: 'x' }, 'boom'])(
    'refuses the run error %j',
    (stored) => {
      expect(() => runErrorFromJson(stored)).toThrow('not a run error');
    },
  );

  it('gives back node attempts, and refuses what is not a list', () => {
    const attempts = [
      {
        attempt: 1,
        started_at: '2025-01-01T00:00:00Z',
        finished_at: '2025-01-01T00:00:01Z',
        duration_ms: 1000,
        error: null,
      },
    ];
    expect(nodeAttemptsFromJson(attempts)).toBe(attempts);
    expect(() => nodeAttemptsFromJson({ attempt: 1 })).toThrow('not node attempts');
  });

  it('gives back node ids or null, and refuses a list with anything but strings', () => {
    expect(nodeIdsFromJson(['a', 'b'])).toEqual(['a', 'b']);
    expect(nodeIdsFromJson(null)).toBeNull();
    expect(() => nodeIdsFromJson(['a', 1])).toThrow('not node ids');
    expect(() => nodeIdsFromJson('a')).toThrow('not node ids');
  });
});
