export { DagRunner, DEFAULT_MAX_PARALLEL, type RunHooks, type RunOptions } from './dag-runner.js';
export { combineHooks } from './combine-hooks.js';
export { RunAbort } from './run-abort.js';
export { prepareRun, type PreparedRun, type PrepareResult } from './prepared-run.js';
export { resolveRunInput, type ResolvedRunInput, type RunInputResult } from './run-input.js';
export { assembleOutput, type OutputOptions } from './run-output.js';
export {
  planRun,
  INPUT_NODE_TYPE,
  OUTPUT_NODE_TYPE,
  type NodeTypeLookup,
  type PlannedNode,
  type PlanResult,
  type RunPlan,
  type RunProblem,
  type RunSelection,
} from './run-plan.js';
export {
  NODE_RUN_STATUSES,
  toRunError,
  type CompletedNode,
  type FinishedRunStatus,
  type NodeResult,
  type NodeRunStatus,
  type RunError,
  type RunResult,
  type StoredRunError,
} from './run-result.js';
export {
  ERROR_OUTPUT,
  NODE_POLICY_SCHEMA,
  POLICY_KEYS,
  nodePolicy,
  type NodeAttempt,
  type NodePolicy,
  type NodePolicyKeys,
} from './node-policy.js';
export { nodeAttemptsFromJson, nodeIdsFromJson, runErrorFromJson } from './run-json.js';
export { reusableNodes, type RetrySource } from './reusable-nodes.js';
