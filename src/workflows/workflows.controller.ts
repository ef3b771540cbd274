import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import {
  CreateVersionBody,
  CreateWorkflowBody,
  UpdateWorkflowBody,
  WorkflowResponse,
  WorkflowVersionResponse,
} from './dto/workflow.dto.js';
import { WorkflowsService } from './workflows.service.js';

const ETAG_HEADER = {
  ETag: { description: "The workflow's `revision`, quoted; send it back as `If-Match`.", schema: { type: 'string' } },
};

@ApiTags(API_TAGS.workflows.name)
@Auth()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  /** Stores a workflow; its definition is validated and every problem is reported at once. */
  @Post()
  @ApiOperation({ summary: 'Create a workflow' })
  @ApiCreatedResponse({ type: WorkflowResponse })
  create(@ActingGroup() groupId: string, @Body() body: CreateWorkflowBody): Promise<WorkflowResponse> {
    return this.workflows.create(groupId, body);
  }

  /** Workflows of the group, newest first. */
  @Get()
  @ApiOperation({ summary: 'List workflows' })
  @ApiOkResponse({ type: PageOf(WorkflowResponse) })
  list(@ActingGroup() groupId: string, @Query() query: PageQuery): Promise<Page<WorkflowResponse>> {
    return this.workflows.list(groupId, query);
  }

  @Get(':workflow_id')
  @ApiOperation({ summary: 'Get a workflow' })
  @ApiOkResponse({ type: WorkflowResponse, headers: ETAG_HEADER })
  async get(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowResponse> {
    return withETag(response, await this.workflows.get(groupId, id));
  }

  /** Changes any of name, description, definition and bumps `revision`; `If-Match: <revision>` guards against lost updates. */
  @Patch(':workflow_id')
  @ApiOperation({ summary: 'Update a workflow' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The `ETag` (or `revision`) you last read; 412 if the workflow has changed since.',
  })
  @ApiOkResponse({ type: WorkflowResponse, headers: ETAG_HEADER })
  @ApiPreconditionFailedResponse({ description: '`If-Match` names an older revision; `revision` is the current one.' })
  async update(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Body() body: UpdateWorkflowBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowResponse> {
    return withETag(response, await this.workflows.update(groupId, id, body, ifMatch));
  }

  /** Deletes the workflow; its runs stay readable under /v1/runs. */
  @Delete(':workflow_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a workflow' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@ActingGroup() groupId: string, @IdParam('workflow_id', 'Workflow') id: string): Promise<void> {
    return this.workflows.delete(groupId, id);
  }

  /** Snapshots the current draft as an immutable, numbered version. */
  @Post(':workflow_id/versions')
  @ApiOperation({ summary: 'Create a version from the draft' })
  @ApiCreatedResponse({ type: WorkflowVersionResponse })
  createVersion(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Body() body: CreateVersionBody,
  ): Promise<WorkflowVersionResponse> {
    return this.workflows.createVersion(groupId, id, body);
  }

  /** Versions, newest first. */
  @Get(':workflow_id/versions')
  @ApiOperation({ summary: 'List versions' })
  @ApiOkResponse({ type: PageOf(WorkflowVersionResponse) })
  listVersions(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<WorkflowVersionResponse>> {
    return this.workflows.listVersions(groupId, id, query);
  }

  @Get(':workflow_id/versions/:version_id')
  @ApiOperation({ summary: 'Get a version' })
  @ApiOkResponse({ type: WorkflowVersionResponse })
  getVersion(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @IdParam('version_id', 'Workflow version') versionId: string,
  ): Promise<WorkflowVersionResponse> {
    return this.workflows.getVersion(groupId, id, versionId);
  }
}

function withETag(response: Response, workflow: WorkflowResponse): WorkflowResponse {
  response.setHeader('ETag', `"${workflow.revision}"`);
  return workflow;
}
