/**
 * Save-time checks of a workflow definition. Lists every problem rather than the first,
 * so one 422 answer tells the caller everything to fix. Required inputs left unconnected are not
 * checked here: the engine reports them at run time, for the nodes that would run.
 */
import { builtInNodeTypes, type NodeConnectors, type NodeRegistry } from '../../execution/nodes/index.js';
import { configSchemaProblems } from './config-schema-problems.js';
import type { DefinitionProblem } from './definition-problem.js';
import { joinPath, member } from './field-path.js';
import { findCycles, type GraphEdge } from './find-cycles.js';
import { checkNodePolicy } from './node-policy-problems.js';
import { checkNodePosition } from './node-position.js';
import { POLICY_KEYS } from '../../execution/engine/index.js';

export type { DefinitionProblem } from './definition-problem.js';

export const MAX_NODES = 1000;
export const MAX_EDGES = 5000;
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** What edge checks need to know about the first node with a given id. */
interface KnownNode {
  type?: string;
  /** Absent when the type is unknown or the config invalid: its own problems say why. */
  connectors?: NodeConnectors;
}

type JsonObject = Record<string, unknown>;
type Problems = DefinitionProblem[];

/** What a save would say of a definition: its problems, and the connectors of the nodes that have them. */
export interface DefinitionReview {
  problems: DefinitionProblem[];
  /** By node id: every node whose type is known and whose config passes its schema. */
  connectors: Map<string, NodeConnectors>;
}

export function validateDefinition(
  definition: unknown,
  registry: NodeRegistry = builtInNodeTypes,
): DefinitionProblem[] {
  return reviewDefinition(definition, registry).problems;
}

export function reviewDefinition(definition: unknown, registry: NodeRegistry = builtInNodeTypes): DefinitionReview {
  const connectors = new Map<string, NodeConnectors>();
  if (!isObject(definition)) {
    return { problems: [{ field: 'definition', message: 'must be an object with nodes and edges' }], connectors };
  }
  const problems: Problems = [];
  rejectUnknownKeys(definition, ['nodes', 'edges'], 'definition', problems);
  const nodes = arrayAt(definition, 'nodes', problems);
  const edges = arrayAt(definition, 'edges', problems);
  if (nodes.length > MAX_NODES) {
    problems.push({
      field: 'definition.nodes',
      message: `has ${nodes.length} nodes; at most ${MAX_NODES} are allowed`,
    });
  }
  if (edges.length > MAX_EDGES) {
    problems.push({
      field: 'definition.edges',
      message: `has ${edges.length} edges; at most ${MAX_EDGES} are allowed`,
    });
  }
  // Past a limit the definition is refused anyway; checking every element would only cost time.
  if (nodes.length > MAX_NODES || edges.length > MAX_EDGES) return { problems, connectors };

  const known = checkNodes(nodes, registry, problems);
  checkLabels(nodes, problems);
  const links = checkEdges(edges, known, problems);
  for (const cycle of findCycles([...known.keys()], links)) {
    const tangled = cycle.alsoInvolved.length ? ` (also tangled with ${cycle.alsoInvolved.join(', ')})` : '';
    problems.push({
      field: `definition.edges[${cycle.closingEdge}]`,
      message: `cycle: ${cycle.path.join(' → ')}${tangled}`,
    });
  }
  for (const [id, node] of known) if (node.connectors) connectors.set(id, node.connectors);
  return { problems, connectors };
}

function checkNodes(nodes: unknown[], registry: NodeRegistry, problems: Problems): Map<string, KnownNode> {
  const known = new Map<string, KnownNode>();
  nodes.forEach((node, index) => {
    const at = `definition.nodes[${index}]`;
    if (!isObject(node)) {
      problems.push({ field: at, message: 'must be an object with id, type and config' });
      return;
    }
    rejectUnknownKeys(node, ['id', 'type', 'config', ...POLICY_KEYS, 'position'], at, problems);
    checkNodePosition(node, at, problems);
    const id = stringAt(node, 'id', at, problems);
    if (id !== undefined && !NODE_ID_PATTERN.test(id)) {
      problems.push({ field: `${at}.id`, message: 'must be 1 to 64 characters among A-Z, a-z, 0-9, _ and -' });
    } else if (id !== undefined && known.has(id)) {
      problems.push({ field: `${at}.id`, message: `duplicate node id "${id}"` });
    }
    const type = stringAt(node, 'type', at, problems);
    const connectors = checkNodePolicy(node, at, checkConfig(node, type, registry, at, problems), problems);
    // Edges resolve to the first node with an id, even a malformed one, so it is reported once.
    if (id !== undefined && !known.has(id)) known.set(id, { type, connectors });
  });
  return known;
}

/** Checks type and config; returns the node's connectors when both are sound. */
function checkConfig(
  node: JsonObject,
  type: string | undefined,
  registry: NodeRegistry,
  at: string,
  problems: Problems,
): NodeConnectors | undefined {
  const config = node.config ?? {};
  if (!isObject(config)) problems.push({ field: `${at}.config`, message: 'must be an object' });
  if (type === undefined) return undefined;
  const nodeType = registry.get(type);
  if (!nodeType) {
    const known = registry.typeNames().join(', ');
    problems.push({ field: `${at}.type`, message: `unknown node type "${type}"; known types: ${known}` });
    return undefined;
  }
  if (!isObject(config)) return undefined;
  const schemaProblems = configSchemaProblems(nodeType, config, `${at}.config`);
  problems.push(...schemaProblems);
  if (schemaProblems.length) return undefined;
  for (const { path, message } of nodeType.checkConfig(config)) {
    problems.push({ field: joinPath(`${at}.config`, path), message });
  }
  return { inputs: nodeType.inputs(config), outputs: nodeType.outputs(config) };
}

