import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm;

/** `auth/api-key.guard.ts` → `auth`; files directly in src/ (start-up, AppModule) belong to no folder. */
function folderOf(file: string): string | undefined {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 && parts[0] !== 'generated' ? parts[0] : undefined;
}

/** An imported `./template.js` → `execution/template.ts`. */
function fileOf(file: string): string | undefined {
  const path = relative(SRC, file).replace(/\.js$/, '.ts');
  return path.startsWith(`generated${sep}`) ? undefined : path;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * What the non-test files import, between the units `unitOf` puts them in (folders, or the files
 * themselves): unit → the units it imports, each with one importing file as evidence.
 */
function importGraph(unitOf: (file: string) => string | undefined): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = unitOf(file);
    if (!from) continue;
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = unitOf(resolve(dirname(file), specifier));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} → ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, as the import that closes it and the path before it. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (folder: string, path: string[]) => {
    if (path.includes(folder)) {
      const loop = path.slice(path.indexOf(folder));
      found.push(loop.map((node, i) => graph.get(node)!.get(loop[i + 1] ?? folder)!));
      return;
    }
    if (done.has(folder)) return;
    for (const next of graph.get(folder)?.keys() ?? []) walk(next, [...path, folder]);
    done.add(folder);
  };
  for (const folder of graph.keys()) walk(folder, []);
  return found;
}

// docs/architecture.md draws the direction imports take between the folders of src/; a back-arrow
// makes two folders one unit that cannot be read, tested or changed apart.
describe('imports between the folders of src/', () => {
  it('form no cycle', () => {
    expect(cycles(importGraph(folderOf))).toEqual([]);
  });

  it('are all seen by the import pattern (the graph is not empty by accident)', () => {
    expect(importGraph(folderOf).get('runs')?.has('execution')).toBe(true);
  });
});

// Within a folder too: two files that import each other (if only for a type) are read and moved as one.
describe('imports between the files of src/', () => {
  it('form no cycle, type-only imports included', () => {
    expect(cycles(importGraph(fileOf))).toEqual([]);
  });
});
