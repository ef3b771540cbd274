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
    // eslint-disable-next-line no-console -- the timings are the figures docs/run-semantics.md quotes
    console.log(explained.map((e) => `${e.name}: ${e.rows} rows, ${e.ms.toFixed(2)} ms\n${e.plan}`).join('\n\n'));
    for (const search of explained) {
      expect({ search: search.name, seqScan: search.plan.includes('Seq Scan on runs') }).toEqual({
        search: search.name,
        seqScan: false,
      });
      // A filter matching nothing would prove nothing about its plan.
      expect({ search: search.name, found: search.rows > 0 }).toEqual({ search: search.name, found: true });
    }
  });
});
