import { ApiProperty } from '@nestjs/swagger';

/** What a group holds, by kind: `DELETE /v1/groups/{group_id}` refuses (409) while any is above 0. */
export class GroupHoldings {
  /** Workflows (not deleted). */
  @ApiProperty({ type: 'integer', example: 3 }) workflows!: number;
  /** Runs, finished or not. */
  @ApiProperty({ type: 'integer', example: 120 }) runs!: number;
  /** Runs still queued, running or waiting: even `?force=true` refuses while there are any. */
  @ApiProperty({ type: 'integer', example: 0 }) active_runs!: number;
  @ApiProperty({ type: 'integer', example: 1 }) schedules!: number;
  @ApiProperty({ type: 'integer', example: 2 }) secrets!: number;
  /** Usable API keys (not revoked, not expired) whose default group this is: `?force=true` revokes them. */
  @ApiProperty({ type: 'integer', example: 1 }) api_keys!: number;
}
