import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { runErrorProperty } from './run-error.schema.js';
import { RUN_STATUSES } from './run-status.js';

/** The schema name clients see (`components.schemas.Problem`). */
export const PROBLEM_SCHEMA_NAME = 'Problem';

export class FieldProblemResponse {
  /** The body field, query parameter or header at fault (`definition.nodes[2].config.url`). */
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

/**
 * Every error answer, as `application/problem+json` (RFC 9457). Members past `request_id` appear
 * only on the problems that carry them.
 */
@ApiSchema({ name: PROBLEM_SCHEMA_NAME })
export class ProblemResponse {
  /** A URI naming the kind of problem; stable, so clients can branch on it. */
  @ApiProperty({ format: 'uri', example: 'https://runloom.dev/problems/not-found' }) type!: string;
  @ApiProperty({ example: 'Not Found' }) title!: string;
  /** The HTTP status code, repeated. */
  @ApiProperty({ example: 404 }) status!: number;
  @ApiPropertyOptional({ example: 'Run 0b7c… was not found.' }) detail?: string;
  /** The request's path and query. */
  @ApiProperty({ example: '/v1/runs/0b7c…' }) instance!: string;
  /** Also sent as the `X-Request-Id` header; quote it when reporting a problem. */
  @ApiProperty() request_id!: string;
  /** 422: every invalid field at once. */
  @ApiPropertyOptional({ type: [FieldProblemResponse] }) errors?: FieldProblemResponse[];
  /** 424 (`output_only=true`): the run that did not complete. */
  @ApiPropertyOptional({ format: 'uuid' }) run_id?: string;
  /** 409 and 424: the run's status. */
  @ApiPropertyOptional({ enum: RUN_STATUSES }) run_status?: string;
  /** 424: why the run failed; null when it was stopped. */
  @ApiProperty(runErrorProperty(false)) error?: unknown;
  /** 412: the workflow's current revision. */
  @ApiPropertyOptional() revision?: number;
  /** `limit-exceeded/…` problems: the per-group limit that refused the request. */
  @ApiPropertyOptional({ example: 'max_active_runs' }) limit?: string;
  /** `limit-exceeded/…`: the group's value of that limit. */
  @ApiPropertyOptional({ example: 1000 }) value?: number;
  /** `limit-exceeded/…`: what the group holds now (active runs, schedules, ticks in the last minute). */
  @ApiPropertyOptional({ example: 1000 }) current?: number;
}
