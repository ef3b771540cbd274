import { describe, expect, it } from '@jest/globals';
import { gatherQueryMaps, QueryMap } from './query-map.js';

class Base {
  @QueryMap() labels?: Record<string, unknown>;
}
class Search extends Base {
  status?: string;
}
class Plain {
  status?: string;
}

describe('gatherQueryMaps', () => {
  it('gathers <map>.<key> and <map>[<key>] parameters under the map, a key keeping its dots', () => {
    expect(
      gatherQueryMaps(Search, { 'labels.team': 'a', 'labels[plan]': 'pro', 'labels.region.eu': 'y', status: 'x' }),
    ).toEqual({
      status: 'x',
      labels: { team: 'a', plan: 'pro', 'region.eu': 'y' },
    });
  });

  it('keeps every value of a key given twice, and a bare map parameter beside its keys, for the validator to refuse', () => {
    expect(gatherQueryMaps(Search, { 'labels.team': 'a', 'labels[team]': 'b' })).toEqual({
      labels: { team: ['a', 'b'] },
    });
    expect(gatherQueryMaps(Search, { labels: 'bare', 'labels.team': 'a' })).toEqual({
      labels: ['bare', { team: 'a' }],
    });
    expect(gatherQueryMaps(Search, { labels: 'bare' })).toEqual({ labels: 'bare' });
  });

  it('treats inherited names as keys like any other, and leaves queries of DTOs without maps alone', () => {
    const gathered = gatherQueryMaps(Search, { 'labels.constructor': 'a', 'labels.__proto__': 'b' }) as {
      labels: Record<string, unknown>;
    };
    expect(Object.keys(gathered.labels)).toEqual(['constructor', '__proto__']);
    const query = { 'labels.team': 'a' };
    expect(gatherQueryMaps(Plain, query)).toBe(query);
    expect(gatherQueryMaps(undefined, query)).toBe(query);
  });
});
