import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  isUUID,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { GroupQuery } from '../../common/group-query.js';
import { KeepJson } from '../../common/json-value.js';
import { isJsonObject, Precompiled } from '../../common/precompiled-validation.js';
import { toBoolean } from '../../common/validation.js';
import { IsRunMetadata, metadataProperty, type RunMetadata } from '../run-metadata.js';

const isGiven = (_: object, value: unknown) => value !== null && value !== undefined;

const isNullish = (value: unknown) => value === null || value === undefined;
const isUuidOrNullish = (value: unknown) => isNullish(value) || (typeof value === 'string' && isUUID(value, 'all'));

/** Fields a run body may name; the precompiled check takes the simple ones, any others go through class-validator. */
const PRECOMPILED_RUN_FIELDS: Record<string, (value: unknown) => boolean> = {
  input: isJsonObject,
  group_id: isUuidOrNullish,
  workflow_version_id: isUuidOrNullish,
  tracing: (value) => isNullish(value) || typeof value === 'boolean',
  node_ids: isNullish,
  single_node_id: isNullish,
  debugger: isNullish,
  callback_url: isNullish,
  metadata: isNullish,
};

/** The body of `POST /v1/workflows/{workflow_id}/runs` and `…/runs/sync`. */
@Precompiled((body) => {
  if (!isJsonObject(body) || !('input' in body)) return undefined;
  for (const field of Object.keys(body)) {
    if (!Object.hasOwn(PRECOMPILED_RUN_FIELDS, field) || !PRECOMPILED_RUN_FIELDS[field](body[field])) return undefined;
  }
  return Object.assign(new CreateRunBody(), body);
})
export class CreateRunBody {
  /** Values by InputNode label or node id (for `single_node_id`: by the node's input connector names). */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { 'User Question': 'What is a DAG?' } })
  @IsObject()
  @KeepJson()
  input!: Record<string, unknown>;

  /** Run only these nodes and everything upstream of them. */
  @ApiPropertyOptional({ type: [String], nullable: true })
  @ValidateIf(isGiven)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  node_ids?: string[] | null;

  /** Run this one node alone. Cannot be combined with `node_ids`. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf(isGiven)
  @IsString()
  @Length(1, 64)
  single_node_id?: string | null;

  /** Run in this group instead of the key's default group. */
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @ValidateIf(isGiven)
  @IsUUID('all')
  group_id?: string | null;

  /** Run this version; omitted or null runs the current draft. */
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @ValidateIf(isGiven)
  @IsUUID('all')
  workflow_version_id?: string | null;

  /** Record an OpenTelemetry trace for the run; its id is returned as `trace_id`. Omitted or null: false. */
  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @ValidateIf(isGiven)
  @IsBoolean()
  tracing?: boolean | null;

  /** A debugger session name; the run's events also stream on /v1/debugger/{session}/events. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128 })
  @ValidateIf(isGiven)
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'debugger must be 1-128 letters, digits, or . _ : -' })
  debugger?: string | null;

  /** Called with the finished run (signed, retried). http or https, 1–2083 characters. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2083 })
  @ValidateIf(isGiven)
  @IsString()
  @Length(1, 2083)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
    { message: 'callback_url must be an http or https URL' },
  )
  callback_url?: string | null;

  @ApiPropertyOptional(
    metadataProperty(
      'Labels of your own, returned on the run, in its callback and events, and searchable with `GET /v1/runs?metadata.<key>=<value>`.',
      true,
    ),
  )
  @ValidateIf(isGiven)
  @IsRunMetadata()
  metadata?: RunMetadata | null;
}

const QUERY_BOOLEANS: Record<string, boolean> = { true: true, 1: true, false: false, 0: false };

@Precompiled((query) => {
  if (typeof query !== 'object' || query === null) return undefined;
  const dto = new RunQuery();
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') return undefined;
    if (name === 'group_id' && isUUID(value, 'all')) dto.group_id = value;
    else if ((name === 'output_only' || name === 'use_output_ids') && Object.hasOwn(QUERY_BOOLEANS, value)) {
      dto[name] = QUERY_BOOLEANS[value];
    } else return undefined;
  }
  return dto;
})
export class RunQuery extends GroupQuery {
  /** Respond with just the output (and 424 problem+json when the run failed or was stopped). */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  output_only: boolean = false;

  /** Key the output by OutputNode id instead of label. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  use_output_ids: boolean = false;
}
