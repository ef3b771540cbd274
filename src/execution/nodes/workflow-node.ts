import {
  childFailure,
  childRequest,
  childRunsOf,
  childWorkflowProperties,
  inputNamesProperty,
  type ChildWorkflowConfig,
} from './child-workflow.js';
import { defineNodeType } from './define-node-type.js';

const RESERVED_OUTPUTS = ['output', 'run_id', 'error'];

export type WorkflowNodeConfig = ChildWorkflowConfig & { inputs?: string[]; outputs?: string[] };

export const WorkflowNode = defineNodeType<WorkflowNodeConfig>({
  type: 'WorkflowNode',
  description:
    'Runs another workflow of the same group as a child run (listed and readable like any run, with ' +
    'parent_run_id set) and waits for it. Each input becomes the child run input of that name; the ' +
    "child's output is the `output` port, and each name in `outputs` is a port of its own. A child " +
    "that fails fails the node with the child's error type (the node's retry and on_error apply); " +
    'stopping the parent stops the child. Child runs nest at most 5 deep.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['workflow_id'],
    properties: {
      ...childWorkflowProperties,
      inputs: inputNamesProperty('Child run input keys; each is a required input of this node.'),
      outputs: inputNamesProperty('Child output keys (OutputNode labels); each becomes an output of this node.'),
    },
  },
  catalogConfig: { workflow_id: '00000000-0000-4000-8000-000000000000', inputs: ['text'], outputs: ['summary'] },
  connectorsFromConfig: 'one required input per name in inputs; outputs output, run_id and one per name in outputs',
  inputs: (config) => (config.inputs ?? []).map((name) => ({ name, required: true, description: 'child run input' })),
  outputs: (config) => [
    { name: 'output', description: "the child run's whole output" },
    { name: 'run_id', description: 'the child run id' },
    ...(config.outputs ?? []).map((name) => ({ name, description: `output["${name}"] of the child run` })),
  ],
  checkConfig: (config) =>
    (config.outputs ?? [])
      .map((name, index) => ({ name, index }))
      .filter(({ name }) => RESERVED_OUTPUTS.includes(name))
      .map(({ name, index }) => ({
        path: `outputs[${index}]`,
        message: `"${name}" is an output of every WorkflowNode`,
      })),
  hasExternalEffects: true,
  async execute(inputs, ctx) {
    const result = await childRunsOf(ctx).run(childRequest(ctx, inputs, null));
    if (result.status !== 'completed') throw childFailure(result);
    const output = result.output ?? {};
    const named = (ctx.config.outputs ?? []).filter((name) => Object.hasOwn(output, name));
    return { output, run_id: result.runId, ...Object.fromEntries(named.map((name) => [name, output[name]])) };
  },
});
