import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ActingGroup, Auth, CurrentCaller } from '../../auth/auth.decorator.js';
import type { Caller } from '../../auth/caller.js';
import { IdParam } from '../../common/id-param.js';
import { API_TAGS } from '../../openapi/api-tags.js';
import { ImportQuery, ImportResultDto } from './dto/import-result.dto.js';
import {
  IMPORT_BODY_EXAMPLES,
  IMPORT_BODY_SCHEMA,
  WorkflowBundleDto,
  WorkflowDocumentDto,
} from './dto/workflow-document.dto.js';
import { WorkflowExportService } from './workflow-export.service.js';
import { WorkflowImportService } from './workflow-import.service.js';
import type { WorkflowDocument } from './workflow-document.js';

/** Workflows as code: a workflow out as a document (docs/workflows-as-code.md), documents in by slug. */
@ApiTags(API_TAGS.workflows.name)
@Controller('v1/workflows')
export class PortabilityController {
  constructor(
    private readonly exporter: WorkflowExportService,
    private readonly importer: WorkflowImportService,
  ) {}

  /**
   * The workflow as a self-contained document: definition, versions, schedules, the workflows it
   * calls by slug and the secret names it needs (never their values).
   */
  @Auth({ role: 'viewer' })
  @Get(':workflow_id/export')
  @ApiOperation({ operationId: 'exportWorkflow', summary: 'Export a workflow as a document' })
  @ApiOkResponse({ type: WorkflowDocumentDto })
  @ApiUnprocessableEntityResponse({ description: 'A workflow it calls has no slug to name it by (errors say which).' })
  export(@ActingGroup() groupId: string, @IdParam('workflow_id', 'Workflow') id: string): Promise<WorkflowDocument> {
    return this.exporter.export(groupId, id);
  }

  /**
   * Creates or updates workflows from export documents, matched by slug in the group; importing
   * the same documents again changes nothing. A bundle is written all or nothing, in one
   * transaction. `dry_run=true` checks everything and answers what would change, writing nothing.
   */
  @Auth({ role: 'editor' })
  @Post('import')
  @HttpCode(200)
  @ApiOperation({ operationId: 'importWorkflows', summary: 'Import workflow documents' })
  @ApiExtraModels(WorkflowDocumentDto, WorkflowBundleDto)
  @ApiBody({ schema: IMPORT_BODY_SCHEMA, examples: IMPORT_BODY_EXAMPLES })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiUnprocessableEntityResponse({
    description:
      'Refused, nothing written: every problem in `errors` (a malformed document, a called workflow or secret name the group lacks, an invalid definition, a version that differs from the stored one).',
  })
  @ApiConflictResponse({
    description:
      'Another request changed these workflows (or took a slug) while the import was checked; nothing was written, import again.',
  })
  import(
    @ActingGroup() groupId: string,
    @CurrentCaller() caller: Caller,
    @Query() query: ImportQuery,
    @Body() body: unknown,
  ): Promise<ImportResultDto> {
    return this.importer.import(groupId, caller.keyId, body, query.dry_run);
  }
}
