import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Secret } from '../../generated/prisma/client.js';

export const MIN_SECRET_LENGTH = 8;
export const MAX_SECRET_LENGTH = 65_536;

export class PutSecretBody {
  /**
   * The secret's value, 8–65536 characters. It is never returned; runs see it through
   * `((secrets.NAME))` and everything they record shows `[secret:NAME]` instead. Shorter values
   * are refused because masking them would mangle unrelated text.
   */
  @ApiProperty({
    minLength: MIN_SECRET_LENGTH,
    maxLength: MAX_SECRET_LENGTH,
    writeOnly: true,
    example: 'sk-live-0123456789',
  })
  @IsString()
  @Length(MIN_SECRET_LENGTH, MAX_SECRET_LENGTH)
  value!: string;
}

/** A secret as the API shows it: never its value. */
export class SecretResponse {
  /** Referenced in node config templates as `((secrets.NAME))`. */
  @ApiProperty({ example: 'API_TOKEN' }) name!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  /** When the value was last set; runs that start afterwards use it. */
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  /** The API key that last set the value. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) updated_by_key_id!: string | null;
}

export function toSecretResponse(
  secret: Pick<Secret, 'name' | 'createdAt' | 'updatedAt' | 'updatedByKeyId'>,
): SecretResponse {
  return {
    name: secret.name,
    created_at: secret.createdAt.toISOString(),
    updated_at: secret.updatedAt.toISOString(),
    updated_by_key_id: secret.updatedByKeyId,
  };
}
