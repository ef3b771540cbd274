import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { groupLimit } from '../../config/group-limits.js';
import { ConflictProblem, LimitExceededProblem, ValidationProblem, type FieldProblem } from '../../common/problem.js';
import { RunnableDefinitions } from '../../definitions/runnable-definitions.js';
import { definitionFromJson, type WorkflowDefinition } from '../../execution/definition.js';
import { SecretsRepository } from '../../secrets/secrets.repository.js';
import { isSlugTaken } from '../workflow-slug.js';
import { WorkflowsService } from '../workflows.service.js';
import type { ImportResultDto } from './dto/import-result.dto.js';
import { definitionProblems, firstTick, scheduleProblems, underField } from './import-checks.js';
import { readImportBody } from './import-document.js';
import { planImport, type ExistingWorkflow, type WorkflowPlan } from './import-plan.js';
import { calledSlugs } from './portable-definition.js';
import { PortabilityRepository } from './portability.repository.js';

/**
 * POST /v1/workflows/import: reads the documents, plans every change, checks the plan as the
 * routes that save one thing at a time would, and writes it in one transaction, or nothing.
 */
@Injectable()
export class WorkflowImportService {
  constructor(
    private readonly rows: PortabilityRepository,
    private readonly workflows: WorkflowsService,
    private readonly secrets: SecretsRepository,
    private readonly definitions: RunnableDefinitions,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'groupLimits'>,
  ) {}

  async import(groupId: string, authorKeyId: string, body: unknown, dryRun: boolean): Promise<ImportResultDto> {
    const { documents, problems } = readImportBody(body);
    if (problems.length) throw refused(problems);
    const slugs = documents.flatMap(({ document }) => [
      document.slug,
      ...document.requires.workflows,
      ...[document.definition, ...document.versions.map((version) => version.definition)].flatMap(calledSlugs),
    ]);
    const existing = await this.rows.existingBySlugs(groupId, [...new Set(slugs)]);
    const { plans, problems: planProblems } = planImport(documents, existing, randomUUID);
    if (planProblems.length) throw refused(planProblems);
    const invalid = plans.flatMap((plan) => [...definitionProblems(plan), ...scheduleProblems(plan)]);
    const checkProblems = [
      ...invalid,
      // Calls are followed through definitions that are sound only.
      ...(invalid.length ? [] : await this.callProblems(groupId, plans)),
      ...(await this.secretProblems(groupId, plans)),
    ];
    if (checkProblems.length) throw refused(checkProblems);

    if (!dryRun) await this.apply(groupId, authorKeyId, plans, existing);
    return {
      dry_run: dryRun,
      workflows: plans.map((plan) => ({
        slug: plan.slug,
        workflow_id: dryRun && plan.action === 'created' ? null : plan.workflowId,
        action: plan.action,
        changes: plan.changes,
      })),
    };
  }

  private async apply(
    groupId: string,
    authorKeyId: string,
    plans: WorkflowPlan[],
    planned: ReadonlyMap<string, ExistingWorkflow>,
  ): Promise<void> {
    const now = new Date();
    const withTicks = plans.map((plan) => ({
      ...plan,
      newSchedules: plan.newSchedules.map((schedule) => ({ ...schedule, nextRunAt: firstTick(schedule, now) })),
    }));
    const limit = this.config.groupLimits.max_schedules;
    const written = await this.rows.apply(groupId, authorKeyId, withTicks, planned, limit).catch((error: unknown) => {
      throw isSlugTaken(error) ? changedMeanwhile() : error;
    });
    if (written.outcome === 'changed-meanwhile') throw changedMeanwhile();
    if (written.outcome === 'over-schedule-limit') {
      throw new LimitExceededProblem(groupLimit('max_schedules'), written.limit, written.current);
    }
    for (const plan of plans) {
      if (plan.action === 'updated' && plan.write.definition) await this.definitions.changed(plan.workflowId);
    }
  }

  /** Calls of every written definition (all of them valid), checked as a save checks them, with the whole plan visible. */
  private async callProblems(groupId: string, plans: WorkflowPlan[]): Promise<FieldProblem[]> {
    const planned = new Map<string, WorkflowDefinition>();
    for (const plan of plans) {
      if (plan.write.definition) planned.set(`${plan.workflowId}:draft`, definitionFromJson(plan.write.definition));
      for (const version of plan.newVersions)
        planned.set(`${plan.workflowId}:${version.id}`, definitionFromJson(version.definition));
    }
    const lookup = (workflowId: string, versionId: string | null) =>
      planned.get(`${workflowId}:${versionId ?? 'draft'}`);
    const problems: FieldProblem[] = [];
    for (const plan of plans) {
      for (const { field, definition } of plan.writtenDefinitions) {
        const found = await this.workflows.callProblems(
          groupId,
          plan.workflowId,
          definitionFromJson(definition),
          lookup,
        );
        problems.push(...found.problems.map((problem) => underField(problem, field)));
      }
    }
    return problems;
  }

  private async secretProblems(groupId: string, plans: WorkflowPlan[]): Promise<FieldProblem[]> {
    const names = [...new Set(plans.flatMap((plan) => plan.secrets))];
    const existing = names.length ? await this.secrets.existingNames(groupId, names) : new Set<string>();
    return plans.flatMap((plan) =>
      plan.secrets
        .filter((name) => !existing.has(name))
        .map((name) => ({
          field: `${plan.at}requires.secrets`,
          message: `needs the secret ${name}, which this group does not have (PUT /v1/secrets/${name} first)`,
        })),
    );
  }
}

/** Another request wrote to these workflows (or took one of the slugs) after the import read them. */
function changedMeanwhile(): ConflictProblem {
  return new ConflictProblem(
    'The workflows changed while the import was being checked; nothing was written. Import again.',
  );
}

function refused(problems: FieldProblem[]): ValidationProblem {
  return new ValidationProblem(
    problems,
    `The import was refused (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written. See errors.`,
  );
}
