import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = dirname(fileURLToPath(import.meta.url));
const IMPORT = /\b(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;
/** What the CLI may load: Node itself and its two small runtime dependencies. */
const ALLOWED_PACKAGES = new Set(['yaml', 'diff']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the runloom CLI', () => {
  it('loads nothing of the server (no Nest, no Prisma): it starts fast and runs anywhere Node does', () => {
    const outside: string[] = [];
    for (const file of sourceFiles(CLI)) {
      for (const [, from, dynamic] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const specifier = from ?? dynamic;
        const local = specifier.startsWith('.');
        const allowed = local
          ? !relative(CLI, resolve(dirname(file), specifier)).startsWith('..')
          : specifier.startsWith('node:') || ALLOWED_PACKAGES.has(specifier);
        if (!allowed) outside.push(`${relative(CLI, file)} imports ${specifier}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
