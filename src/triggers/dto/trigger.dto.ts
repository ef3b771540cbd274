import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Trigger } from '../../generated/prisma/client.js';
import { CreateRunBody } from '../../runs/dto/create-run.dto.js';
import {
  HMAC_ALGORITHMS,
  HMAC_ENCODINGS,
  MAX_TOLERANCE_SECONDS,
  type Verification,
  VERIFICATION_TYPES,
} from '../trigger-verification.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const HEADER_NAME_MESSAGE = 'must be an HTTP header name';
export const TRIGGER_MODES = ['sync', 'async'] as const;

/**
 * How deliveries are verified. `type` says which of the other fields apply: `tolerance_seconds`
 * (standard_webhooks, stripe), `header`, `algorithm`, `encoding`, `prefix` (hmac), `id_header`
 * (hmac, none).
 */
export class TriggerVerificationBody {
  /**
   * `none`: the URL's token alone; `standard_webhooks`: webhook-id/webhook-timestamp/webhook-signature;
   * `github`: X-Hub-Signature-256; `stripe`: Stripe-Signature; `hmac`: an HMAC of the body in `header`.
   */
  @ApiProperty({ enum: VERIFICATION_TYPES, example: 'github' })
  @IsIn(VERIFICATION_TYPES)
  type!: (typeof VERIFICATION_TYPES)[number];

