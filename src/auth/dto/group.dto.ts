import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { GroupQuery } from '../../common/group-query.js';
import { toBoolean } from '../../common/validation.js';
import type { Group } from '../../generated/prisma/client.js';
import { GroupLimitsResponse, GroupUsageResponse } from './group-limits.dto.js';

export class CreateGroupBody {
  /** A human-readable workspace name. */
  @ApiProperty({ example: 'marketing', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class DeleteGroupQuery extends GroupQuery {
  /** Delete the group with everything it holds (refused while runs are active). */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  force: boolean = false;
}

export class GroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  /** The group's Standard Webhooks signing secret; only on single-group reads and creation. */
  @ApiPropertyOptional({ example: 'whsec_…' }) webhook_secret?: string;
  /** Single-group reads and updates: every per-group limit in force, its default, and whether the group overrides it. */
  @ApiPropertyOptional({ type: GroupLimitsResponse }) limits?: GroupLimitsResponse;
  /** Single-group reads and updates: what the group holds now against its limits. */
  @ApiPropertyOptional({ type: GroupUsageResponse }) usage?: GroupUsageResponse;
}

export function toGroupResponse(group: Group, withSecret: boolean): GroupResponse {
  return {
    id: group.id,
    name: group.name,
    created_at: group.createdAt.toISOString(),
    ...(withSecret ? { webhook_secret: group.webhookSecret } : {}),
  };
}
