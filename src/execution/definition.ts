/** The stored shape of a workflow definition. */
export interface NodeDefinition {
  id: string;
  type: string;
  config?: Record<string, unknown>;
  /** Policies (engine/node-policy.ts): retries, a timeout per attempt, what a failure does. */
  retry?: Record<string, unknown>;
  timeout_ms?: number;
  on_error?: string;
  default_outputs?: Record<string, unknown>;
  /** Where an editor drew the node; what runs (and what a retry reuses) does not depend on it. */
  position?: { x: number; y: number };
}

export interface EdgeDefinition {
  from: { node_id: string; output: string };
  to: { node_id: string; input: string };
}

export interface WorkflowDefinition {
  nodes: NodeDefinition[];
  edges: EdgeDefinition[];
}

/** The label an InputNode or OutputNode is known by in run input and output. */
export function nodeLabel(node: NodeDefinition): string {
  const label = node.config?.label;
  return typeof label === 'string' ? label : node.id;
}

/**
 * A definition read back from JSON: a `definition` column, or a body the validator has just
 * accepted. Every definition is validated before it is stored, so only the outline is checked
 * here; a sync run decodes its definition on the hot path.
 */
export function definitionFromJson(json: unknown): WorkflowDefinition {
  if (hasDefinitionOutline(json)) return json;
  throw new Error('not a workflow definition: expected an object with nodes and edges arrays');
}

function hasDefinitionOutline(json: unknown): json is WorkflowDefinition {
  return (
    typeof json === 'object' &&
    json !== null &&
    'nodes' in json &&
    Array.isArray(json.nodes) &&
    'edges' in json &&
    Array.isArray(json.edges)
  );
}
