import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import type { Schedule } from '../../generated/prisma/client.js';
import { CreateRunBody } from '../../runs/dto/create-run.dto.js';
import { metadataProperty, type RunMetadata } from '../../runs/run-metadata.js';

/** `POST /v1/workflows/{workflow_id}/schedules`. */
export class CreateScheduleBody extends PickType(CreateRunBody, [
  'input',
  'workflow_version_id',
  'callback_url',
  'metadata',
]) {
  /**
   * When to start a run: 5 fields (minute hour day-of-month month day-of-week) or 6 (a seconds
   * field first), e.g. `0 7 * * 1-5` for 7:00 on weekdays.
   */
  @ApiProperty({ example: '0 7 * * *', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  cron!: string;

  /** The IANA time zone the cron expression is read in. */
  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'UTC', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  timezone?: string;

  /** A disabled (paused) schedule starts nothing until enabled again. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** `PATCH …/schedules/{schedule_id}`: only the fields given change. */
export class UpdateScheduleBody extends PartialType(CreateScheduleBody) {}

/** `GET /v1/schedules`. */
export class ScheduleListQuery extends PageQuery {
  /** Only the schedules of this workflow. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  workflow_id?: string;
}

export class ScheduleResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) group_id!: string;
  @ApiProperty({ format: 'uuid' }) workflow_id!: string;
  /** The version each run executes; null runs the draft as it is at the tick. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) workflow_version_id!: string | null;
  @ApiProperty({ example: '0 7 * * *' }) cron!: string;
  @ApiProperty({ example: 'UTC' }) timezone!: string;
  /** The run input of every run the schedule starts. */
  @ApiProperty({ type: 'object', additionalProperties: true }) input!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) callback_url!: string | null;
  @ApiProperty(metadataProperty('Given to every run the schedule starts (`{}` when none).', false))
  metadata!: RunMetadata;
  @ApiProperty() enabled!: boolean;
  /** The next tick; null while the schedule is disabled. */
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) next_run_at!: string | null;
  /** The run the latest tick started. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) last_run_id!: string | null;
  /** Why the latest tick started no run (e.g. the input no longer fits the draft); null when it did. */
  @ApiProperty({ nullable: true, type: String }) last_error!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export function toScheduleResponse(schedule: Schedule): ScheduleResponse {
  return {
    id: schedule.id,
    group_id: schedule.groupId,
    workflow_id: schedule.workflowId,
    workflow_version_id: schedule.workflowVersionId,
    cron: schedule.cron,
    timezone: schedule.timezone,
    input: schedule.input as Record<string, unknown>,
    callback_url: schedule.callbackUrl,
    metadata: schedule.metadata as RunMetadata,
    enabled: schedule.enabled,
    next_run_at: schedule.nextRunAt?.toISOString() ?? null,
    last_run_id: schedule.lastRunId,
    last_error: schedule.lastError,
    created_at: schedule.createdAt.toISOString(),
    updated_at: schedule.updatedAt.toISOString(),
  };
}
