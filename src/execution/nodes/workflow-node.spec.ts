import { describe, expect, it } from '@jest/globals';
import type { ChildRunRequest, ChildRunResult } from '../node-services.js';
import { NodeFailure } from '../node-type.js';
import { testNodeContext } from './test-node-context.js';
import { WorkflowNode, type WorkflowNodeConfig } from './workflow-node.js';

const config: WorkflowNodeConfig = {
  workflow_id: 'AAAAAAAA-0000-4000-8000-000000000000',
  inputs: ['text'],
  outputs: ['summary', 'missing'],
};

function execute(result: ChildRunResult, requests: ChildRunRequest[] = []) {
  const childRuns = { run: async (request: ChildRunRequest) => (requests.push(request), result) };
  return WorkflowNode.execute({ text: 'hello' }, testNodeContext(config, { nodeId: 'call', services: { childRuns } }));
}

describe('WorkflowNode', () => {
  it('has an input per name in inputs, and output, run_id and an output per name in outputs', () => {
    expect(WorkflowNode.inputs(config).map((input) => input.name)).toEqual(['text']);
    expect(WorkflowNode.outputs(config).map((output) => output.name)).toEqual([
      'output',
      'run_id',
      'summary',
      'missing',
    ]);
    expect(WorkflowNode.checkConfig({ ...config, outputs: ['output'] })).toEqual([
      { path: 'outputs[0]', message: '"output" is an output of every WorkflowNode' },
    ]);
  });

  it("passes its inputs as the child's run input and the child's outputs out; an output the child lacks is not produced", async () => {
    const requests: ChildRunRequest[] = [];
    const outputs = await execute(
      { runId: 'r1', status: 'completed', output: { summary: 'hi', extra: 1 }, error: null },
      requests,
    );
    expect(outputs).toEqual({ output: { summary: 'hi', extra: 1 }, run_id: 'r1', summary: 'hi' });
    expect(requests[0]).toMatchObject({
      nodeId: 'call',
      attempt: 1,
      itemIndex: null,
      workflowId: 'aaaaaaaa-0000-4000-8000-000000000000',
      versionId: null,
      input: { text: 'hello' },
    });
  });

  it("fails with the child's error type, or child_run_stopped", async () => {
    const error = { node_id: 'n', message: 'boom', type: 'http_status' };
    await expect(execute({ runId: 'r2', status: 'failed', output: null, error })).rejects.toMatchObject({
      type: 'http_status',
      message: 'child run r2 failed at node "n": boom',
    });
    await expect(execute({ runId: 'r3', status: 'stopped', output: null, error: null })).rejects.toMatchObject({
      type: 'child_run_stopped',
    });
  });

  it('fails with child_input_invalid when its input does not fit the child (no child run)', async () => {
    const message = 'the child run cannot start: input.text must be an integer (type int), got a string';
    const refused = { node_id: null, message, type: 'child_input_invalid' } as const;
    await expect(execute({ runId: null, status: 'failed', output: null, error: refused })).rejects.toEqual(
      new NodeFailure(message, 'child_input_invalid'),
    );
  });
});
