import { ApiHideProperty, ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  isISO8601,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import type { RunStatus } from '../../generated/prisma/client.js';
import { GroupQuery } from '../../common/group-query.js';
import { QueryMap } from '../../common/query-map.js';
import { RUN_STATUSES } from '../../common/run-status.js';
import { IsCursor } from '../run-cursor.js';
import { IsRunMetadata, metadataProperty, type RunMetadata } from '../run-metadata.js';
import type { RunFilter } from '../run-search.js';
import { RunResponse } from './run.dto.js';

export const MAX_SEARCH_LIMIT = 200;
export const DEFAULT_SEARCH_LIMIT = 50;

/** A date (midnight UTC) or a date-time with its offset: a time without one would be the server's local time. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function IsTimestamp(): PropertyDecorator {
  return ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: (value) => typeof value === 'string' && TIMESTAMP.test(value) && isISO8601(value, { strict: true }),
      defaultMessage: (args) =>
        `${args?.property} must be an ISO 8601 date or date-time with a time zone (e.g. 2026-12-03T14:00:00Z)`,
    },
  });
}

/** Filters both `GET /v1/runs` and `POST /v1/runs/stop` take; every one given must match. */
class RunFilterFields {
  /** Runs of this workflow. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  workflow_id?: string;

  /** Runs created at or after this time (ISO 8601; a date alone is midnight UTC). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  created_after?: string;

  /** Runs created before this time (exclusive, so consecutive windows never share a run). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  created_before?: string;

  /** Runs that finished at or after this time (unfinished runs never match). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  finished_after?: string;

  /** Runs that finished before this time (exclusive). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  finished_before?: string;

  /** Runs this schedule started. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  schedule_id?: string;

  /** Runs this webhook trigger started. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  trigger_id?: string;

  /** The child runs this run's WorkflowNode or MapNode started. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  parent_run_id?: string;

  /** Every child run, at any depth, of the tree this root run started (not the root itself). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  root_run_id?: string;

  /** The retries of this run (`POST /v1/runs/{run_id}/retry`). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  retry_of?: string;
}

/** `?status=failed&status=stopped` and `?status=failed,stopped` alike. */
const statusList = ({ value }: { value: unknown }) =>
  typeof value === 'string' || Array.isArray(value) ? [value].flat().flatMap((item) => String(item).split(',')) : value;

/** `GET /v1/runs`: the filters as query parameters, and the page. */
export class RunSearchQuery extends IntersectionType(RunFilterFields, GroupQuery) {
  /** Runs in any of these statuses: repeat the parameter or separate them with commas. */
  @ApiPropertyOptional({ enum: RUN_STATUSES, isArray: true })
  @IsOptional()
  @Transform(statusList)
  @IsIn(RUN_STATUSES, { each: true })
  status?: RunStatus[];

  /**
   * `metadata.<key>=<value>` parameters, gathered by the validation pipe (common/query-map.ts);
   * documented on the route, as OpenAPI has no parameter named by a prefix.
   */
  @ApiHideProperty()
  @QueryMap()
  @IsOptional()
  @IsRunMetadata()
  metadata?: RunMetadata;

  /** Runs per page. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: DEFAULT_SEARCH_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit: number = DEFAULT_SEARCH_LIMIT;

  /** The `next_cursor` of the previous page; send the same filters with it. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsCursor()
  cursor?: string;
}

/** The body of `POST /v1/runs/stop`: the filters of `GET /v1/runs`, at least one of them. */
export class StopRunsBody extends RunFilterFields {
  /** Runs in any of these statuses; only live ones (`queued`, `running`, `waiting`) can stop. */
  @ApiPropertyOptional({ enum: RUN_STATUSES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(RUN_STATUSES, { each: true })
  status?: RunStatus[];

  @ApiPropertyOptional(metadataProperty('Runs whose metadata has every one of these keys with these values.', false))
  @IsOptional()
  @IsRunMetadata()
  metadata?: RunMetadata;
}

export class RunSearchResponse {
  /** Newest first (created_at, then id, descending). */
  @ApiProperty({ type: [RunResponse] }) items!: RunResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

export class StopRunsResponse {
  /**
   * How many matching runs were live and not yet asked to stop, and are asked now (their
   * descendants stop with them); each reaches `stopped` within seconds.
   */
  @ApiProperty({ minimum: 0 }) stopped!: number;
}

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/** The filters of a query or a stop body; those not given are undefined (ids compare as uuid, in any case). */
export function toRunFilter(fields: RunFilterFields & { status?: RunStatus[]; metadata?: RunMetadata }): RunFilter {
  return {
    statuses: fields.status,
    workflowId: fields.workflow_id,
    createdAfter: date(fields.created_after),
    createdBefore: date(fields.created_before),
    finishedAfter: date(fields.finished_after),
    finishedBefore: date(fields.finished_before),
    scheduleId: fields.schedule_id,
    triggerId: fields.trigger_id,
    parentRunId: fields.parent_run_id,
    rootRunId: fields.root_run_id,
    retryOf: fields.retry_of,
    metadata: fields.metadata && Object.keys(fields.metadata).length ? fields.metadata : undefined,
  };
}
