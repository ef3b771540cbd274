import { Injectable } from '@nestjs/common';
import { NotFoundProblem, ValidationProblem } from '../../common/problem.js';
import { definitionFromJson } from '../../execution/definition.js';
import type { RunMetadata } from '../../runs/run-metadata.js';
import { workflowCalls } from '../definition/child-workflow-references.js';
import { buildExportDocument } from './export-document.js';
import { PortabilityRepository } from './portability.repository.js';
import type { WorkflowDocument } from './workflow-document.js';

@Injectable()
export class WorkflowExportService {
  constructor(private readonly rows: PortabilityRepository) {}

  /** The workflow as a document; 422 when a workflow it calls has no slug to name it by. */
  async export(groupId: string, workflowId: string): Promise<WorkflowDocument> {
    const rows = await this.rows.exportRows(groupId, workflowId);
    if (!rows) throw new NotFoundProblem('Workflow', workflowId);
    const definitions = [rows.workflow.definition, ...rows.versions.map((version) => version.definition)];
    const calledIds = [
      ...new Set(definitions.flatMap((json) => workflowCalls(definitionFromJson(json)).map((call) => call.workflowId))),
    ];
    const { slugs, versionNumbers } = await this.rows.callNames(groupId, calledIds);
    const built = buildExportDocument({
      workflow: rows.workflow,
      versions: rows.versions,
      schedules: rows.schedules.map((schedule) => ({
        cron: schedule.cron,
        timezone: schedule.timezone,
        workflow_version_id: schedule.workflowVersionId,
        input: schedule.input as Record<string, unknown>,
        callback_url: schedule.callbackUrl,
        enabled: schedule.enabled,
        metadata: schedule.metadata as RunMetadata,
      })),
      called: {
        slugOf: (id) => slugs.get(id) ?? undefined,
        versionNumberOf: (id) => versionNumbers.get(id),
      },
    });
    if (built.problems) {
      throw new ValidationProblem(
        built.problems,
        'The workflow calls workflows without a slug, so it cannot be exported; see errors.',
      );
    }
    return built.document;
  }
}
