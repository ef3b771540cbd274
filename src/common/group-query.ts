import { IsOptional, IsUUID } from 'class-validator';

/**
 * Lets query DTOs accept `?group_id=` (the guard resolves and authorises it; `@Auth` documents
 * it), so it is not rejected as an unknown parameter.
 */
export class GroupQuery {
  @IsOptional()
  @IsUUID('all')
  group_id?: string;
}
