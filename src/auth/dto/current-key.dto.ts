import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_ROLES } from '../../common/roles.js';
import { GroupResponse } from './group.dto.js';

export class CurrentKeyResponse {
  @ApiProperty({ format: 'uuid' }) key_id!: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role!: string;
  /** Where requests act when they name no `group_id`. */
  @ApiProperty({ format: 'uuid' }) default_group_id!: string;
  /** The groups this key may act in (admin keys may also act in every other group). */
  @ApiProperty({ type: [GroupResponse] }) groups!: GroupResponse[];
}
