import { Body, Controller, Delete, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditActor } from '../common/audit-events.js';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { SampleInputBody } from './dto/workflow.dto.js';
import { DefinitionValidationResponse, ValidateDefinitionBody } from './dto/definition-validation.dto.js';
import { WorkflowsService } from './workflows.service.js';
import { WORKFLOW_EXAMPLES } from '../openapi/request-examples.js';

/**
 * What an editor needs besides saving: is a draft valid and which ports do its nodes have, and the
 * run input pinned for test runs.
 */
@ApiTags(API_TAGS.workflows.name)
@Controller('v1/workflows')
export class WorkflowDraftsController {
  constructor(private readonly workflows: WorkflowsService) {}

  /**
   * Checks a definition as saving it would, and stores nothing: 200 with `valid`, the `errors` a
   * save would answer 422 with, and the connectors of its nodes.
   */
  @Auth({ role: 'viewer' })
  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ operationId: 'validateDefinition', summary: 'Validate a definition' })
  @ApiBody({ type: ValidateDefinitionBody, examples: WORKFLOW_EXAMPLES.validate })
  @ApiOkResponse({ type: DefinitionValidationResponse })
  validate(
    @ActingGroup() groupId: string,
    @Body() body: ValidateDefinitionBody,
  ): Promise<DefinitionValidationResponse> {
    return this.workflows.validate(groupId, body);
  }

  /** Pins a run input to the workflow for test runs (the workflow's `sample_input`); its `revision` stays. */
  @Auth({ role: 'editor' })
  @Put(':workflow_id/sample-input')
  @ApiOperation({ operationId: 'setSampleInput', summary: 'Pin a sample input' })
  @ApiBody({ type: SampleInputBody, examples: WORKFLOW_EXAMPLES.sampleInput })
  @ApiOkResponse({ type: SampleInputBody })
  setSampleInput(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') id: string,
    @Body() body: SampleInputBody,
  ): Promise<SampleInputBody> {
    return this.workflows.setSampleInput(groupId, id, body, actor);
  }

  @Auth({ role: 'editor' })
  @Delete(':workflow_id/sample-input')
  @HttpCode(204)
  @ApiOperation({ operationId: 'clearSampleInput', summary: 'Unpin the sample input' })
  @ApiNoContentResponse({ description: 'The workflow has no sample input (any more).' })
  clearSampleInput(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') id: string,
  ): Promise<void> {
    return this.workflows.clearSampleInput(groupId, id, actor);
  }
}
