/**
 * The checks an import shares with the routes that save one thing at a time: a definition is
 * validated as a save validates it, a schedule as POST …/schedules checks it. Field paths point into
 * the import's body.
 */
import type { FieldProblem } from '../../common/problem.js';
import { definitionFromJson } from '../../execution/definition.js';
import { prepareRun } from '../../execution/engine/index.js';
import { builtInNodeTypes } from '../../execution/nodes/index.js';
import { CronSchedule } from '../../schedules/cron-schedule.js';
import { validateDefinition } from '../definition/definition-validator.js';
import { MAX_DEFINITION_BYTES } from '../workflows.service.js';
import type { WorkflowPlan } from './import-plan.js';

/** `definition.nodes[0].config.workflow_id` of a save, as the path `field` of the body names it. */
export function underField(problem: FieldProblem, field: string): FieldProblem {
  const path = problem.field.replace(/^definition/, field);
  return {
    field: path.replace(/\.workflow_id$/, '.workflow').replace(/\.workflow_version_id$/, '.workflow_version'),
    message: problem.message,
  };
}

/** The definitions the plan writes that a save would refuse (for their size with a 413; here, among the rest). */
export function definitionProblems(plan: WorkflowPlan): FieldProblem[] {
  return plan.writtenDefinitions.flatMap(({ field, definition }) => {
    const bytes = Buffer.byteLength(JSON.stringify(definition));
    if (bytes > MAX_DEFINITION_BYTES) {
      return [{ field, message: `is ${bytes} bytes; at most ${MAX_DEFINITION_BYTES} are allowed` }];
    }
    return validateDefinition(definition).map((problem) => underField(problem, field));
  });
}

/** The schedules the plan creates: their input against the definition they run (import-document.ts checked their cron). */
export function scheduleProblems(plan: WorkflowPlan): FieldProblem[] {
  return plan.newSchedules.flatMap((schedule) => {
    if (validateDefinition(schedule.definition).length > 0) return [];
    const prepared = prepareRun(definitionFromJson(schedule.definition), schedule.input, builtInNodeTypes);
    if (prepared.ok) return [];
    return prepared.problems.map((problem) => ({
      field: `${schedule.field}.${problem.field}`,
      message: problem.message,
    }));
  });
}

/** When each new schedule first fires: its next tick after `now`, none while disabled. */
export function firstTick(schedule: { cron: string; timezone: string; enabled: boolean }, now: Date): Date | null {
  if (!schedule.enabled) return null;
  const cron = CronSchedule.parse(schedule.cron, schedule.timezone);
  return Array.isArray(cron) ? null : (cron.nextAfter(now) ?? null);
}
