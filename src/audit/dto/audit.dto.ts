import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { GroupQuery } from '../../common/group-query.js';
import { IsTimestamp } from '../../runs/dto/run-search.dto.js';
import { IsCursor } from '../../runs/run-cursor.js';
import type { AuditEventRow, AuditFilter } from '../audit.repository.js';

export const MAX_AUDIT_LIMIT = 200;
export const DEFAULT_AUDIT_LIMIT = 50;

/** The filters of `GET /v1/audit` and its export; every one given must match. */
export class AuditFilterQuery extends GroupQuery {
  /** An action (`workflow.updated`), or every action of a kind with a prefix that ends with a dot (`workflow.`). */
  @ApiPropertyOptional({ example: 'workflow.' })
  @IsOptional()
  @Matches(/^[a-z][a-z_]*\.(?:[a-z][a-z_]*)?$/, {
    message: 'action must be an action (workflow.updated) or a prefix ending with a dot (workflow.)',
  })
  action?: string;

  /** What the change was made to: `workflow`, `workflow_version`, `schedule`, `secret`, `api_key`, `group`, `run`, `runs`, `audit_events`. */
  @ApiPropertyOptional({ example: 'workflow' })
  @IsOptional()
  @Matches(/^[a-z][a-z_]*$/, { message: 'target_type must be lower-case letters and _ (e.g. workflow)' })
  target_type?: string;

  /** The id of what the change was made to (a secret's name for a secret). */
  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(200)
  target_id?: string;

  /** Changes made by this API key. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  key_id?: string;

  /** Changes made at or after this time (ISO 8601; a date alone is midnight UTC). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  since?: string;

  /** Changes made before this time (exclusive). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  until?: string;
}

/** `GET /v1/audit`: the filters and a keyset page. */
export class AuditQuery extends AuditFilterQuery {
  /** Events per page. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_AUDIT_LIMIT, default: DEFAULT_AUDIT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_LIMIT)
  limit: number = DEFAULT_AUDIT_LIMIT;

  /** The `next_cursor` of the previous page; send the same filters with it. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsCursor()
  cursor?: string;
}

/** One change: who made it, when, in which group, what it did to what, and the target before and after. */
export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  /** `api_key` (key_id says which), `system` (retention), or `resume_link` (a waiting node's link, no key). */
  @ApiProperty({ enum: ['api_key', 'system', 'resume_link'] }) actor!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) key_id!: string | null;
  /** The key's name when the change was made. */
  @ApiProperty({ type: String, nullable: true }) key_name!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) group_id!: string | null;
  /** `<target type>.<verb>`, e.g. `workflow.updated`, `run.stopped`, `retention.purged`. */
  @ApiProperty({ example: 'workflow.updated' }) action!: string;
  @ApiProperty({ example: 'workflow' }) target_type!: string;
  @ApiProperty({ type: String, nullable: true }) target_id!: string | null;
  /** The target before the change, redacted: credentials read `[redacted]`. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before!: Record<string, unknown> | null;
  /** The target after the change (or what the change did), redacted. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after!: Record<string, unknown> | null;
}

export class AuditPageResponse {
  /** Newest first (created_at, then id, descending). */
  @ApiProperty({ type: [AuditEventResponse] }) items!: AuditEventResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export function toAuditFilter(query: AuditFilterQuery): AuditFilter {
  const prefix = query.action?.endsWith('.');
  return {
    action: prefix ? undefined : query.action,
    actionPrefix: prefix ? query.action : undefined,
    targetType: query.target_type,
    targetId: query.target_id,
    keyId: query.key_id?.toLowerCase(),
    since: date(query.since),
    until: date(query.until),
  };
}

export function toAuditEventResponse(row: AuditEventRow): AuditEventResponse {
  return {
    id: row.id,
    created_at: row.created_at.toISOString(),
    actor: row.actor,
    key_id: row.key_id,
    key_name: row.key_name,
    group_id: row.group_id,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    before: row.before,
    after: row.after,
  };
}
