import { afterAll, afterEach, beforeAll } from '@jest/globals';
import pg from 'pg';
import { startServerProcess, stopServerProcess, type ServerProcess } from './server-process.js';
import { createTestDatabase } from './test-database.js';

/**
 * For a suite of real server processes sharing one database: a fresh database and a pg client on
 * it for the whole file, and `start()` for processes, every one of which is killed after its test.
 */
export function useServerProcesses() {
  let databaseUrl: string;
  let drop: () => Promise<void>;
  const servers: ServerProcess[] = [];
  const suite = {
    db: undefined as unknown as pg.Client,
    start: async (env: Record<string, string> = {}): Promise<ServerProcess> => {
      const server = await startServerProcess(databaseUrl, env);
      servers.push(server);
      return server;
    },
  };
  beforeAll(async () => {
    ({ url: databaseUrl, drop } = await createTestDatabase());
    suite.db = new pg.Client({ connectionString: databaseUrl });
    await suite.db.connect();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(stopServerProcess));
  });
  afterAll(async () => {
    await suite.db.end();
    await drop();
  });
  return suite;
}
