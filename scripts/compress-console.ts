/**
 * `npm run build:console` ends here: writes `<file>.br` and `<file>.gz` beside every compressible
 * file of the built console, once, at the highest levels (too slow per request, free at build), so
 * the app sends the ~500 KB bundle as ~150 KB without compressing anything while serving
 * (src/console/serve-console.ts picks the copy the browser accepts).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIR = fileURLToPath(new URL('../dist/console-app', import.meta.url));
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt', '.map']);
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

const ENCODERS: Record<string, (data: Buffer) => Buffer> = {
  br: (data) =>
    brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  gz: (data) => gzipSync(data, { level: 9 }),
};

async function compressConsole(): Promise<void> {
  let originalBytes = 0;
  let brotliBytes = 0;
  for (const entry of await readdir(DIR, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !COMPRESSIBLE.has(path.extname(file))) continue;
    const data = await readFile(file);
    if (data.length < MIN_BYTES) continue;
    for (const [extension, encode] of Object.entries(ENCODERS)) {
      const compressed = encode(data);
      if (compressed.length >= data.length) continue;
      await writeFile(`${file}.${extension}`, compressed);
      if (extension === 'br') brotliBytes += compressed.length;
    }
    originalBytes += data.length;
  }
  console.error(
    `console: ${(originalBytes / 1024).toFixed(0)} KB compressible, ${(brotliBytes / 1024).toFixed(0)} KB as brotli`,
  );
}

await compressConsole();
