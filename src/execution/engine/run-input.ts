import { nodeLabel, type NodeDefinition } from '../definition.js';
import { inputTypeMismatch, matchesInputType, type InputValueType } from '../input-value-type.js';
import { INPUT_NODE_TYPE, type PlannedNode, type RunPlan, type RunProblem } from './run-plan.js';

/** The run input, checked and split up for the nodes that will run. */
export interface ResolvedRunInput {
  /** Value per InputNode that will run, by node id, default applied (becomes its `ctx.runInput`). */
  inputNodeValues: Map<string, unknown>;
  /** For a single-node run (of anything but an InputNode): the node's inputs by connector name. */
  connectorValues: Record<string, unknown> | null;
}

export type RunInputResult = { ok: true; input: ResolvedRunInput } | { ok: false; problems: RunProblem[] };

export function resolveRunInput(plan: RunPlan, input: unknown): RunInputResult {
  if (!isPlainObject(input)) {
    return { ok: false, problems: [{ field: 'input', message: `must be an object, got ${describeValue(input)}` }] };
  }
  const single = plan.singleNodeId === null ? null : plan.nodes.get(plan.singleNodeId)!;
  // An InputNode has no input connectors, so even alone it takes its value the usual way.
  if (single && single.type !== INPUT_NODE_TYPE) return resolveConnectorValues(single, input);
  return resolveInputNodeValues(plan, input);
}

function resolveInputNodeValues(plan: RunPlan, input: Record<string, unknown>): RunInputResult {
  const inputNodes = plan.definition.nodes.filter((node) => node.type === INPUT_NODE_TYPE);
  const problems: RunProblem[] = [];
  const given = new Map<string, { key: string; value: unknown }>();

  for (const [key, value] of Object.entries(input)) {
    const node =
      inputNodes.find((candidate) => nodeLabel(candidate) === key) ??
      inputNodes.find((candidate) => candidate.id === key);
    if (!node) {
      problems.push({ field: `input.${key}`, message: `unknown input "${key}"; valid keys: ${validKeys(inputNodes)}` });
      continue;
    }
    const earlier = given.get(node.id);
    if (earlier) {
      problems.push({
        field: `input.${key}`,
        message: `input "${nodeLabel(node)}" is given twice (as "${earlier.key}" and "${key}")`,
      });
      continue;
    }
    given.set(node.id, { key, value });
  }

  const inputNodeValues = new Map<string, unknown>();
  // Only the InputNodes that will run need a value: a node_ids run may leave some out.
  for (const node of inputNodes) {
    if (!plan.nodes.has(node.id)) continue;
    const config = node.config ?? {};
    const type = (config.type ?? 'str') as InputValueType;
    const entry = given.get(node.id);
    if (entry === undefined || entry.value === undefined) {
      if ('default' in config) inputNodeValues.set(node.id, config.default);
      else
        problems.push({
          field: `input.${nodeLabel(node)}`,
          message: `missing input "${nodeLabel(node)}" (type ${type})`,
        });
      continue;
    }
    if (!matchesInputType(type, entry.value)) {
      problems.push({
        field: `input.${entry.key}`,
        message: `${inputTypeMismatch(type)}, got ${describeValue(entry.value)}`,
      });
      continue;
    }
    inputNodeValues.set(node.id, entry.value);
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, input: { inputNodeValues, connectorValues: null } };
}

function resolveConnectorValues(node: PlannedNode, input: Record<string, unknown>): RunInputResult {
  const names = node.inputs.map((connector) => connector.name);
  const problems: RunProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!names.includes(key)) {
      const valid = names.length > 0 ? names.map((name) => `"${name}"`).join(', ') : 'none';
      problems.push({
        field: `input.${key}`,
        message: `node "${node.id}" has no input "${key}"; valid keys: ${valid}`,
      });
    }
  }
  for (const connector of node.inputs) {
    if (connector.required && !Object.hasOwn(input, connector.name)) {
      problems.push({
        field: `input.${connector.name}`,
        message: `missing required input "${connector.name}" of node "${node.id}"`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, input: { inputNodeValues: new Map(), connectorValues: { ...input } } };
}

function validKeys(inputNodes: NodeDefinition[]): string {
  if (inputNodes.length === 0) return 'none (the workflow has no InputNode)';
  const keys = new Set(inputNodes.flatMap((node) => [nodeLabel(node), node.id]));
  return [...keys].map((key) => `"${key}"`).join(', ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
