import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import type { ApiKey, ApiKeyRole } from '../../generated/prisma/client.js';
import { API_KEY_ROLES } from '../../common/roles.js';

export class CreateApiKeyBody {
  @ApiProperty({ example: 'ci pipeline', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  /**
   * What the key may do, each role including the one before: `viewer` reads everything in its
   * groups (secrets by name only); `runner` also starts, stops, retries and replays runs, sends
   * signals and redelivers callbacks; `editor` also changes workflows, versions, schedules and
   * secrets and deletes runs; `admin` also manages groups and keys and may act in every group.
   * `member` is the earlier name of editor's rights, still accepted and kept as given. Each
   * operation names the role it needs in `x-required-role`.
   */
  @ApiProperty({ enum: API_KEY_ROLES, example: 'runner' })
  @IsIn(API_KEY_ROLES)
  role!: ApiKeyRole;

  /** The groups this key may act in. */
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  group_ids!: string[];

  /** Where requests act when they give no `group_id`; defaults to the first of `group_ids`. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  default_group_id?: string;

  /** When the key stops working; never if omitted. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  expires_at?: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  /** The first characters of the key, to recognise it. */
  @ApiProperty({ example: 'rl_AbCd123' }) prefix!: string;
  /** `viewer`, `runner`, `editor` or `admin`; `member` (editor's rights) for keys created with that name. */
  @ApiProperty({ enum: API_KEY_ROLES }) role!: ApiKeyRole;
  @ApiProperty({ format: 'uuid' }) default_group_id!: string;
  @ApiProperty({ type: [String] }) group_ids!: string[];
  @ApiProperty({ nullable: true, format: 'date-time', type: String }) last_used_at!: string | null;
  @ApiProperty({ nullable: true, format: 'date-time', type: String }) expires_at!: string | null;
  @ApiProperty({ nullable: true, format: 'date-time', type: String }) revoked_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  /** The secret. It is shown once, here, and cannot be read again. */
  @ApiProperty({ example: 'rl_…' }) key!: string;
}

export function toApiKeyResponse(key: ApiKey): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    default_group_id: key.defaultGroupId,
    group_ids: key.groupIds,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
  };
}
