import type { WorkflowDefinition } from '../definition.js';
import { resolveRunInput, type ResolvedRunInput } from './run-input.js';
import {
  planRun,
  type NodeTypeLookup,
  type PlanResult,
  type RunPlan,
  type RunProblem,
  type RunSelection,
} from './run-plan.js';

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
  const planned = plannedOnce(definition, nodeTypes, selection);
  if (!planned.ok) return { ok: false, stage: 'plan', problems: planned.problems };
  const resolved = resolveRunInput(planned.plan, input);
  if (!resolved.ok) return { ok: false, stage: 'input', problems: resolved.problems };
  return { ok: true, prepared: { plan: planned.plan, input: resolved.input } };
}

const wholePlans = new WeakMap<WorkflowDefinition, WeakMap<NodeTypeLookup, PlanResult>>();

/**
 * planRun, kept per definition object for runs of the whole definition: the runs of one workflow
 * version share one definition object (RunnableDefinitions), so the version is planned once rather
 * than per run. A plan is never changed once made; a definition object must not be changed once
 * planned.
 */
function plannedOnce(definition: WorkflowDefinition, nodeTypes: NodeTypeLookup, selection: RunSelection): PlanResult {
  if (selection.nodeIds || selection.singleNodeId) return planRun(definition, nodeTypes, selection);
  let byTypes = wholePlans.get(definition);
  if (!byTypes) wholePlans.set(definition, (byTypes = new WeakMap()));
  let planned = byTypes.get(nodeTypes);
  if (!planned) byTypes.set(nodeTypes, (planned = planRun(definition, nodeTypes)));
  return planned;
}
