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
