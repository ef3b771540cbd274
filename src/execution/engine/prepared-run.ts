import type { WorkflowDefinition } from '../definition.js';
import { resolveRunInput, type ResolvedRunInput } from './run-input.js';
import { planRun, type NodeTypeLookup, type RunPlan, type RunProblem, type RunSelection } from './run-plan.js';

/** A run's plan and checked input: what the walker needs to start it. */
export interface PreparedRun {
  plan: RunPlan;
  input: ResolvedRunInput;
}

/** Prepared, or why not: the definition cannot be planned (`plan`), or the input does not fit it (`input`). */
export type PrepareResult =
  { ok: true; prepared: PreparedRun } | { ok: false; stage: 'plan' | 'input'; problems: RunProblem[] };

/** Plans the definition (the selection's nodes) and checks the run's input against the plan. */
export function prepareRun(
  definition: WorkflowDefinition,
  input: unknown,
  nodeTypes: NodeTypeLookup,
  selection: RunSelection = {},
): PrepareResult {
  const planned = planRun(definition, nodeTypes, selection);
  if (!planned.ok) return { ok: false, stage: 'plan', problems: planned.problems };
  const resolved = resolveRunInput(planned.plan, input);
  if (!resolved.ok) return { ok: false, stage: 'input', problems: resolved.problems };
  return { ok: true, prepared: { plan: planned.plan, input: resolved.input } };
}
