// Preloaded into the server by bench/sync-cost.ts (NODE_OPTIONS=--import): counts pg round trips
// (Client#query calls) per statement text and writes the counts to COUNT_FILE five times a second.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { setInterval } from 'node:timers';
import { isMainThread } from 'node:worker_threads';

// The server's own pg (its checkout's node_modules), so the patched class is the one it uses.
const pg = createRequire(`${process.cwd()}/package.json`)('pg');
const counts = { queries: 0, byText: {} };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  counts.queries++;
  const text = typeof config === 'string' ? config : config?.text;
  if (text) {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    counts.byText[key] = (counts.byText[key] ?? 0) + 1;
  }
  return query.call(this, config, ...rest);
};
// Worker threads (the code sandbox) load preloads too; only the main thread owns the pool.
if (isMainThread) setInterval(() => writeFileSync(process.env.COUNT_FILE, JSON.stringify(counts)), 200).unref();
