/** Builders for definition-validator specs. */
type Config = Record<string, unknown>;

export const node = (id: string, type: string, config?: Config) => ({ id, type, ...(config && { config }) });

/** `edge('a.value', 'b.q')`: from output `value` of node a to input `q` of node b. */
export const edge = (from: string, to: string) => {
  const [fromId, output] = from.split('.');
  const [toId, input] = to.split('.');
  return { from: { node_id: fromId, output }, to: { node_id: toId, input } };
};

export const delay = (id: string) => node(id, 'DelayNode', { ms: 0 });

export const KNOWN_TYPES =
  'InputNode, OutputNode, TextTemplateNode, DelayNode, ConditionNode, TransformNode, FailNode, ' +
  'HttpRequestNode, TextGenerationNode, CodeNode, WorkflowNode, MapNode, WaitNode, SignalNode';

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
