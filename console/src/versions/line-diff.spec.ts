import { describe, expect, it } from '@jest/globals';
import { diffLines, hunkHeader, unifiedHunks, type DiffLine } from './line-diff';

const signs = (lines: DiffLine[]) =>
  lines.map((line) => `${{ same: ' ', removed: '-', added: '+' }[line.kind]}${line.text}`);

describe('diffLines', () => {
  it('keeps the longest common subsequence and numbers each side', () => {
    const lines = diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd']);
    expect(signs(lines)).toEqual([' a', '-b', ' c', '+x', ' d']);
    expect(lines.map((line) => [line.oldNumber, line.newNumber])).toEqual([
      [1, 1],
      [2, undefined],
      [3, 2],
      [undefined, 3],
      [4, 4],
    ]);
  });

  it('handles empty sides and identical texts', () => {
    expect(signs(diffLines([], ['a']))).toEqual(['+a']);
    expect(signs(diffLines(['a'], []))).toEqual(['-a']);
    expect(signs(diffLines(['a', 'b'], ['a', 'b']))).toEqual([' a', ' b']);
  });

  it('past its size limit shows the differing middle as all removed then all added, keeping the common ends', () => {
    const before = ['head', 'a', 'b', 'c', 'tail'];
    const after = ['head', 'b', 'x', 'tail'];
    expect(signs(diffLines(before, after, 5))).toEqual([' head', '-a', '-b', '-c', '+b', '+x', ' tail']);
    expect(signs(diffLines(before, after))).toEqual([' head', '-a', ' b', '-c', '+x', ' tail']);
  });

  it('puts a replaced line as its removal then its addition', () => {
    expect(signs(diffLines(['{', '  "t": "a"', '}'], ['{', '  "t": "b"', '}']))).toEqual([
      ' {',
      '-  "t": "a"',
      '+  "t": "b"',
      ' }',
    ]);
  });
});

describe('unifiedHunks', () => {
  const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);

  it('keeps three lines of context and splits changes far apart into hunks', () => {
    const changed = [...old];
    changed[1] = 'two';
    changed[17] = 'eighteen';
    const hunks = unifiedHunks(diffLines(old, changed));
    expect(hunks.map(hunkHeader)).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
    expect(signs(hunks[0].lines)).toEqual([' line 1', '-line 2', '+two', ' line 3', ' line 4', ' line 5']);
  });

  it('joins changes whose context overlaps into one hunk', () => {
    const changed = [...old];
    changed[4] = 'five';
    changed[9] = 'ten';
    expect(unifiedHunks(diffLines(old, changed)).map(hunkHeader)).toEqual(['@@ -2,12 +2,12 @@']);
  });

  it('counts a side with no line in the hunk from the line before it, as diff -u does', () => {
    const hunks = unifiedHunks(diffLines(['a', 'b'], ['a', 'b', 'c']), 0);
    expect(hunks.map(hunkHeader)).toEqual(['@@ -2,0 +3,1 @@']);
    expect(unifiedHunks(diffLines(['a'], ['a']))).toEqual([]);
  });
});
