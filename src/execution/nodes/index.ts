/** The node type registry: every built-in type is registered here, one line each. */
import type { InputConnector, NodeType, NodeTypeDescription, OutputConnector } from '../node-type.js';
import { CodeNode } from './code-node.js';
import { ConditionNode } from './condition-node.js';
import { DelayNode } from './delay-node.js';
import { FailNode } from './fail-node.js';
import { HttpRequestNode } from './http-request-node.js';
import { InputNode } from './input-node.js';
import { MapNode } from './map-node.js';
import { OutputNode } from './output-node.js';
import { TextGenerationNode } from './text-generation-node.js';
import { TextTemplateNode } from './text-template-node.js';
import { TransformNode } from './transform-node.js';
import { WorkflowNode } from './workflow-node.js';
import { WaitNode } from './wait-node.js';
import { SignalNode } from './signal-node.js';

export interface NodeConnectors {
  inputs: InputConnector[];
  outputs: OutputConnector[];
}

export class NodeRegistry {
  private readonly byType = new Map<string, NodeType>();

  register(nodeType: NodeType): this {
    if (this.byType.has(nodeType.type)) throw new Error(`node type ${nodeType.type} is already registered`);
    this.byType.set(nodeType.type, nodeType);
    return this;
  }

  get(type: string): NodeType | undefined {
    return this.byType.get(type);
  }

  /** Registered type names, in registration order. */
  typeNames(): string[] {
    return [...this.byType.keys()];
  }

  /** The `GET /v1/nodes` catalog. */
  describeAll(): NodeTypeDescription[] {
    return [...this.byType.values()].map((nodeType) => nodeType.describe());
  }
}

export const builtInNodeTypes = new NodeRegistry()
  .register(InputNode)
  .register(OutputNode)
  .register(TextTemplateNode)
  .register(DelayNode)
  .register(ConditionNode)
  .register(TransformNode)
  .register(FailNode)
  .register(HttpRequestNode)
  .register(TextGenerationNode)
  .register(CodeNode)
  .register(WorkflowNode)
  .register(MapNode)
  .register(WaitNode)
  .register(SignalNode);
