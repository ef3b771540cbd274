import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { explainSearch, insertManyRuns, type ManyRuns, searchCases } from './support/many-runs.js';
import { createTestDatabase } from './support/test-database.js';

/** Enough rows for the planner to weigh an index against a sequential scan; the bench's search phase has a million. */
const RUNS = 50_000;

describe('run search: every filter is served by an index', () => {
  let db: pg.Client;
  let drop: () => Promise<void>;
  let runs: ManyRuns;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    runs = await insertManyRuns(db, RUNS);
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  it(`plans no sequential scan of runs for any filter, with ${RUNS.toLocaleString('en')} runs`, async () => {
    const explained = [];
    for (const search of searchCases(runs, RUNS)) explained.push(await explainSearch(db, runs, search));
    // eslint-disable-next-line no-console -- the timings are the figures docs/finding-runs.md quotes
    console.log(explained.map((e) => `${e.name}: ${e.rows} rows, ${e.ms.toFixed(2)} ms`).join('\n'));
    for (const search of explained) {
      // On failure, the plan that scans runs is shown whole.
      const scan = search.plan.includes('Seq Scan on runs') ? search.plan : 'no sequential scan of runs';
      expect({ search: search.name, scan }).toEqual({ search: search.name, scan: 'no sequential scan of runs' });
      // A filter matching nothing would prove nothing about its plan.
      expect({ search: search.name, found: search.rows > 0 }).toEqual({ search: search.name, found: true });
    }
  });
});