/** InputNode and OutputNode labels (`config.label`, else the node id) are unique per type. */
function checkLabels(nodes: unknown[], problems: Problems): void {
  const holders = new Map<string, string>();
  const ids = new Set<string>();
  nodes.forEach((node, index) => {
    if (!isObject(node) || typeof node.id !== 'string') return;
    const repeatedId = ids.has(node.id);
    ids.add(node.id);
    if (node.type !== 'InputNode' && node.type !== 'OutputNode') return;
    const config = isObject(node.config) ? node.config : {};
    const ownLabel = typeof config.label === 'string';
    // A repeated id used as label is already reported as a duplicate id.
    if (!ownLabel && (config.label !== undefined || repeatedId)) return;
    const label = ownLabel ? (config.label as string) : node.id;
    const key = `${node.type}\u0000${label}`;
    const holder = holders.get(key);
    if (holder === undefined) {
      holders.set(key, node.id);
      return;
    }
    problems.push({
      field: `definition.nodes[${index}]${ownLabel ? '.config.label' : '.id'}`,
      message: `duplicate ${node.type} label "${label}"${ownLabel ? '' : ' (its id; it has no label)'}: node "${holder}" has it too`,
    });
  });
}

function checkEdges(edges: unknown[], known: Map<string, KnownNode>, problems: Problems): GraphEdge[] {
  const links: GraphEdge[] = [];
  const feeders = new Map<string, number>();
  edges.forEach((edge, index) => {
    const at = `definition.edges[${index}]`;
    if (!isObject(edge)) {
      problems.push({ field: at, message: 'must be an object with from and to' });
      return;
    }
    rejectUnknownKeys(edge, ['from', 'to'], at, problems);
    const from = endpointAt(edge, 'from', 'output', known, at, problems);
    const to = endpointAt(edge, 'to', 'input', known, at, problems);
    // Edges to unknown nodes or connectors are reported above; they take no part in cycles.
    if (from?.node && to?.node && !from.missing && !to.missing) links.push({ from: from.nodeId, to: to.nodeId, index });
    if (!to?.node || to.connector === undefined || to.missing) return;
    const feed = `${to.nodeId}\u0000${to.connector}`;
    const earlier = feeders.get(feed);
    if (earlier === undefined) feeders.set(feed, index);
    else {
      problems.push({
        field: `${at}.to.input`,
        message: `input "${to.connector}" of node "${to.nodeId}" is already fed by edges[${earlier}]`,
      });
    }
  });
  return links;
}

interface Endpoint {
  nodeId: string;
  node?: KnownNode;
  connector?: string;
  /** The node exists but has no connector of that name. */
  missing: boolean;
}

function endpointAt(
  edge: JsonObject,
  side: 'from' | 'to',
  connectorKey: 'output' | 'input',
  known: Map<string, KnownNode>,
  edgeAt: string,
  problems: Problems,
): Endpoint | undefined {
  const at = `${edgeAt}.${side}`;
  const end = edge[side];
  if (!isObject(end)) {
    problems.push({
      field: at,
      message: end === undefined ? 'is required' : `must be an object with node_id and ${connectorKey}`,
    });
    return undefined;
  }
  rejectUnknownKeys(end, ['node_id', connectorKey], at, problems);
  const nodeId = stringAt(end, 'node_id', at, problems);
  const connector = stringAt(end, connectorKey, at, problems);
  if (nodeId === undefined) return undefined;
  const node = known.get(nodeId);
  if (!node) problems.push({ field: `${at}.node_id`, message: `no node "${nodeId}" in this definition` });
  const available = node?.connectors?.[side === 'from' ? 'outputs' : 'inputs'];
  const missing = !!available && connector !== undefined && !available.some((c) => c.name === connector);
  if (missing) {
    const names = available.map((c) => c.name).join(', ');
    const offer = names ? `its ${connectorKey}s: ${names}` : `it has no ${connectorKey}s`;
    problems.push({
      field: `${at}.${connectorKey}`,
      message: `node "${nodeId}" (${node!.type}) has no ${connectorKey} "${connector}"; ${offer}`,
    });
  }
  return { nodeId, node, connector, missing };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(value: JsonObject, allowed: string[], at: string, problems: Problems): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.push({ field: at + member(key), message: `is not allowed; allowed: ${allowed.join(', ')}` });
    }
  }
}

function arrayAt(value: JsonObject, key: string, problems: Problems): unknown[] {
  const list = value[key];
  if (Array.isArray(list)) return list;
  problems.push({
    field: `definition.${key}`,
    message: list === undefined ? 'is required (an array)' : 'must be an array',
  });
  return [];
}

function stringAt(value: JsonObject, key: string, at: string, problems: Problems): string | undefined {
  const text = value[key];
  if (typeof text === 'string') return text;
  problems.push({ field: `${at}.${key}`, message: text === undefined ? 'is required' : 'must be a string' });
  return undefined;
}
