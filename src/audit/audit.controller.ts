import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import type { Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { AuditService } from './audit.service.js';
import { AuditEventResponse, AuditFilterQuery, AuditPageResponse, AuditQuery } from './dto/audit.dto.js';

/** The audit log of the acting group: one event per change, written with the change. Editors and admins read it. */
@ApiTags(API_TAGS.audit.name)
@ApiExtraModels(AuditEventResponse)
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * The group's changes, newest first: who (API key, system, resume link), when, what (`action`,
   * `target_type`, `target_id`) and the target before and after, with credentials redacted.
   * `action=workflow.` matches every action of a kind.
   */
  @Get()
  @Auth({ role: 'editor' })
  @ApiOperation({ operationId: 'listAuditEvents', summary: 'List audit events' })
  @ApiOkResponse({ type: AuditPageResponse, description: 'A page of events, newest first.' })
  list(@ActingGroup() groupId: string, @Query() query: AuditQuery): Promise<AuditPageResponse> {
    return this.audit.page(groupId, query);
  }

  /** Every event the filters match, newest first, as JSON lines (one AuditEvent per line), streamed. */
  @Get('export')
  @Auth({ role: 'editor' })
  @ApiOperation({ operationId: 'exportAuditEvents', summary: 'Export audit events as JSON lines' })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'One AuditEvent object per line.',
    content: { 'application/x-ndjson': { schema: { $ref: getSchemaPath(AuditEventResponse) } } },
  })
  async export(
    @ActingGroup() groupId: string,
    @Query() query: AuditFilterQuery,
    @Res() response: Response,
  ): Promise<void> {
    await this.audit.export(groupId, query, response);
  }
}
