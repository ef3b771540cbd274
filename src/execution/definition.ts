/** The stored shape of a workflow definition (DESIGN §5). */
export interface NodeDefinition {
  id: string;
  type: string;
  config?: Record<string, unknown>;
}

export interface EdgeDefinition {
  from: { node_id: string; output: string };
  to: { node_id: string; input: string };
}

export interface WorkflowDefinition {
  nodes: NodeDefinition[];
  edges: EdgeDefinition[];
}