  /** standard_webhooks and stripe: how far the signed timestamp may be from now (default 300). */
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOLERANCE_SECONDS, default: 300 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TOLERANCE_SECONDS)
  tolerance_seconds?: number;

  /** hmac: the header holding the signature. */
  @ApiPropertyOptional({ example: 'X-Signature', maxLength: 100 })
  @IsOptional()
  @Matches(HEADER_NAME, { message: `header ${HEADER_NAME_MESSAGE}` })
  header?: string;

  /** hmac: the HMAC's hash. */
  @ApiPropertyOptional({ enum: HMAC_ALGORITHMS })
  @IsOptional()
  @IsIn(HMAC_ALGORITHMS)
  algorithm?: (typeof HMAC_ALGORITHMS)[number];

  /** hmac: how the signature is written. */
  @ApiPropertyOptional({ enum: HMAC_ENCODINGS })
  @IsOptional()
  @IsIn(HMAC_ENCODINGS)
  encoding?: (typeof HMAC_ENCODINGS)[number];

  /** hmac: text before the signature in the header, e.g. `sha256=`. */
  @ApiPropertyOptional({ example: 'sha256=', maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  prefix?: string;

  /** hmac and none: a header naming each delivery; a delivery id seen in the last 24 hours is refused (409). */
  @ApiPropertyOptional({ example: 'X-Delivery-Id', maxLength: 100 })
  @IsOptional()
  @Matches(HEADER_NAME, { message: `id_header ${HEADER_NAME_MESSAGE}` })
  id_header?: string;
}

/** `POST /v1/workflows/{workflow_id}/triggers`. */
export class CreateTriggerBody extends PickType(CreateRunBody, ['workflow_version_id', 'callback_url']) {
  @ApiProperty({ example: 'GitHub pushes', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  /** `sync` answers the delivery with the finished run (as `…/runs/sync`); `async` with 202 and the queued run. */
  @ApiPropertyOptional({ enum: TRIGGER_MODES, default: 'async' })
  @IsOptional()
  @IsIn(TRIGGER_MODES)
  mode?: (typeof TRIGGER_MODES)[number];

  /**
   * A JSONata expression over `{ body, headers, query }` of the delivery (headers lower-case) giving
   * the run input, an object, e.g. `{ "Repository": body.repository.full_name }`.
   */
  @ApiProperty({ example: '{ "User Question": body.head_commit.message, "Context": headers."x-github-event" }' })
  @IsString()
  @Length(1, 10_000)
  input_mapping!: string;

  /** A disabled trigger answers 404 to every delivery. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ type: TriggerVerificationBody })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => TriggerVerificationBody)
  verification!: TriggerVerificationBody;

  /**
   * The signing secret the sender uses (e.g. Stripe's endpoint secret); omitted, one is generated.
   * Returned once, in this answer.
   */
  @ApiPropertyOptional({ maxLength: 500, writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(8, 500)
  secret?: string;
}

/** `PATCH /v1/triggers/{trigger_id}`: what may change; the scheme's other fields and the workflow stay. */
export class TriggerVerificationPatch {
  /** standard_webhooks and stripe only. */
  @ApiProperty({ minimum: 1, maximum: MAX_TOLERANCE_SECONDS })
  @IsInt()
  @Min(1)
  @Max(MAX_TOLERANCE_SECONDS)
  tolerance_seconds!: number;
}

export class UpdateTriggerBody extends PartialType(
  PickType(CreateTriggerBody, ['name', 'mode', 'input_mapping', 'enabled', 'callback_url']),
) {
  @ApiPropertyOptional({ type: TriggerVerificationPatch })
  @IsOptional()
  @ValidateNested()
  @Type(() => TriggerVerificationPatch)
  verification?: TriggerVerificationPatch;
}

/** `POST /v1/triggers/{trigger_id}/rotate`: which credential to replace (both when the body is empty). */
export class RotateTriggerBody {
  /** A new URL; the old one stops working at once. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  token?: boolean;

  /** A new signing secret; deliveries signed with the old one are refused from now on. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  secret?: boolean;

  /** The new secret to use instead of a generated one (with `secret`). */
  @ApiPropertyOptional({ maxLength: 500, writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(8, 500)
  secret_value?: string;
}

export class TriggerVerificationResponse {
  @ApiProperty({ enum: VERIFICATION_TYPES }) type!: string;
  @ApiPropertyOptional() tolerance_seconds?: number;
  @ApiPropertyOptional() header?: string;
  @ApiPropertyOptional({ enum: HMAC_ALGORITHMS }) algorithm?: string;
  @ApiPropertyOptional({ enum: HMAC_ENCODINGS }) encoding?: string;
  @ApiPropertyOptional() prefix?: string;
  @ApiPropertyOptional() id_header?: string;
}

export class TriggerResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) group_id!: string;
  @ApiProperty({ format: 'uuid' }) workflow_id!: string;
  /** The version each run executes; null runs the draft as it is at delivery. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) workflow_version_id!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TRIGGER_MODES }) mode!: string;
  @ApiProperty({ nullable: true, type: String }) callback_url!: string | null;
  @ApiProperty() input_mapping!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: TriggerVerificationResponse }) verification!: TriggerVerificationResponse;
  /** When the latest delivery started a run. */
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_delivery_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

/** The trigger with its credentials: shown when they are made (creation, rotation) and never again. */
export class TriggerCredentialsResponse extends TriggerResponse {
  /** Where the sender posts: `/v1/hooks/{token}` (absolute under PUBLIC_URL when set). Not shown again. */
  @ApiProperty({ nullable: true, type: String, example: 'https://runloom.example.com/v1/hooks/tok_…' })
  url!: string | null;
  /** The signing secret to give the sender; null for `none`, or when this rotation kept it. Not shown again. */
  @ApiProperty({ nullable: true, type: String }) secret!: string | null;
}

export function toTriggerResponse(trigger: Trigger): TriggerResponse {
  return {
    id: trigger.id,
    group_id: trigger.groupId,
    workflow_id: trigger.workflowId,
    workflow_version_id: trigger.workflowVersionId,
    name: trigger.name,
    mode: trigger.mode,
    callback_url: trigger.callbackUrl,
    input_mapping: trigger.inputMapping,
    enabled: trigger.enabled,
    verification: trigger.verification as Verification,
    last_delivery_at: trigger.lastDeliveryAt?.toISOString() ?? null,
    created_at: trigger.createdAt.toISOString(),
    updated_at: trigger.updatedAt.toISOString(),
  };
}
