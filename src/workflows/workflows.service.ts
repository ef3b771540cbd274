import { Inject, Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { Page, PageQuery, toPage } from '../common/pagination.js';
import { NotFoundProblem, Problem, ValidationProblem } from '../common/problem.js';
import { definitionFromJson, type WorkflowDefinition } from '../execution/definition.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { checkWorkflowCalls, type LoadDefinition } from './definition/child-workflow-references.js';
import { checkDescendantBound } from './definition/descendant-bound.js';
import { reviewDefinition, validateDefinition, type DefinitionProblem } from './definition/definition-validator.js';
import {
  CreateVersionBody,
  CreateWorkflowBody,
  toVersionResponse,
  toWorkflowResponse,
  SampleInputBody,
  UpdateWorkflowBody,
  WorkflowListQuery,
  WorkflowResponse,
  WorkflowVersionResponse,
} from './dto/workflow.dto.js';
import { isSlugTaken, SlugTakenProblem } from './workflow-slug.js';
import { DefinitionValidationResponse, ValidateDefinitionBody } from './dto/definition-validation.dto.js';
import { RunnableDefinitions } from '../definitions/runnable-definitions.js';
import { WorkflowsRepository } from '../definitions/workflows.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import { audited, type AuditActor } from '../common/audit-events.js';
import { versionEntry, workflowEntry, workflowState } from './workflow-audit.js';

export const MAX_DEFINITION_BYTES = 1024 * 1024;

/** A definition about to be written (the draft when `versionId` is null), or undefined when none is. */
export type PlannedDefinitions = (workflowId: string, versionId: string | null) => WorkflowDefinition | undefined;

@Injectable()
export class WorkflowsService {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly definitions: RunnableDefinitions,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'maxDescendantRuns'>,
    private readonly prisma: PrismaService,
  ) {}

  async create(groupId: string, body: CreateWorkflowBody, actor: AuditActor): Promise<WorkflowResponse> {
    const definition = checkedDefinition(body.definition);
    await this.checkCalls(groupId, null, definition);
    const data = { name: body.name, description: body.description ?? null, slug: body.slug ?? null, definition };
    const workflow = await refuseTakenSlug(
      body.slug,
      audited(
        this.prisma,
        (tx) => this.workflows.create(groupId, data, tx),
        (created) => [workflowEntry(actor, groupId, 'workflow.created', created.id, undefined, workflowState(created))],
      ),
    );
    return toWorkflowResponse(workflow);
  }

  async list(groupId: string, query: WorkflowListQuery): Promise<Page<WorkflowResponse>> {
    const filter = { slug: query.slug, q: query.q };
    return toPage(query, await this.workflows.page(groupId, filter, query.skip, query.page_size), toWorkflowResponse);
  }

  async get(groupId: string, id: string): Promise<WorkflowResponse> {
    const workflow = await this.workflows.find(groupId, id);
    if (!workflow) throw new NotFoundProblem('Workflow', id);
    return toWorkflowResponse(workflow);
  }

  /**
   * `ifMatch` is the client's `If-Match` header: the revision it last saw. `action` names the change
   * in the audit log (a restore is an update too).
   */
  async update(
    groupId: string,
    id: string,
    body: UpdateWorkflowBody,
    actor: AuditActor,
    ifMatch?: string,
    action = 'workflow.updated',
  ): Promise<WorkflowResponse> {
    const expectedRevision = ifMatch === undefined ? undefined : parseRevision(ifMatch);
    const changes = {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.slug === undefined ? {} : { slug: body.slug }),
      ...(body.definition === undefined ? {} : { definition: checkedDefinition(body.definition) }),
    };
    const current = await this.workflows.find(groupId, id);
    if (!current) throw new NotFoundProblem('Workflow', id);
    if (expectedRevision !== undefined && expectedRevision !== current.revision) throw staleRevision(current.revision);
    if (Object.keys(changes).length === 0) return toWorkflowResponse(current);
    if (changes.definition) await this.checkCalls(groupId, id, changes.definition);
    // The write matches the revision read, so `current` is exactly what it changed.
    const updated = await refuseTakenSlug(
      body.slug,
      audited(
        this.prisma,
        (tx) => this.workflows.update(groupId, id, changes, expectedRevision ?? current.revision, tx),
        (after) =>
          after ? [workflowEntry(actor, groupId, action, id, workflowState(current), workflowState(after))] : [],
      ),
    );
    if (!updated) {
      // Someone else changed (or deleted) it between our read and our write.
      const latest = await this.get(groupId, id);
      throw staleRevision(latest.revision);
    }
    await this.definitions.changed(id);
    return toWorkflowResponse(updated);
  }

  /**
   * The workflows a definition calls exist in the group, calling them neither recurses nor nests
   * too deep, and one run cannot start more child runs than MAX_DESCENDANT_RUNS.
   */
  private async checkCalls(groupId: string, selfId: string | null, json: Prisma.InputJsonValue): Promise<void> {
    const problem = await this.callsProblem(groupId, selfId, json);
    if (problem) throw problem;
  }

  private async callsProblem(
    groupId: string,
    selfId: string | null,
    json: Prisma.InputJsonValue,
  ): Promise<ValidationProblem | null> {
    const { problems, fanOut } = await this.callProblems(groupId, selfId, definitionFromJson(json));
    if (problems.length)
      return new ValidationProblem(problems, 'The workflows this definition calls are not valid; see errors.');
    if (fanOut) return new ValidationProblem(problems, 'One run of this workflow could start too many child runs.');
    return null;
  }

  /**
   * The problems with the workflows `definition` calls, saved as the draft of `selfId`: missing,
   * recursive or too deep calls, else too many child runs per run (`fanOut`). `planned` answers for
   * definitions about to be written (an import), before the group's stored ones are read.
   */
  async callProblems(
    groupId: string,
    selfId: string | null,
    definition: WorkflowDefinition,
    planned: PlannedDefinitions = () => undefined,
  ): Promise<{ problems: DefinitionProblem[]; fanOut: boolean }> {
    const load: LoadDefinition = async (id, versionId) => {
      const known = planned(id, versionId);
      if (known) return known;
      const called = versionId
        ? await this.definitions.version(groupId, id, versionId)
        : await this.definitions.draft(groupId, id);
      return called?.definition ?? null;
    };
    const problems = await checkWorkflowCalls(selfId, definition, load);
    if (problems.length) return { problems, fanOut: false };
    const fanOut = await checkDescendantBound(definition, load, this.config.maxDescendantRuns);
    return { problems: fanOut, fanOut: fanOut.length > 0 };
  }

  /**
   * What saving `definition` (as the draft of `workflowId`, when given) would report, without saving:
   * the 422's `errors`, and the connectors of every node whose type and config are sound.
   */
  async validate(groupId: string, body: ValidateDefinitionBody): Promise<DefinitionValidationResponse> {
    const selfId = body.workflow_id?.toLowerCase() ?? null;
    if (selfId) await this.get(groupId, selfId);
    checkSize(body.definition);
    const { problems, connectors } = reviewDefinition(body.definition);
    const callsProblem = problems.length
      ? null
      : await this.callsProblem(groupId, selfId, body.definition as Prisma.InputJsonValue);
    const errors = callsProblem ? (callsProblem.extensions.errors as DefinitionProblem[]) : problems;
    return { valid: errors.length === 0, errors, connectors: Object.fromEntries(connectors) };
  }

  async setSampleInput(
    groupId: string,
    id: string,
    body: SampleInputBody,
    actor: AuditActor,
  ): Promise<SampleInputBody> {
    await this.writeSampleInput(groupId, id, body.input as Prisma.InputJsonValue, actor, 'workflow.sample_input_set');
    return { input: body.input };
  }

  async clearSampleInput(groupId: string, id: string, actor: AuditActor): Promise<void> {
    await this.writeSampleInput(groupId, id, null, actor, 'workflow.sample_input_cleared');
  }

  private async writeSampleInput(
    groupId: string,
    id: string,
    input: Prisma.InputJsonValue | null,
    actor: AuditActor,
    action: string,
  ): Promise<void> {
    const written = await audited(
      this.prisma,
      (tx) => this.workflows.setSampleInput(groupId, id, input, tx),
      (found) => (found ? [workflowEntry(actor, groupId, action, id, undefined, { sample_input: input })] : []),
    );
    if (!written) throw new NotFoundProblem('Workflow', id);
  }

  async delete(groupId: string, id: string, actor: AuditActor): Promise<void> {
    const deleted = await audited(
      this.prisma,
      async (tx) => {
        const workflow = await this.workflows.find(groupId, id, tx);
        return workflow && (await this.workflows.softDelete(groupId, id, tx)) ? workflow : null;
      },
      (workflow) => (workflow ? [workflowEntry(actor, groupId, 'workflow.deleted', id, workflowState(workflow))] : []),
    );
    if (!deleted) throw new NotFoundProblem('Workflow', id);
    await this.definitions.changed(id);
  }

  /** Snapshots the draft; `authorKeyId` is the API key asking. */
  async createVersion(
    groupId: string,
    workflowId: string,
    authorKeyId: string,
    body: CreateVersionBody,
  ): Promise<WorkflowVersionResponse> {
    const actor: AuditActor = { kind: 'api_key', keyId: authorKeyId };
    const version = await this.workflows.createVersion(
      groupId,
      workflowId,
      authorKeyId,
      (workflow, number) => {
        // Drafts are validated on save; checking again guards rows written before a rule existed.
        const problems = validateDefinition(workflow.definition);
        if (problems.length) {
          throw new ValidationProblem(problems, 'The current draft is not valid, so it cannot become a version.');
        }
        return { name: body.name ?? `v${number}`, description: body.description ?? null };
      },
      (created) => [versionEntry(actor, groupId, created)],
    );
    if (!version) throw new NotFoundProblem('Workflow', workflowId);
    return toVersionResponse(version);
  }

  /** Makes the version's definition the draft's, checked and guarded by `ifMatch` as an update is. */
  async restoreVersion(
    groupId: string,
    workflowId: string,
    versionId: string,
    actor: AuditActor,
    ifMatch?: string,
  ): Promise<WorkflowResponse> {
    const version = await this.workflows.findVersion(groupId, workflowId, versionId);
    if (!version) throw new NotFoundProblem('Workflow version', versionId);
    const body = { definition: version.definition as Record<string, unknown> };
    return this.update(groupId, workflowId, body, actor, ifMatch, 'workflow_version.restored');
  }

  async listVersions(groupId: string, workflowId: string, query: PageQuery): Promise<Page<WorkflowVersionResponse>> {
    await this.get(groupId, workflowId);
    const rows = await this.workflows.versionPage(groupId, workflowId, query.skip, query.page_size);
    return toPage(query, rows, toVersionResponse);
  }

  async getVersion(groupId: string, workflowId: string, versionId: string): Promise<WorkflowVersionResponse> {
    const version = await this.workflows.findVersion(groupId, workflowId, versionId);
    if (!version) throw new NotFoundProblem('Workflow version', versionId);
    return toVersionResponse(version);
  }
}

