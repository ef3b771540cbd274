import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiFailedDependencyResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import type { AuditActor } from '../common/audit-events.js';
import { ActingGroup, Actor, Auth, CurrentCaller } from '../auth/auth.decorator.js';
import type { Caller } from '../auth/caller.js';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { Problem } from '../common/problem.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { CreateRunBody, RunQuery } from '../runs/dto/create-run.dto.js';
import { RUN_FINISHED_CALLBACK } from '../runs/dto/run-callback.dto.js';
import { RunListQuery, RunResponse, toRunResponse } from '../runs/dto/run.dto.js';
import { RunCreation } from '../runs/run-creation.docs.js';
import { runLocation } from '../runs/run-location.js';
import { runRequest } from '../runs/run-request.js';
import { RunsService } from '../runs/runs.service.js';
import {
  CreateVersionBody,
  CreateWorkflowBody,
  UpdateWorkflowBody,
  WorkflowListQuery,
  WorkflowResponse,
  WorkflowVersionResponse,
} from './dto/workflow.dto.js';
import { WorkflowsService } from './workflows.service.js';
import { WORKFLOW_EXAMPLES } from '../openapi/request-examples.js';
import { LOCATION_HEADER } from '../runs/run-location.js';

const ETAG_HEADER = {
  ETag: {
    description:
      "The workflow's `revision`, quoted (followed by `-` and a digest of its `sample_input` when one is pinned); send it back as `If-Match`.",
    schema: { type: 'string' },
  },
};

const IF_MATCH = 'The `ETag` (or `revision`) you last read; 412 if the workflow has changed since.';
const SLUG_TAKEN = 'Another workflow of the group has this `slug` (problem type `slug-taken`).';
const STALE = '`If-Match` names an older revision; `revision` is the current one.';

