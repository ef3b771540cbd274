import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServerProcess, stopServerProcess, type ServerProcess } from './support/server-process.js';
import { LEVEL, logLines } from './support/server-logs.js';
import { createTestDatabase } from './support/test-database.js';

// A warning at every start teaches operators to ignore warnings: a clean start logs none.
describe('a clean start', () => {
  let drop: () => Promise<void>;
  let server: ServerProcess;
  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    // ROLE=all (the default) starts both queues, whose pools graphile-worker finds smaller than their
    // concurrency at start (src/database/queue-runner.ts says why that is right here).
    server = await startServerProcess(database.url, { LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await stopServerProcess(server);
    await drop();
  });

  it('logs no warning or error, graphile-worker pool sizes included', async () => {
    const ready = await fetch(`${server.base}/health/ready`);
    expect(ready.status).toBe(200);
    const warnings = logLines(server.output()).filter((line) => line.level >= LEVEL.warn);
    expect(warnings).toEqual([]);
    expect(server.output()).not.toMatch(/maxPoolSize|smaller than concurrency/);
  });
});
