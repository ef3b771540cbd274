import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { Page, PageQuery } from '../common/pagination.js';
import {
  CreateVersionBody,
  CreateWorkflowBody,
  UpdateWorkflowBody,
  WorkflowResponse,
  WorkflowVersionResponse,
} from './dto/workflow.dto.js';
import { WorkflowsService } from './workflows.service.js';

@ApiTags('workflows')
@Auth()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  /** Stores a workflow; its definition is validated and every problem is reported at once. */
  @Post()
  @ApiCreatedResponse({ type: WorkflowResponse })
  create(@ActingGroup() groupId: string, @Body() body: CreateWorkflowBody): Promise<WorkflowResponse> {
    return this.workflows.create(groupId, body);
  }

  /** Workflows of the group, newest first. */
  @Get()
  list(@ActingGroup() groupId: string, @Query() query: PageQuery): Promise<Page<WorkflowResponse>> {
    return this.workflows.list(groupId, query);
  }

  @Get(':workflow_id')
  @ApiOkResponse({ type: WorkflowResponse })
  async get(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowResponse> {
    return withETag(response, await this.workflows.get(groupId, id));
  }

  /** Changes any of name, description, definition and bumps `revision`; `If-Match: <revision>` guards against lost updates. */
  @Patch(':workflow_id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The revision you last read; 412 if it moved on.' })
  @ApiOkResponse({ type: WorkflowResponse })
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
  @ApiNoContentResponse()
  delete(@ActingGroup() groupId: string, @IdParam('workflow_id', 'Workflow') id: string): Promise<void> {
    return this.workflows.delete(groupId, id);
  }

  /** Snapshots the current draft as an immutable, numbered version. */
  @Post(':workflow_id/versions')
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
  listVersions(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<WorkflowVersionResponse>> {
    return this.workflows.listVersions(groupId, id, query);
  }

  @Get(':workflow_id/versions/:version_id')
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
