/**
 * Lays a statement out for reading. The statements are assembled from fragments, each indented
 * for its own template, so the lines are re-indented from the statement's structure alone: a
 * parenthesis left open at the end of a line opens a block of clauses one level deeper, and a line
 * that starts no clause continues the one before it. Only whitespace changes, and never inside a
 * quoted string (the statements hold none that spans lines): what is read is what PostgreSQL
 * receives.
 */

const INDENT = '  ';
/** A longer line is wrapped after the commas of its outermost list, if it has one. */
const WIDTH = 120;
/** Commas inside a line's first parentheses that make a list worth wrapping (not `IN ('a', 'b')`). */
const INNER_LIST_COMMAS = 3;

/** A line that starts a clause stays at its block's indent. */
const CLAUSE =
  /^(WITH|SELECT|FROM|WHERE|GROUP BY|HAVING|ORDER BY|LIMIT|UNION|INSERT|UPDATE|DELETE|VALUES|ON CONFLICT|RETURNING|FOR (NO KEY )?UPDATE|(LEFT )?JOIN|--|\w+ AS \()/;

/** An open parenthesis: a `block` ends its line (clauses follow), a `list` does not. */
interface Open {
  kind: 'block' | 'list';
  /** The indent of what it holds, less one level. */
  depth: number;
  /** The line that opened it, counted from 0. */
  line: number;
}

interface Mark {
  index: number;
  token: '(' | ')' | ',' | ' AND ';
}

/** The line's parentheses, commas and ANDs outside quoted strings and `--` comments. */
function marks(line: string): Mark[] {
  const found: Mark[] = [];
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (line.startsWith('--', index)) break;
    else if (char === '(' || char === ')' || char === ',') found.push({ index, token: char });
    else if (line.startsWith(' AND ', index)) found.push({ index, token: ' AND ' });
  }
  return found;
}

/**
 * Where the line is cut in two, if anywhere: before a `)` that closes a block opened on an earlier
 * line (it gets its own line, like the block's opening), and between an INSERT's column list and
 * its VALUES.
 */
function cutAt(line: string, open: readonly Open[], number: number): number | undefined {
  const stack = [...open];
  for (const { index, token } of marks(line)) {
    if (token === '(') stack.push({ kind: 'list', depth: 0, line: number });
    else if (token === ')') {
      const innermost = stack.pop();
      if (index > 0 && innermost?.kind === 'block' && innermost.line < number) return index;
      if (line.startsWith(') VALUES (', index)) return index + 2;
    }
  }
  return undefined;
}

/**
 * Where a long line may be wrapped: after its commas outside parentheses, else before its ANDs
 * there, else after the commas of a list in its first parentheses (a column list, a function's
 * arguments).
 */
function wrapPoints(line: string): number[] {
  const levels: Mark[][] = [[], []];
  let nesting = 0;
  for (const mark of marks(line)) {
    if (mark.token === '(') nesting += 1;
    else if (mark.token === ')') nesting -= 1;
    else levels[nesting]?.push(mark);
  }
  const commasOf = (level: Mark[]) => level.filter(({ token }) => token === ',').map(({ index }) => index + 1);
  const ands = levels[0].filter(({ token }) => token === ' AND ').map(({ index }) => index);
  const inner = commasOf(levels[1]);
  if (commasOf(levels[0]).length > 0) return commasOf(levels[0]);
  if (ands.length > 0) return ands;
  return inner.length >= INNER_LIST_COMMAS ? inner : [];
}

/**
 * The line at `depth`, wrapped when too long. Its further parts go at `partsDepth`: one level
 * deeper than a clause, level with a line that continues one already.
 */
function wrap(line: string, depth: number, partsDepth: number): string[] {
  const indent = INDENT.repeat(depth);
  if (indent.length + line.length <= WIDTH) return [indent + line];
  const ends = [...wrapPoints(line), line.length];
  const lines: string[] = [];
  for (const [position, end] of ends.entries()) {
    const piece = line.slice(ends[position - 1] ?? 0, end).trim();
    if (piece === '') continue;
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + piece.length <= WIDTH) lines[lines.length - 1] = `${last} ${piece}`;
    else lines.push((last === undefined ? indent : INDENT.repeat(partsDepth)) + piece);
  }
  return lines;
}

export function formatSql(text: string): string {
  const pending = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const stack: Open[] = [];
  const out: string[] = [];
  for (let number = 0; pending.length > 0; number++) {
    let line = pending.shift()!;
    const cut = cutAt(line, stack, number);
    if (cut !== undefined) {
      pending.unshift(line.slice(cut));
      line = line.slice(0, cut).trimEnd();
    }
    const open = stack[stack.length - 1];
    const closing = line.startsWith(')');
    const continues = !closing && (open?.kind ?? 'block') === 'block' && !CLAUSE.test(line);
    const inside = open ? open.depth + 1 : 0;
    const depth = closing ? (open?.depth ?? 0) : continues ? inside + 1 : inside;
    const partsDepth = continues ? depth : depth + 1;
    const printed = wrap(line, depth, partsDepth);
    out.push(...printed);
    // What a wrapped line opens is indented from the line's wrapped parts.
    const opener = printed.length > 1 ? partsDepth : depth;
    const parentheses = marks(line).filter(({ token }) => token === '(' || token === ')');
    for (const [position, { token }] of parentheses.entries()) {
      if (token === ')') stack.pop();
      else {
        const endsLine = position === parentheses.length - 1 && line.endsWith('(');
        stack.push({ kind: endsLine ? 'block' : 'list', depth: opener, line: number });
      }
    }
  }
  return out.join('\n');
}