/**
 * `/v1/workflows`: workflows and their versions (WorkflowsService), and the runs of a workflow
 * (RunsService).
 */
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(
    private readonly workflows: WorkflowsService,
    private readonly runs: RunsService,
  ) {}

  /** Stores a workflow; its definition is validated and every problem is reported at once. */
  @Auth({ role: 'editor' })
  @Post()
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'createWorkflow', summary: 'Create a workflow' })
  @ApiBody({ type: CreateWorkflowBody, examples: WORKFLOW_EXAMPLES.create })
  @ApiCreatedResponse({ type: WorkflowResponse })
  @ApiConflictResponse({ description: SLUG_TAKEN })
  create(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @Body() body: CreateWorkflowBody,
  ): Promise<WorkflowResponse> {
    return this.workflows.create(groupId, body, actor);
  }

  /** Workflows of the group, newest first; `slug` picks one by its slug, `q` searches name, slug and description. */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'listWorkflows', summary: 'List workflows' })
  @ApiOkResponse({ type: PageOf(WorkflowResponse) })
  list(@ActingGroup() groupId: string, @Query() query: WorkflowListQuery): Promise<Page<WorkflowResponse>> {
    return this.workflows.list(groupId, query);
  }

  @Auth({ role: 'viewer' })
  @Get(':workflow_id')
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'getWorkflow', summary: 'Get a workflow' })
  @ApiOkResponse({ type: WorkflowResponse, headers: ETAG_HEADER })
  async get(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowResponse> {
    return withETag(response, await this.workflows.get(groupId, id));
  }

  /** Changes any of name, description, definition and bumps `revision`; `If-Match: <revision>` guards against lost updates. */
  @Auth({ role: 'editor' })
  @Patch(':workflow_id')
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'updateWorkflow', summary: 'Update a workflow' })
  @ApiBody({ type: UpdateWorkflowBody, examples: WORKFLOW_EXAMPLES.update })
  @ApiHeader({ name: 'If-Match', required: false, description: IF_MATCH })
  @ApiOkResponse({ type: WorkflowResponse, headers: ETAG_HEADER })
  @ApiPreconditionFailedResponse({ description: STALE })
  @ApiConflictResponse({ description: SLUG_TAKEN })
  async update(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Body() body: UpdateWorkflowBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowResponse> {
    return withETag(response, await this.workflows.update(groupId, id, body, actor, ifMatch));
  }

  /** Deletes the workflow; its runs stay readable under /v1/runs. */
  @Auth({ role: 'editor' })
  @Delete(':workflow_id')
  @HttpCode(204)
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'deleteWorkflow', summary: 'Delete a workflow' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') id: string,
  ): Promise<void> {
    return this.workflows.delete(groupId, id, actor);
  }

  /** Snapshots the current draft as an immutable, numbered version; the key asking is its author. */
  @Auth({ role: 'editor' })
  @Post(':workflow_id/versions')
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'createVersion', summary: 'Create a version from the draft' })
  @ApiBody({ type: CreateVersionBody, examples: WORKFLOW_EXAMPLES.createVersion })
  @ApiCreatedResponse({ type: WorkflowVersionResponse })
  createVersion(
    @ActingGroup() groupId: string,
    @CurrentCaller() caller: Caller,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Body() body: CreateVersionBody,
  ): Promise<WorkflowVersionResponse> {
    return this.workflows.createVersion(groupId, id, caller.keyId, body);
  }

  /** Versions, newest first. */
  @Auth({ role: 'viewer' })
  @Get(':workflow_id/versions')
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'listVersions', summary: 'List versions' })
  @ApiOkResponse({ type: PageOf(WorkflowVersionResponse) })
  listVersions(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<WorkflowVersionResponse>> {
    return this.workflows.listVersions(groupId, id, query);
  }

  @Auth({ role: 'viewer' })
  @Get(':workflow_id/versions/:version_id')
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'getVersion', summary: 'Get a version' })
  @ApiOkResponse({ type: WorkflowVersionResponse })
  getVersion(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @IdParam('version_id', 'Workflow version') versionId: string,
  ): Promise<WorkflowVersionResponse> {
    return this.workflows.getVersion(groupId, id, versionId);
  }

  /** The draft's definition becomes the version's (a change like PATCH: `revision` goes up, `If-Match` guards it). */
  @Auth({ role: 'editor' })
  @Post(':workflow_id/versions/:version_id/restore')
  @HttpCode(200)
  @ApiTags(API_TAGS.workflows.name)
  @ApiOperation({ operationId: 'restoreVersion', summary: 'Restore a version into the draft' })
  @ApiHeader({ name: 'If-Match', required: false, description: IF_MATCH })
  @ApiOkResponse({ type: WorkflowResponse, headers: ETAG_HEADER })
  @ApiPreconditionFailedResponse({ description: STALE })
  async restoreVersion(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') id: string,
    @IdParam('version_id', 'Workflow version') versionId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowResponse> {
    return withETag(response, await this.workflows.restoreVersion(groupId, id, versionId, actor, ifMatch));
  }

  /**
   * Runs the workflow and waits for it (up to SYNC_RUN_TIMEOUT_MS, at most 120 s). Completed → 200;
   * failed or stopped → 200 with the run (424 with `output_only`); still running → 202 + Location.
   * A run that parks in a durable wait (WaitNode, SignalNode, a DelayNode over a minute) answers 202
   * + Location at once, with `status: waiting`: nobody is held for a wait they cannot outlast.
   */
  @Auth({ role: 'runner' })
  @Post(':workflow_id/runs/sync')
  @HttpCode(200)
  @RunCreation()
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({
    summary: 'Run a workflow and wait for it',
    operationId: 'runSync',
    callbacks: RUN_FINISHED_CALLBACK,
  })
  @ApiExtraModels(RunResponse)
  @ApiOkResponse({
    description: 'The finished run; with `output_only=true`, only its output map (keyed by label, or id).',
    schema: {
      anyOf: [
        { $ref: getSchemaPath(RunResponse) },
        { type: 'object', additionalProperties: true, description: 'output_only=true: the output map.' },
      ],
    },
  })
  @ApiAcceptedResponse({
    type: RunResponse,
    description:
      'Still running after the wait limit, or parked in a durable wait (`status: waiting`, answered at once); poll Location.',
    headers: LOCATION_HEADER,
  })
  @ApiFailedDependencyResponse({
    description: '`output_only=true` and the run failed or was stopped: `run_id`, `run_status`, `error`.',
  })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, input, node_ids or single_node_id.' })
  async runSync(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunQuery,
    @Body() body: CreateRunBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse | Record<string, unknown>> {
    const { run, finished } = await this.runs.runSync(
      runRequest(groupId, workflowId, query, body, { idempotencyKey, traceparent }),
    );
    const result = toRunResponse(run);
    if (!finished) {
      response.status(202).setHeader('Location', runLocation(run));
      return result;
    }
    if (!query.output_only) return result;
    if (result.status === 'completed') return result.output ?? {};
    throw new Problem(
      424,
      'run-not-completed',
      'Failed Dependency',
      result.error ? `The run ${result.status}: ${result.error.message}` : `The run ${result.status}.`,
      { run_id: result.id, run_status: result.status, error: result.error },
    );
  }

  /** Queues a run for a worker and answers at once; follow it with GET, its events, or a callback. */
  @Auth({ role: 'runner' })
  @Post(':workflow_id/runs')
  @HttpCode(202)
  @RunCreation()
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({
    summary: 'Queue a run',
    operationId: 'runAsync',
    callbacks: RUN_FINISHED_CALLBACK,
  })
  @ApiAcceptedResponse({
    type: RunResponse,
    description: 'The queued run; Location points at it.',
    headers: LOCATION_HEADER,
  })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, input, node_ids or single_node_id.' })
  async runAsync(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunQuery,
    @Body() body: CreateRunBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const run = await this.runs.runAsync(runRequest(groupId, workflowId, query, body, { idempotencyKey, traceparent }));
    response.setHeader('Location', runLocation(run));
    return toRunResponse(run);
  }

  /** Runs of the workflow, newest first, optionally filtered by status. */
  @Auth({ role: 'viewer' })
  @Get(':workflow_id/runs')
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ summary: "List a workflow's runs", operationId: 'listWorkflowRuns' })
  @ApiOkResponse({ type: PageOf(RunResponse) })
  async listRuns(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunListQuery,
  ): Promise<Page<RunResponse>> {
    const page = await this.runs.list(groupId, workflowId, query);
    return { ...page, items: page.items.map(toRunResponse) };
  }

  @Auth({ role: 'viewer' })
  @Get(':workflow_id/runs/:run_id')
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ summary: "Get a workflow's run", operationId: 'getWorkflowRun' })
  @ApiOkResponse({ type: RunResponse })
  async getRun(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<RunResponse> {
    return toRunResponse(await this.runs.get(groupId, runId, workflowId));
  }
}

/**
 * The revision, and a digest of the pinned sample input when there is one: the ETag must change
 * with everything the response shows (or a cache answers 304 with a stale `sample_input`), while
 * `If-Match` guards edits of the workflow, so it compares the revision only.
 */
function withETag(response: Response, workflow: WorkflowResponse): WorkflowResponse {
  const sample = workflow.sample_input
    ? `-${createHash('sha256').update(JSON.stringify(workflow.sample_input)).digest('hex').slice(0, 12)}`
    : '';
  response.setHeader('ETag', `"${workflow.revision}${sample}"`);
  return workflow;
}
