import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSql } from './format-sql.js';
import { REPOSITORY, sqlFileProblems } from './sql-files.js';
import { STATEMENT_MODULES } from './statements.js';

const statements = STATEMENT_MODULES.flatMap(({ source, exports, statements }) =>
  Object.values(statements).map((constant) => ({ source, constant, text: exports[constant] as string })),
);

describe('sql/, the hot statements as checked-in text', () => {
  it('holds each statement of src/sql/statements.ts as `npm run sql` writes it, and no other file', () => {
    expect(sqlFileProblems()).toEqual([]);
  });

  it('lists every statement of the modules it reads', () => {
    const unlisted = STATEMENT_MODULES.flatMap(({ source, exports, statements }) =>
      Object.entries(exports)
        .filter(([name, value]) => typeof value === 'string' && !Object.values(statements).includes(name))
        .map(([name]) => `${name} (${source}) is not in src/sql/statements.ts`),
    );
    expect(unlisted).toEqual([]);
  });

  it('names the file each constant is declared in', () => {
    const misplaced = statements
      .filter(
        ({ source, constant }) =>
          !readFileSync(join(REPOSITORY, source), 'utf8').includes(`export const ${constant} =`),
      )
      .map(({ source, constant }) => `${constant} is not declared in ${source}`);
    expect(misplaced).toEqual([]);
  });

  it('changes nothing but whitespace when laying a statement out', () => {
    const changed = statements.filter(({ text }) => formatSql(text).replace(/\s+/g, '') !== text.replace(/\s+/g, ''));
    expect(changed.map(({ constant }) => constant)).toEqual([]);
  });
});

describe('formatSql', () => {
  it('indents blocks by their parentheses and continuations one level more, and closes a block on its own line', () => {
    const text = `
      WITH picked AS (
          SELECT id FROM runs
        WHERE status = 'queued'
              AND group_id = $1 LIMIT 1),
      marked AS (UPDATE runs SET status = 'running' WHERE id IN (SELECT id FROM picked) RETURNING id)
      SELECT count(*) FROM marked`;
    expect(formatSql(text)).toBe(
      [
        'WITH picked AS (',
        '  SELECT id FROM runs',
        "  WHERE status = 'queued'",
        '    AND group_id = $1 LIMIT 1',
        '),',
        "marked AS (UPDATE runs SET status = 'running' WHERE id IN (SELECT id FROM picked) RETURNING id)",
        'SELECT count(*) FROM marked',
      ].join('\n'),
    );
  });

  it('wraps a long list after its commas, never inside a quoted string', () => {
    const columns = Array.from({ length: 30 }, (_, index) => `column_${index}`).join(', ');
    const formatted = formatSql(`INSERT INTO wide (${columns}) VALUES ('a, b', $1)`);
    expect(formatted.split('\n').every((line) => line.length <= 120)).toBe(true);
    expect(formatted).toMatch(/^INSERT INTO wide \(column_0, .*,\n {2}column_\d+, /s);
    expect(formatted.split('\n').at(-1)).toBe("VALUES ('a, b', $1)");
  });
});
