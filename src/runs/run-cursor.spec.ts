import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './run-cursor.js';

const ID = '0b7c6f2e-5d1a-4c3b-9e8f-7a6b5c4d3e2f';

describe('run search cursors', () => {
  it('round-trips a position to the millisecond', () => {
    const position = { createdAt: new Date('2026-12-03T14:00:00.123Z'), id: ID };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('refuses what this server did not make', () => {
    const made = (plain: string) => Buffer.from(plain).toString('base64url');
    for (const cursor of [
      '',
      'garbage!',
      `${encodeCursor({ createdAt: new Date(0), id: ID })}=`,
      made(`1733220000000.not-a-uuid-at-all-but-36-characters-x`),
      made(`1733220000000.${ID.replace('0', 'g')}`),
      made(`99999999999999999.${ID}`),
      made(`9999999999999999.${ID}`),
      made(`1733220000000 ${ID}`),
    ]) {
      expect({ cursor, position: decodeCursor(cursor) }).toEqual({ cursor, position: undefined });
    }
  });
});
