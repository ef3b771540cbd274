import { userCodeSandbox } from '../node-services.js';
import { type ConfigProblem, NodeFailure } from '../node-type.js';
import { CONNECTOR_NAME } from '../template.js';
import { defineNodeType } from './define-node-type.js';

const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_MEMORY_LIMIT_MB = 64;

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
    'Runs JavaScript (ES2023, on QuickJS) in a sandbox with no host access: no require or import, ' +
    'process, network, filesystem, timers or console. `code` is a function body: each name in `inputs` ' +
    "is a variable holding that input's value, and the value the code returns (JSON-serialisable) is the " +
    'output `result`. The code runs synchronously (no await) in a fresh context every time. Fails with ' +
    '`code_timeout` past `timeout_ms`, `code_memory` past `memory_limit_mb`, `code_error` for a syntax error ' +
    'or an uncaught exception (message and line), and `code_result_invalid` when the result is not JSON ' +
    '(undefined, a function, a Promise, a cycle, more than 10 MiB).',
  example: {
    config: {
      code: 'const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);\nreturn { total, count: items.length };',
      inputs: ['items'],
      timeout_ms: 1000,
      memory_limit_mb: 64,
    },
    inputs: {
      items: [
        { price: 2.5, qty: 2 },
        { price: 1, qty: 3 },
      ],
    },
    outputs: { result: { total: 8, count: 2 } },
  },
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
          'JavaScript function body; each input is a variable of the same name, and the value it returns ' +
          '(JSON-serialisable) is the output `result`.',
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
        description: 'Fails the node (`code_timeout`) when the code runs longer, in milliseconds.',
      },
      memory_limit_mb: {
        type: 'integer',
        minimum: 1,
        maximum: 256,
        default: 64,
        description:
          "Fails the node (`code_memory`) when the code's heap needs more, in MiB (the sandbox's fixed base " +
          'of 16 MiB comes on top).',
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
  async execute(inputs, ctx) {
    const names = ctx.config.inputs ?? [];
    const outcome = await userCodeSandbox(ctx.services).run(
      {
        kind: 'code',
        code: ctx.config.code,
        inputNames: names,
        inputsJson: JSON.stringify(names.map((name) => inputs[name] ?? null)),
        timeoutMs: ctx.config.timeout_ms ?? DEFAULT_TIMEOUT_MS,
        memoryLimitBytes: (ctx.config.memory_limit_mb ?? DEFAULT_MEMORY_LIMIT_MB) * 1024 * 1024,
      },
      ctx.signal,
      ctx.groupId,
    );
    if (!outcome.ok) throw new NodeFailure(outcome.message, outcome.type);
    return { result: JSON.parse(outcome.resultJson) as unknown };
  },
});
