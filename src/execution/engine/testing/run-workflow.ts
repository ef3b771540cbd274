import type { WorkflowDefinition } from '../../definition.js';
import { DagRunner, type RunHooks, type RunOptions } from '../dag-runner.js';
import { resolveRunInput } from '../run-input.js';
import { planRun, type NodeTypeLookup, type RunSelection } from '../run-plan.js';
import type { RunResult } from '../run-result.js';

export interface TestRun {
  selection?: RunSelection;
  input?: Record<string, unknown>;
  hooks?: RunHooks;
  options?: Partial<RunOptions>;
}

/** Plans, resolves the input and walks a run the way RunsService does; problems throw. */
export function runWorkflow(
  definition: WorkflowDefinition,
  nodeTypes: NodeTypeLookup,
  { selection, input = {}, hooks = {}, options = {} }: TestRun = {},
): Promise<RunResult> {
  const planned = planRun(definition, nodeTypes, selection);
  if (!planned.ok) throw new Error(`plan problems: ${JSON.stringify(planned.problems)}`);
  const resolved = resolveRunInput(planned.plan, input);
  if (!resolved.ok) throw new Error(`input problems: ${JSON.stringify(resolved.problems)}`);
  return new DagRunner(planned.plan, resolved.input, hooks, { runId: 'run-1', ...options }).run();
}

/** Hooks that write every call to `events` as a short line, e.g. "completed b". */
export function recordingHooks(events: string[] = []): RunHooks & { events: string[] } {
  return {
    events,
    onNodeStarted: (id) => void events.push(`started ${id}`),
    onNodeCompleted: (id) => void events.push(`completed ${id}`),
    onNodeFailed: (id, error) => void events.push(`failed ${id}: ${error.message}`),
    onNodeWaiting: (id, wait) => void events.push(`waiting ${id} for ${wait.signal ?? wait.until?.toISOString()}`),
    onNodeStopped: (id) => void events.push(`stopped ${id}`),
    onNodeSkipped: (id) => void events.push(`skipped ${id}`),
    onDelta: (id, delta) => void events.push(`delta ${id} ${JSON.stringify(delta)}`),
    onProgress: (percent) => void events.push(`progress ${percent}`),
  };
}

/** Node statuses as a plain object, for one-line assertions. */
export function statuses(result: RunResult): Record<string, string> {
  return Object.fromEntries([...result.nodes].map(([id, node]) => [id, node.status]));
}

/** Lets pending promise callbacks and timers run. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));
