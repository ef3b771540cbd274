import { type ConfigProblem, NodeFailure } from '../node-type.js';
import { CONNECTOR_NAME } from '../template.js';
import { defineNodeType } from './define-node-type.js';

export type CodeNodeConfig = {
  code: string;
  inputs?: string[];
  timeout_ms?: number;
  memory_limit_mb?: number;
};

// Input names become variables in the code, so words JavaScript reserves cannot be used.
const RESERVED_WORDS = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export ' +
    'extends false finally for function if implements import in instanceof interface let new null ' +
    'package private protected public return static super switch this throw true try typeof var ' +
    'void while with yield arguments eval undefined NaN Infinity'
  ).split(' '),
);

export const CodeNode = defineNodeType<CodeNodeConfig>({
  type: 'CodeNode',
  description:
    'Runs JavaScript in a sandbox with no host access, under time and memory limits; ' +
    'the value the code returns is the output `result`.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['code'],
    properties: {
      code: {
        type: 'string',
        minLength: 1,
        maxLength: 100_000,
        description:
          'JavaScript function body; each input is a variable of the same name, and `return` gives the result.',
      },
      inputs: {
        type: 'array',
        maxItems: 100,
        items: { type: 'string', maxLength: 64 },
        default: [],
        description: 'Input names: unique JavaScript identifiers; each becomes a required input.',
      },
      timeout_ms: {
        type: 'integer',
        minimum: 1,
        maximum: 30_000,
        default: 1000,
        description: 'Fails the node when the code runs longer, in milliseconds.',
      },
      memory_limit_mb: {
        type: 'integer',
        minimum: 1,
        maximum: 256,
        default: 64,
        description: 'Fails the node when the code uses more memory, in MiB.',
      },
    },
  },
  catalogConfig: { code: 'return null;' },
  connectorsFromConfig: 'one required input per name in inputs',
  inputs: (config) => (config.inputs ?? []).map((name) => ({ name, required: true })),
  outputs: () => [{ name: 'result', description: 'the value the code returns' }],
  checkConfig(config) {
    const problems: ConfigProblem[] = [];
    const seen = new Set<string>();
    (config.inputs ?? []).forEach((name, index) => {
      const path = `inputs[${index}]`;
      if (!CONNECTOR_NAME.test(name)) {
        problems.push({ path, message: 'must be a letter or _ followed by letters, digits or _' });
      } else if (RESERVED_WORDS.has(name)) {
        problems.push({ path, message: `"${name}" is reserved in JavaScript` });
      } else if (seen.has(name)) {
        problems.push({ path, message: `duplicate input name "${name}"` });
      }
      seen.add(name);
    });
    return problems;
  },
  execute: async () => {
    throw new NodeFailure('CodeNode cannot run yet in this build', 'not_implemented');
  },
});
