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

  it('refuses __proto__ keys at any depth and keeps constructor, toString and the like as data', () => {
    const body = JSON.parse('{"__proto__":{"x":1},"a":{"constructor":{"prototype":{}},"b":[{"__proto__":1}]}}');
    expect(bodyShapeProblems(body).map((p) => p.field)).toEqual(['__proto__', 'a.b[0].__proto__']);
    expect(bodyShapeProblems({ toString: 1, valueOf: { hasOwnProperty: 'x', constructor: [] } })).toEqual([]);
  });

  it('grows linearly with the body: four times the elements cost about four times as much', () => {
    const bodyOf = (length: number): unknown => ({
      input: { list: Array.from({ length }, (_, i) => (i % 2 ? 'a' : 1)) },
    });
    // CPU time, the least of many interleaved samples: on a busy machine (CI runs several suites on
    // two cores) a sample can wait for a core or a garbage collection longer than the check takes,
    // which only ever adds time. A ratio of two sizes, not a bound in milliseconds, so a slow machine
    // is not mistaken for a slow check; both sizes stay small enough to sit in the CPU's caches (on
    // Node.js 26, 1,000,000 elements cost 5 times as much per element as 250,000, from memory alone).
    const cpuMs = (body: unknown) => {
      const started = process.cpuUsage();
      bodyShapeProblems(body);
      const { user, system } = process.cpuUsage(started);
      return (user + system) / 1000;
    };
    const small = bodyOf(100_000);
    const large = bodyOf(400_000);
    let smallMs = Infinity;
    let largeMs = Infinity;
    for (let round = 0; round < 15; round++) {
      smallMs = Math.min(smallMs, cpuMs(small));
      largeMs = Math.min(largeMs, cpuMs(large));
    }
    // Linear: about 4 (3.8 to 7 seen on Node.js 20 and 26); the quadratic check this replaced: about 16.
    const ratio = largeMs / Math.max(smallMs, 0.1);
    expect(ratio).toBeLessThan(10);
  });

  it('stops after 20 problems', () => {
    expect(bodyShapeProblems(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});
