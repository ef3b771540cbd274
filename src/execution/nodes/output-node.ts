import { defineNodeType, labelProperty } from './define-node-type.js';

export type OutputNodeConfig = { label?: string };

export const OutputNode = defineNodeType<OutputNodeConfig>({
  type: 'OutputNode',
  description:
    'A value of the run output: `output[label]`, or `output[node id]` when there is no label ' +
    '(always the node id with `use_output_ids`).',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      label: labelProperty('Key of this value in the run output; unique among OutputNodes. Defaults to the node id.'),
    },
  },
  catalogConfig: {},
  inputs: () => [{ name: 'value', required: true, description: 'the value to output' }],
  outputs: () => [],
  // The run output is assembled from this node's `value` input; the node itself produces nothing.
  execute: () => ({}),
});
