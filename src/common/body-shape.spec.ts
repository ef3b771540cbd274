import { describe, expect, it } from '@jest/globals';
import { bodyShapeProblems, MAX_BODY_DEPTH } from './body-shape.js';

const nested = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

describe('bodyShapeProblems', () => {
  it('accepts ordinary bodies, including well-formed astral characters', () => {
    expect(bodyShapeProblems({ name: 'x 😀', list: [1, { b: null }], nested: nested(50) })).toEqual([]);
  });

  it('refuses nesting past the limit once, at its top-level field, without recursing', () => {
    expect(bodyShapeProblems({ ok: nested(MAX_BODY_DEPTH - 1) })).toEqual([]);
    expect(bodyShapeProblems({ deep: nested(1_000_000) })).toEqual([
      { field: expect.stringMatching(/^deep(\.a)+$/), message: `is nested more than ${MAX_BODY_DEPTH} levels deep` },
    ]);
    expect(bodyShapeProblems(JSON.parse('['.repeat(200) + ']'.repeat(200)))[0].message).toContain('nested');
  });

  it('names strings and keys PostgreSQL cannot store, with their paths', () => {
    expect(
      bodyShapeProblems({ name: 'a\u0000', list: ['\ud800'], map: { 'x\udc00': 1, 'odd key': '\udfffa' } }),
    ).toEqual([
      { field: 'name', message: 'must not contain NUL characters or unpaired surrogates' },
      { field: 'map["x\\udc00"]', message: expect.stringContaining('not a valid key') },
      { field: 'list[0]', message: 'must not contain NUL characters or unpaired surrogates' },
      { field: 'map["odd key"]', message: 'must not contain NUL characters or unpaired surrogates' },
    ]);
  });

  it('refuses __proto__ and constructor keys at any depth', () => {
    const body = JSON.parse('{"__proto__":{"x":1},"a":{"constructor":{"prototype":{}}}}');
    expect(bodyShapeProblems(body).map((p) => p.field)).toEqual(['__proto__', 'a.constructor']);
  });

  it('stops after 20 problems', () => {
    expect(bodyShapeProblems(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});
