import { describe, expect, it } from '@jest/globals';
import { validateDefinition } from './definition-validator.js';
import { edge, node } from './test-definitions.js';

const withPolicy = (policy: Record<string, unknown>, edges = [edge('t.text', 'out.value')]) => ({
  nodes: [{ ...node('t', 'TextTemplateNode', { template: 'hi' }), ...policy }, node('out', 'OutputNode')],
  edges,
});

describe('validateDefinition: node policies', () => {
  it('accepts retry, timeout_ms and on_error next to config', () => {
    const policy = {
      retry: {
        max_attempts: 5,
        initial_interval_ms: 500,
        backoff_coefficient: 2,
        max_interval_ms: 10_000,
        non_retryable: ['x'],
      },
      timeout_ms: 30_000,
      on_error: 'continue',
    };
    expect(validateDefinition(withPolicy(policy))).toEqual([]);
    expect(validateDefinition(withPolicy({ on_error: 'default', default_outputs: { text: '' } }))).toEqual([]);
  });

  it('gives a node with on_error continue an error output, and only then', () => {
    const edges = [edge('t.error', 'out.value')];
    expect(validateDefinition(withPolicy({ on_error: 'continue' }, edges))).toEqual([]);
    expect(validateDefinition(withPolicy({}, edges))).toEqual([
      {
        field: 'definition.edges[0].from.output',
        message: 'node "t" (TextTemplateNode) has no output "error"; its outputs: text',
      },
    ]);
  });

  it('names every bad policy field', () => {
    const policy = {
      retry: { max_attempts: 0, backoff_coefficient: 0.5, initial_interval_ms: 5000, max_interval_ms: 100, extra: 1 },
      timeout_ms: 0,
      on_error: 'explode',
    };
    expect(validateDefinition(withPolicy(policy))).toEqual([
      { field: 'definition.nodes[0].retry.extra', message: expect.stringMatching(/^is not allowed/) },
      { field: 'definition.nodes[0].retry.max_attempts', message: 'must be >= 1' },
      { field: 'definition.nodes[0].retry.backoff_coefficient', message: 'must be >= 1' },
      { field: 'definition.nodes[0].timeout_ms', message: 'must be >= 1' },
      { field: 'definition.nodes[0].on_error', message: 'must be one of: fail, continue, default' },
    ]);
    expect(validateDefinition(withPolicy({ retry: { initial_interval_ms: 5000, max_interval_ms: 100 } }))).toEqual([
      { field: 'definition.nodes[0].retry.max_interval_ms', message: 'must not be less than initial_interval_ms' },
    ]);
  });

  it('requires default_outputs with on_error default, naming outputs the node has', () => {
    expect(validateDefinition(withPolicy({ on_error: 'default' }))).toEqual([
      { field: 'definition.nodes[0].default_outputs', message: 'is required with on_error "default"' },
    ]);
    expect(validateDefinition(withPolicy({ on_error: 'default', default_outputs: { nope: 1 } }))).toEqual([
      {
        field: 'definition.nodes[0].default_outputs.nope',
        message: 'is not an output of this node; its outputs: text',
      },
    ]);
    expect(validateDefinition(withPolicy({ default_outputs: { text: '' } }))).toEqual([
      { field: 'definition.nodes[0].default_outputs', message: 'is only used with on_error "default"' },
    ]);
  });
});
