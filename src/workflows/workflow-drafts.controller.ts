import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { DefinitionValidationResponse, ValidateDefinitionBody } from './dto/definition-validation.dto.js';
import { WorkflowsService } from './workflows.service.js';

/** What an editor asks while a draft is being changed: is it valid, and which ports do its nodes have. */
@Auth()
@ApiTags(API_TAGS.workflows.name)
@Controller('v1/workflows')
export class WorkflowDraftsController {
  constructor(private readonly workflows: WorkflowsService) {}

  /**
   * Checks a definition as saving it would, and stores nothing: 200 with `valid`, the `errors` a
   * save would answer 422 with, and the connectors of its nodes.
   */
  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a definition' })
  @ApiOkResponse({ type: DefinitionValidationResponse })
  validate(
    @ActingGroup() groupId: string,
    @Body() body: ValidateDefinitionBody,
  ): Promise<DefinitionValidationResponse> {
    return this.workflows.validate(groupId, body);
  }
}
