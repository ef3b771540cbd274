import { describe, expect, it } from '@jest/globals';
import { EMPTY_ROW, metadataFromRows, rowsFromMetadata } from './metadata-rows';

describe('metadata rows', () => {
  it('give the metadata of the rows with a key, trimmed; a later key wins; values are kept as typed', () => {
    expect(
      metadataFromRows([
        { key: ' customer ', value: 'acme' },
        { key: '', value: 'ignored' },
        { key: 'tier', value: 'silver' },
        { key: 'tier', value: ' gold ' },
      ]),
    ).toEqual({ customer: 'acme', tier: ' gold ' });
    expect(metadataFromRows([EMPTY_ROW])).toEqual({});
  });

  it('show metadata as rows plus an empty one to add to', () => {
    expect(rowsFromMetadata({ customer: 'acme' })).toEqual([{ key: 'customer', value: 'acme' }, EMPTY_ROW]);
    expect(metadataFromRows(rowsFromMetadata({ a: '1', b: '2' }))).toEqual({ a: '1', b: '2' });
  });
});
