import { describe, expect, it } from '@jest/globals';
import { jsonSize, MAX_VALUE_DEPTH } from './json-size.js';

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');
const arrays = (depth: number): unknown => {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
};

describe('jsonSize', () => {
  it.each([
    ['a string with escapes and UTF-8', 'a "quoted" \\ line\nwith ünïcode 😀 and \u0001'],
    ['numbers, booleans and null', [0, -1.5, 1e21, NaN, Infinity, true, false, null]],
    ['nested objects and arrays', { a: [1, { b: 'c', 'ké\\y': [] }], d: {}, e: [[[]]] }],
    ['what JSON leaves out or writes as null', { u: undefined, f: () => 1, list: [undefined, () => 1, Symbol('s')] }],
    ['toJSON results (a Date)', { at: new Date(0), custom: { toJSON: () => ({ x: 1 }) } }],
    ['a top-level undefined', undefined],
  ])('%s: the bytes JSON.stringify would write', (_, value) => {
    expect(jsonSize(value)).toEqual({ bytes: bytesOf(value) });
  });

  it('measures a value at the depth limit, and refuses one a level deeper', () => {
    expect(jsonSize(arrays(MAX_VALUE_DEPTH))).toEqual({ bytes: 2 * MAX_VALUE_DEPTH });
    expect(jsonSize(arrays(MAX_VALUE_DEPTH + 1))).toEqual({ problem: 'too_deep' });
  });

  it('reports a 10 KB value nested 5,000 deep as too deep, not as too large to measure', () => {
    expect(jsonSize(arrays(5000))).toEqual({ problem: 'too_deep' });
  });

  it('measures 100,000 levels without recursion when allowed to', () => {
    expect(jsonSize(arrays(100_000), Infinity)).toEqual({ bytes: 200_000 });
  });

  it.each([
    ['a NUL in a string', { text: 'a\u0000b' }],
    ['an unpaired surrogate', ['ok', '\ud800']],
    ['a NUL in a key', { 'k\u0000': 1 }],
  ])('%s cannot be stored (PostgreSQL refuses it in jsonb)', (_, value) => {
    expect(jsonSize(value)).toEqual({ problem: 'unstorable' });
  });

  it('a surrogate pair is fine', () => {
    expect(jsonSize({ emoji: '😀' })).toEqual({ bytes: bytesOf({ emoji: '😀' }) });
  });
});
