import { NotFoundProblem, ValidationProblem } from '../common/problem.js';
import type { PreparedRun, PrepareResult } from '../execution/engine/index.js';

/** The 404 of a run asked for on a workflow, or a version of it, that the group does not have. */
export function definitionNotFound(workflowId: string, versionId: string | null | undefined): NotFoundProblem {
  return versionId ? new NotFoundProblem('Workflow version', versionId) : new NotFoundProblem('Workflow', workflowId);
}

/** The prepared run, or the 422 saying why it cannot start. */
export function preparedOrProblem(result: PrepareResult): PreparedRun {
  if (result.ok) return result.prepared;
  const why =
    result.stage === 'plan' ? 'This run cannot start; see errors.' : 'The run input is not valid; see errors.';
  throw new ValidationProblem(result.problems, why);
}
