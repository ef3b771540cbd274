import { describe, expect, it } from '@jest/globals';
import { FailNode } from './fail-node.js';
import { testNodeContext } from './test-node-context.js';

describe('FailNode', () => {
  it('has an optional `value` input plus a required input per placeholder, and no outputs', () => {
    const inputs = FailNode.inputs({ message: 'bad ((reason)) for ((id))' });
    expect(inputs.map((i) => [i.name, i.required])).toEqual([
      ['value', false],
      ['reason', true],
      ['id', true],
    ]);
    expect(FailNode.outputs({ message: 'x' })).toEqual([]);
  });

  it('makes `value` required when the message uses ((value))', () => {
    expect(FailNode.inputs({ message: 'got ((value))' }).map((i) => [i.name, i.required])).toEqual([['value', true]]);
  });

  it('fails with the rendered message and type fail_node', async () => {
    const ctx = testNodeContext({ message: 'order ((id)) rejected: ((why))' });
    await expect(FailNode.execute({ value: 1, id: 42, why: 'no stock' }, ctx)).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'fail_node',
      message: 'order 42 rejected: no stock',
    });
  });

  it('fails with a plain message when fed only by `value`', async () => {
    await expect(FailNode.execute({ value: 'x' }, testNodeContext({ message: 'stop here' }))).rejects.toMatchObject({
      type: 'fail_node',
      message: 'stop here',
    });
  });

  it('reports malformed placeholders under `message`', () => {
    expect(FailNode.checkConfig({ message: '((no way))' })).toEqual([
      { path: 'message', message: expect.stringContaining('invalid placeholder ((no way))') },
    ]);
  });
});
