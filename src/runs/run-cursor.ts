import { ValidateBy } from 'class-validator';
import { isUuid } from '../common/uuid.js';

/** Where a page of a run search ended: the last run's place in the order (created_at desc, id desc). */
export interface RunPosition {
  createdAt: Date;
  id: string;
}

const PLAIN = /^(-?\d{1,16})\.([0-9a-f-]{36})$/;

/**
 * `next_cursor`: the position, opaque to clients (base64url of `<created_at in ms>.<id>`). A
 * position names no run's content, so a cursor reveals nothing another page would not.
 */
export function encodeCursor(position: RunPosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`).toString('base64url');
}

/** The position a cursor names; undefined when it is not one this server made. */
export function decodeCursor(cursor: string): RunPosition | undefined {
  const plain = Buffer.from(cursor, 'base64url').toString();
  // Node's decoder skips characters that are not base64url: only an exact round trip is ours.
  if (Buffer.from(plain).toString('base64url') !== cursor) return undefined;
  const match = PLAIN.exec(plain);
  if (!match || !isUuid(match[2])) return undefined;
  const createdAt = new Date(Number(match[1]));
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, id: match[2].toLowerCase() };
}

/** A `cursor` query parameter: a `next_cursor` this API returned (422 otherwise). */
export function IsCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isCursor',
    validator: {
      validate: (value) => typeof value === 'string' && decodeCursor(value) !== undefined,
      defaultMessage: () => 'cursor must be a next_cursor this API returned',
    },
  });
}

/**
 * A page of `limit` items from `rows`, read with one row more than the page (which tells whether
 * another page follows, without a count), and the cursor of the next page (null on the last).
 */
export function keysetPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => RunPosition,
): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
