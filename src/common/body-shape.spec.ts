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
    // CPU time, best of five: on a busy machine (CI runs several suites on two cores) the process can
    // wait for a core for longer than the check takes, which says nothing about its cost. A ratio of
    // two sizes, not a bound in milliseconds, so a slow machine is not mistaken for a slow check.
    const timed = (body: unknown) => {
      let best = Infinity;
      for (let round = 0; round < 5; round++) {
        const started = process.cpuUsage();
        bodyShapeProblems(body);
        const { user, system } = process.cpuUsage(started);
        best = Math.min(best, (user + system) / 1000);
      }
      return best;
    };
    const small = bodyOf(250_000);
    const large = bodyOf(1_000_000);
    // Linear: about 4; the quadratic check this replaced: about 16, every time. The process's CPU time
    // includes its other threads (garbage collection, sandbox workers), and the large body misses the
    // caches more (on Node.js 26, 5 to 7 on an idle machine, 17.6 once beside other work): the best of
    // three pairs, so noise must strike three times to fail while a quadratic check fails each pair.
    let ratio = Infinity;
    for (let pair = 0; pair < 3 && ratio >= 10; pair++) {
      ratio = Math.min(ratio, timed(large) / Math.max(timed(small), 1));
    }
    expect(ratio).toBeLessThan(10);
  });

  it('stops after 20 problems', () => {
    expect(bodyShapeProblems(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});
