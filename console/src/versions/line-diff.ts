/** A line of a unified diff: kept (context), removed from the old text, or added in the new one. */
export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
  /** 1-based line numbers in the old and the new text, where the line exists there. */
  oldNumber?: number;
  newNumber?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLength: number;
  newStart: number;
  newLength: number;
  lines: DiffLine[];
}

/**
 * Past this many cells the LCS table would cost too much memory and time in a browser tab
 * (two 5,000-line definitions with nothing in common); the middle is then shown as all removed,
 * all added, which is still a correct diff, only not the shortest.
 */
const MAX_LCS_CELLS = 25_000_000;

/** Every line of `before` and `after` in order, each marked kept, removed or added (longest common subsequence). */
export function diffLines(before: string[], after: string[], maxCells = MAX_LCS_CELLS): DiffLine[] {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  const middle = diffMiddle(
    before.slice(prefix, before.length - suffix),
    after.slice(prefix, after.length - suffix),
    maxCells,
  );
  const kinds: DiffLine['kind'][] = [
    ...Array<DiffLine['kind']>(prefix).fill('same'),
    ...middle,
    ...Array<DiffLine['kind']>(suffix).fill('same'),
  ];
  let oldNumber = 0;
  let newNumber = 0;
  return kinds.map((kind) => {
    if (kind === 'same') return { kind, text: before[oldNumber++], oldNumber, newNumber: ++newNumber };
    if (kind === 'removed') return { kind, text: before[oldNumber++], oldNumber };
    return { kind, text: after[newNumber++], newNumber };
  });
}

function diffMiddle(before: string[], after: string[], maxCells: number): DiffLine['kind'][] {
  const rows = before.length;
  const columns = after.length;
  if (rows * columns > maxCells) {
    return [...Array<DiffLine['kind']>(rows).fill('removed'), ...Array<DiffLine['kind']>(columns).fill('added')];
  }
  // common[i][j]: the LCS length of before[i..] and after[j..].
  const width = columns + 1;
  const common = new Uint32Array((rows + 1) * width);
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      common[i * width + j] =
        before[i] === after[j]
          ? common[(i + 1) * width + j + 1] + 1
          : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }
  const kinds: DiffLine['kind'][] = [];
  let i = 0;
  let j = 0;
  while (i < rows && j < columns) {
    if (before[i] === after[j]) {
      kinds.push('same');
      i++;
      j++;
    } else if (common[(i + 1) * width + j] >= common[i * width + j + 1]) {
      kinds.push('removed');
      i++;
    } else {
      kinds.push('added');
      j++;
    }
  }
  while (i++ < rows) kinds.push('removed');
  while (j++ < columns) kinds.push('added');
  return kinds;
}

/** The changed lines with `context` kept lines around them, grouped into hunks as `diff -u` does. */
export function unifiedHunks(lines: DiffLine[], context = 3): DiffHunk[] {
  const ranges: { from: number; to: number }[] = [];
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length, index + context + 1);
    const last = ranges.at(-1);
    if (last && from <= last.to) last.to = to;
    else ranges.push({ from, to });
  });
  return ranges.map(({ from, to }) => {
    const hunkLines = lines.slice(from, to);
    return {
      oldStart: startNumber(lines, from, to, 'oldNumber'),
      oldLength: hunkLines.filter((line) => line.kind !== 'added').length,
      newStart: startNumber(lines, from, to, 'newNumber'),
      newLength: hunkLines.filter((line) => line.kind !== 'removed').length,
      lines: hunkLines,
    };
  });
}

/** A hunk's first line number on one side; on a side it has no line of, the line before it (as `diff -u` counts). */
function startNumber(lines: DiffLine[], from: number, to: number, side: 'oldNumber' | 'newNumber'): number {
  const inside = lines.slice(from, to).find((line) => line[side] !== undefined);
  if (inside) return inside[side]!;
  return lines.slice(0, from).findLast((line) => line[side] !== undefined)?.[side] ?? 0;
}

export function hunkHeader(hunk: DiffHunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLength} +${hunk.newStart},${hunk.newLength} @@`;
}
