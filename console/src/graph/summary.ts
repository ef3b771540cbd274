import type { NodeDefinition } from '../types';

const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '') ?? '';
const asText = (value: unknown) =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/** One line saying what a node does, drawn under its title (the card's width cuts it). */
export function summarise(node: NodeDefinition): string {
  const config = node.config ?? {};
  const text = (key: string) => firstLine(asText(config[key]));
  switch (node.type) {
    case 'InputNode':
      return `input · ${asText(config.type) || 'str'}${config.default !== undefined ? ` · default ${asText(config.default)}` : ''}`;
    case 'OutputNode':
      return 'output';
    case 'TextGenerationNode':
      return [text('model'), text('template')].filter(Boolean).join(': ');
    case 'HttpRequestNode':
      return `${text('method') || 'GET'} ${text('url')}`;
    case 'DelayNode':
      return `${asText(config.ms)} ms`;
    case 'WaitNode':
      return config.until !== undefined ? `until ${text('until')}` : `${asText(config.duration_ms)} ms`;
    case 'SignalNode':
      return `signal “${text('name')}”${config.timeout_ms !== undefined ? `, timeout ${asText(config.timeout_ms)} ms` : ''}`;
    default: {
      // The first text the config holds (a template, an expression, code, a message) says the most.
      const first = Object.entries(config).find(([, value]) => typeof value === 'string' && value.trim() !== '');
      return first ? firstLine(first[1] as string) : '';
    }
  }
}

/** What a node is called on its card: the label an InputNode or OutputNode is known by, else its id. */
export function titleOf(node: NodeDefinition): string {
  const label = node.config?.label;
  return (node.type === 'InputNode' || node.type === 'OutputNode') && typeof label === 'string' && label
    ? label
    : node.id;
}
