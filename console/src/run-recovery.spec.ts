import { describe, expect, it } from '@jest/globals';
import { canRetry, CURRENT_DRAFT, recoveryBody, recoveryPath, type RecoveryChoices } from './run-recovery';

const DEFAULTS: RecoveryChoices = { definition: '', fromNodeIds: [], inputText: '', metadata: {} };
const VERSION = '5d2f8f3e-86a4-4c3a-9d0e-0c6f7f5a1b22';

describe('retry and replay requests', () => {
  it('send an empty body with the defaults: everything comes from the source run', () => {
    expect(recoveryBody('retry', DEFAULTS, {})).toEqual({});
    expect(recoveryBody('replay', DEFAULTS, {})).toEqual({});
    // The form starts from the source's metadata: unchanged, it is left to the API to keep.
    const kept = { customer: 'acme', tier: 'gold' };
    expect(recoveryBody('retry', { ...DEFAULTS, metadata: { tier: 'gold', customer: 'acme' } }, kept)).toEqual({});
  });

  it('send metadata that differs from the source’s, emptied metadata as {} (which clears it)', () => {
    const source = { customer: 'acme' };
    expect(recoveryBody('retry', { ...DEFAULTS, metadata: {} }, source)).toEqual({ metadata: {} });
    expect(recoveryBody('replay', { ...DEFAULTS, metadata: { customer: 'globex' } }, source)).toEqual({
      metadata: { customer: 'globex' },
    });
    expect(recoveryBody('replay', { ...DEFAULTS, metadata: { customer: 'acme', x: '1' } }, source)).toEqual({
      metadata: { customer: 'acme', x: '1' },
    });
  });

  it('name the current draft or a version, nodes to run again, input overrides and metadata', () => {
    const choices: RecoveryChoices = {
      definition: CURRENT_DRAFT,
      fromNodeIds: ['fetch', 'answer'],
      inputText: ' {"User Question": "again"} ',
      metadata: { customer: 'acme' },
    };
    expect(recoveryBody('retry', choices, {})).toEqual({
      definition: 'current_draft',
      from_node_ids: ['fetch', 'answer'],
      input: { 'User Question': 'again' },
      metadata: { customer: 'acme' },
    });
    expect(recoveryBody('replay', { ...choices, definition: VERSION }, {})).toEqual({
      workflow_version_id: VERSION,
      input: { 'User Question': 'again' },
      metadata: { customer: 'acme' },
    });
  });

  it('refuse input overrides that are no JSON object before sending anything', () => {
    expect(() => recoveryBody('retry', { ...DEFAULTS, inputText: '{' }, {})).toThrow('Input overrides: not valid JSON');
    expect(() => recoveryBody('replay', { ...DEFAULTS, inputText: '[1]' }, {})).toThrow('must be a JSON object');
    expect(() => recoveryBody('replay', { ...DEFAULTS, inputText: 'null' }, {})).toThrow('must be a JSON object');
  });

  it('retry failed and stopped runs only; post to the run’s retry or replay', () => {
    expect(
      ['queued', 'running', 'waiting', 'completed', 'failed', 'stopped'].filter((s) => canRetry(s as never)),
    ).toEqual(['failed', 'stopped']);
    expect(recoveryPath('retry', 'r1')).toBe('/v1/runs/r1/retry');
    expect(recoveryPath('replay', 'r1')).toBe('/v1/runs/r1/replay');
  });
});
