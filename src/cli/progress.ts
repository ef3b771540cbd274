import { formatValue } from './output.js';
import type { ServerEvent } from './sse.js';

export const TERMINAL_EVENTS = new Set(['run.completed', 'run.failed', 'run.stopped']);

/** Counts finished nodes against the definition's node count, for `[3/5]`. */
export class NodeTally {
  private readonly finished = new Set<string>();
  constructor(private readonly total?: number) {}

  record(event: ServerEvent): string {
    const nodeId = event.data.node_id;
    if (typeof nodeId === 'string' && /^node\.(completed|failed|skipped)$/.test(event.event)) this.finished.add(nodeId);
    return this.total ? `[${this.finished.size}/${this.total}] ` : '';
  }
}

/**
 * One line per event a person follows: node events with what matters about them (time taken, the
 * error, why skipped, what it waits for), run events with the status. Token deltas print nothing.
 * `runTag` prefixes the run's short id when several runs share a stream (tail).
 */
export function describeEvent(
  event: ServerEvent,
  options: { runTag?: boolean; prefix?: string } = {},
): string | undefined {
  const data = event.data;
  const node = typeof data.node_id === 'string' ? data.node_id : '';
  const run = options.runTag && typeof data.run_id === 'string' ? `${data.run_id.slice(0, 8)} ` : '';
  const error = data.error as { message?: string } | undefined;
  let detail: string;
  switch (event.event) {
    case 'node.delta':
      return undefined;
    case 'node.started':
      detail = `${node}${data.node_type ? ` (${String(data.node_type)})` : ''}`;
      break;
    case 'node.completed':
      detail = `${node}${typeof data.duration_ms === 'number' ? ` in ${data.duration_ms} ms` : ''}`;
      break;
    case 'node.failed':
      detail = `${node}: ${error?.message ?? 'failed'}`;
      break;
    case 'node.skipped':
      detail = `${node}${data.reason ? ` (${String(data.reason)})` : ''}`;
      break;
    case 'node.waiting':
      detail = `${node} ${data.signal ? `for signal ${String(data.signal)}` : `until ${String(data.waiting_until)}`}`;
      break;
    case 'node.retrying':
      detail = `${node}: attempt ${String(data.attempt)} failed (${error?.message ?? 'error'}), again in ${String(data.delay_ms)} ms`;
      break;
    case 'run.failed':
      detail = error?.message ? `${error.message}${data.node_id ? ` (node ${node})` : ''}` : '';
      break;
    default:
      detail = node || (typeof data.status === 'string' ? '' : formatValue(data).slice(0, 120));
  }
  const time = typeof data.timestamp === 'string' ? `${data.timestamp.slice(11, 19)} ` : '';
  return `${time}${run}${options.prefix ?? ''}${event.event.padEnd(14)} ${detail}`.trimEnd();
}
