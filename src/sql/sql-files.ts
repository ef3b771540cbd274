import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSql } from './format-sql.js';
import { STATEMENT_MODULES } from './statements.js';

/** The repository's root: paths are shown from there. */
export const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const SQL_FOLDER = join(REPOSITORY, 'sql');

/** What `npm run sql` writes: each statement's file (its path from the repository's root) and content. */
function sqlFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const { folder, source, exports, statements } of STATEMENT_MODULES) {
    for (const [operation, constant] of Object.entries(statements)) {
      const path = `sql/${folder}/${operation}.sql`;
      if (files.has(path)) throw new Error(`two statements are named ${operation} in sql/${folder}`);
      const header = [
        `-- ${constant} (${source}) as sent to PostgreSQL, re-indented.`,
        '-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.',
      ];
      files.set(path, `${header.join('\n')}\n\n${formatSql(exports[constant] as string)}\n`);
    }
  }
  return files;
}

/** The .sql files under sql/, by path from the repository's root. */
function checkedInSqlFiles(folder = SQL_FOLDER): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return checkedInSqlFiles(path);
    return entry.name.endsWith('.sql') ? [relative(REPOSITORY, path)] : [];
  });
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(join(REPOSITORY, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** Where sql/ and the statements disagree, one line each, saying what to do. */
export function sqlFileProblems(): string[] {
  const expected = sqlFiles();
  const problems: string[] = [];
  for (const [path, content] of expected) {
    const found = readOrUndefined(path);
    if (found === undefined) problems.push(`${path} is missing: run \`npm run sql\``);
    else if (found !== content) problems.push(`${path} differs from its statement: run \`npm run sql\``);
  }
  for (const path of checkedInSqlFiles()) {
    if (!expected.has(path)) problems.push(`${path} has no statement any more: run \`npm run sql\``);
  }
  return problems;
}

/** Writes every statement's file and deletes those of statements that are gone; returns what changed. */
export function writeSqlFiles(): string[] {
  const expected = sqlFiles();
  const changed: string[] = [];
  for (const [path, content] of expected) {
    if (readOrUndefined(path) === content) continue;
    mkdirSync(dirname(join(REPOSITORY, path)), { recursive: true });
    writeFileSync(join(REPOSITORY, path), content);
    changed.push(`wrote ${path}`);
  }
  for (const path of checkedInSqlFiles()) {
    if (expected.has(path)) continue;
    rmSync(join(REPOSITORY, path));
    changed.push(`deleted ${path}`);
  }
  return changed;
}
