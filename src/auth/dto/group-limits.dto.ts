import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateIf } from 'class-validator';
import { KeepJson } from '../../common/json-value.js';
import {
  GROUP_LIMITS,
  type GroupLimitOverrides,
  type GroupLimitValues,
  type GroupUsageName,
} from '../../config/group-limits.js';

/*
 * The classes below get one property per row of GROUP_LIMITS (config/group-limits.ts), decorated in
 * a loop: a limit added to the table appears in the API and its document without another edit.
 * They declare no TypeScript members (nor an index signature, which the Swagger plugin would
 * document as `additionalProperties`): the loop is their only description.
 */

export class GroupLimitResponse {
  /** The limit in force for the group: its own value if an admin set one, else the deployment's default. */
  @ApiProperty({ example: 1000 }) value!: number;
  /** The deployment's default (its environment variable). */
  @ApiProperty({ example: 1000 }) default!: number;
  /** Whether the group has its own value (set with `PATCH /v1/groups/{group_id}`). */
  @ApiProperty() overridden!: boolean;
}

/** Every per-group limit, by name. */
export class GroupLimitsResponse {}

/** What the group holds now against each limit. */
export class GroupUsageResponse {}

/** New values of some limits; null returns a limit to the deployment's default, an omitted one is unchanged. */
export class GroupLimitsPatch {}

for (const limit of GROUP_LIMITS) {
  ApiProperty({ type: GroupLimitResponse, description: `${limit.description} Default: ${limit.env}.` })(
    GroupLimitsResponse.prototype,
    limit.name,
  );
  ApiProperty({ type: 'integer', description: limit.usageDescription })(GroupUsageResponse.prototype, limit.usage);
  ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: limit.min,
    maximum: limit.max,
    description: `${limit.description} null: back to ${limit.env} (default ${limit.default}).`,
  })(GroupLimitsPatch.prototype, limit.name);
}

/** `PATCH /v1/groups/{group_id}` (admin keys): a new name, limits, or both. */
export class UpdateGroupBody {
  /** A new name, unique regardless of case (409 when another group has it). */
  @ApiPropertyOptional({ example: 'marketing-emea', maxLength: 200 })
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  /**
   * The group's own limits: each key a limit's name, each value a whole number within the limit's
   * bounds, or null to follow the deployment's default again. Unknown names and bad values are a 422.
   */
  @ApiPropertyOptional({ type: GroupLimitsPatch, example: { max_active_runs: 50, max_schedules: null } })
  @ValidateIf((_, value) => value !== undefined)
  @IsObject()
  @KeepJson()
  limits?: GroupLimitsPatch;
}

export function toGroupLimitsResponse(defaults: GroupLimitValues, overrides: GroupLimitOverrides): GroupLimitsResponse {
  return Object.fromEntries(
    GROUP_LIMITS.map(({ name }) => [
      name,
      { value: overrides[name] ?? defaults[name], default: defaults[name], overridden: overrides[name] !== undefined },
    ]),
  );
}

export type GroupUsage = Record<GroupUsageName, number>;
