import type { Prisma } from '../generated/prisma/client.js';

/** A group's limit of one kind of row, and the rows it holds against it. */
export interface GroupRoom {
  limit: number;
  current: number;
}

/**
 * One limited kind of row: `lock` takes a group's turn to create them ($1 the group), `count`
 * reads its limit and usage ($1 the group, $2 the deployment's default limit).
 */
export interface GroupLimitStatements {
  lock: string;
  count: string;
}

/**
 * Takes the group's turn to create rows `statements` count, until the transaction `tx` ends, and
 * reads its room: two creations of one group cannot both pass the count.
 */
export async function takeGroupRoom(
  tx: Prisma.TransactionClient,
  statements: GroupLimitStatements,
  groupId: string,
  defaultLimit: number,
): Promise<GroupRoom> {
  await tx.$queryRawUnsafe(statements.lock, groupId);
  const [room] = await tx.$queryRawUnsafe<{ limit_value: number; current: number }[]>(
    statements.count,
    groupId,
    defaultLimit,
  );
  return { limit: room.limit_value, current: room.current };
}