/** `write`, with the unique index's refusal of `slug` as a 409. */
async function refuseTakenSlug<T>(slug: string | null | undefined, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (slug && isSlugTaken(error)) throw new SlugTakenProblem(slug);
    throw error;
  }
}

function checkedDefinition(definition: Record<string, unknown>): Prisma.InputJsonValue {
  checkSize(definition);
  const problems = validateDefinition(definition);
  if (problems.length) throw new ValidationProblem(problems, 'The workflow definition is not valid; see errors.');
  return definition as Prisma.InputJsonValue;
}

function checkSize(definition: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(definition));
  if (bytes > MAX_DEFINITION_BYTES) {
    throw new Problem(
      413,
      'definition-too-large',
      'Content Too Large',
      `The definition is ${bytes} bytes; at most ${MAX_DEFINITION_BYTES} are allowed.`,
    );
  }
}

/** Accepts `3`, `"3"`, `W/"3"` and `"3-<sample input digest>"`, as clients echo ETags in any of these forms. */
function parseRevision(ifMatch: string): number | undefined {
  const match = /^(?:W\/)?"?(\d+)(?:-[0-9a-f]+)?"?$/.exec(ifMatch.trim());
  return match ? Number(match[1]) : Number.NaN;
}

function staleRevision(current: number): Problem {
  return new Problem(
    412,
    'stale-revision',
    'Precondition Failed',
    `The workflow is at revision ${current}; re-read it and try again.`,
    { revision: current },
  );
}
