/** Save-time checks of a node's policy keys (`retry`, `timeout_ms`, `on_error`, `default_outputs`). */
import { ERROR_OUTPUT, NODE_POLICY_SCHEMA, nodePolicy, type NodePolicyKeys } from '../../execution/engine/index.js';
import type { NodeConnectors } from '../../execution/nodes/index.js';
import { compileSchema, reportedProblems } from './config-schema-problems.js';
import type { DefinitionProblem } from './definition-problem.js';
import { member } from './field-path.js';

const validatePolicy = compileSchema<NodePolicyKeys>(NODE_POLICY_SCHEMA);

/**
 * Problems with the node's policy keys; `connectors` (when the config is sound) are checked
 * against `default_outputs`. Returns the connectors as edges see them: with `on_error: continue`
 * the node also has an `error` output.
 */
export function checkNodePolicy(
  node: Record<string, unknown>,
  at: string,
  connectors: NodeConnectors | undefined,
  problems: DefinitionProblem[],
): NodeConnectors | undefined {
  if (!validatePolicy(node)) {
    problems.push(...reportedProblems(validatePolicy, node, at));
    return connectors;
  }
  const policy = nodePolicy(node);
  const retry = policy.retry;
  if (retry && retry.max_interval_ms < retry.initial_interval_ms) {
    problems.push({ field: `${at}.retry.max_interval_ms`, message: 'must not be less than initial_interval_ms' });
  }
  if (node.default_outputs !== undefined && policy.on_error !== 'default') {
    problems.push({ field: `${at}.default_outputs`, message: 'is only used with on_error "default"' });
  }
  if (policy.on_error === 'default' && node.default_outputs === undefined) {
    problems.push({ field: `${at}.default_outputs`, message: 'is required with on_error "default"' });
  }
  if (!connectors) return connectors;
  const outputs = new Set(connectors.outputs.map((output) => output.name));
  for (const key of Object.keys(policy.default_outputs)) {
    if (!outputs.has(key)) {
      problems.push({
        field: `${at}.default_outputs${member(key)}`,
        message: `is not an output of this node; its outputs: ${[...outputs].join(', ') || 'none'}`,
      });
    }
  }
  if (policy.on_error !== 'continue' || outputs.has(ERROR_OUTPUT)) return connectors;
  return {
    inputs: connectors.inputs,
    outputs: [
      ...connectors.outputs,
      { name: ERROR_OUTPUT, description: 'With on_error "continue": {type, message} of the failure.' },
    ],
  };
}
