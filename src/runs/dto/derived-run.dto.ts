import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
} from 'class-validator';
import { GroupQuery } from '../../common/group-query.js';
import { KeepJson } from '../../common/json-value.js';
import { CreateRunBody } from './create-run.dto.js';

const isGiven = (_: object, value: unknown) => value !== null && value !== undefined;

/**
 * `POST /v1/runs/{run_id}/replay`: what the new run changes of the run it is made from. Omitted
 * fields keep the source run's (its definition, input, callback_url, tracing, debugger, metadata).
 */
export class ReplayRunBody extends PickType(CreateRunBody, [
  'workflow_version_id',
  'tracing',
  'debugger',
  'callback_url',
  'metadata',
]) {
  /**
   * `current_draft` runs the workflow's draft as it is now (with your fix). Omitted: the exact
   * definition the source run executed. Cannot be combined with `workflow_version_id`.
   */
  @ApiPropertyOptional({ enum: ['current_draft'], nullable: true, type: String })
  @ValidateIf(isGiven)
  @IsIn(['current_draft'])
  definition?: 'current_draft' | null;

  /** Values merged over the source run's input (a key given here replaces the source's value). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { Context: 'fixed' } })
  @ValidateIf(isGiven)
  @IsObject()
  @KeepJson()
  input?: Record<string, unknown> | null;
}

/** `POST /v1/runs/{run_id}/retry`: a replay that takes over what the source run completed. */
export class RetryRunBody extends ReplayRunBody {
  /** Execute these nodes again, and everything downstream of them, even where they could be taken over. */
  @ApiPropertyOptional({ type: [String], nullable: true, example: ['prompt'] })
  @ValidateIf(isGiven)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  from_node_ids?: string[] | null;
}

export class DerivedRunQuery extends GroupQuery {
  /**
   * `async` (default) queues the new run and answers 202 at once; `sync` executes it and waits, as
   * `POST /v1/workflows/{workflow_id}/runs/sync` does.
   */
  @ApiPropertyOptional({ enum: ['async', 'sync'], default: 'async' })
  @IsOptional()
  @IsIn(['async', 'sync'])
  mode: 'async' | 'sync' = 'async';
}
