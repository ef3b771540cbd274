import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import { createTestApp, type TestApp } from './test-app.js';

/**
 * For a file whose tests use one app and look at (or change) its database behind its back: the
 * app (`createTestApp(env)`) and a pg client on its database, both for the whole file.
 */
export function useTestAppAndDatabase(env: Record<string, string> = {}) {
  const suite = { t: undefined as unknown as TestApp, db: undefined as unknown as pg.Client };
  beforeAll(async () => {
    suite.t = await createTestApp(env);
    suite.db = new pg.Client({ connectionString: suite.t.databaseUrl });
    await suite.db.connect();
  });
  afterAll(async () => {
    await suite.db?.end();
    await suite.t?.close();
  });
  return suite;
}
