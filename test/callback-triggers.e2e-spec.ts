import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { PgPool } from '../src/database/database.tokens.js';
import { PrismaService } from '../src/database/prisma.service.js';
import type { Run } from '../src/generated/prisma/client.js';
import { newRun } from '../src/executor/new-run.js';
import { RunsRepository } from '../src/executor/runs.repository.js';
import { QueueNudge } from '../src/database/queue-nudge.js';
import { DatabaseAvailability } from '../src/database/database-availability.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * A run's callback is queued when the run reaches a final status, whichever statement got it there:
 * an update of a run inserted unfinished, or the insert of a run written once, finished.
 */
describe('the callback of a finished run is queued by the database', () => {
  let drop: () => Promise<void>;
  let pool: PgPool;
  let prisma: PrismaService;
  let runs: RunsRepository;
  let fields: { groupId: string; workflowId: string };

  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabase());
    pool = new pg.Pool({ connectionString: url, max: 2 });
    prisma = new PrismaService(pool);
    runs = new RunsRepository(prisma, pool, new QueueNudge(pool, new DatabaseAvailability()));
    const group = await prisma.group.create({ data: { name: 'callbacks', webhookSecret: 'whsec_callbacks' } });
    const workflow = await prisma.workflow.create({ data: { groupId: group.id, name: 'w', definition: {} } });
    fields = { groupId: group.id, workflowId: workflow.id };
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await drop();
  });

  function syncRun(callbackUrl: string | null): ReturnType<typeof newRun> {
    return newRun({ ...fields, workflowVersionId: null, definition: {}, mode: 'sync', input: {}, callbackUrl }, true);
  }

  const finished = (run: Run): Run => ({
    ...run,
    status: 'completed',
    output: { answer: 42 },
    finishedAt: new Date(),
    leaseOwner: null,
    leaseExpiresAt: null,
  });

  /** The callback jobs queued for the run, and its webhook message. */
  async function queuedCallback(runId: string) {
    const jobs = await pool.query<{ key: string }>(
      `SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'deliver_callback' AND key LIKE $1`,
      [`callback:${runId}:%`],
    );
    const messages = await pool.query<{ message_id: string }>(
      'SELECT message_id FROM webhook_messages WHERE run_id = $1::uuid',
      [runId],
    );
    return { jobs: jobs.rows.map((row) => row.key), messages: messages.rows.map((row) => row.message_id) };
  }

  it('inserting a finished run with a callback_url queues its first delivery', async () => {
    const { run, events } = syncRun('http://127.0.0.1:9/hooks');
    expect(await runs.insert(finished(run), events, false)).toBe(true);
    expect(await queuedCallback(run.id)).toEqual({ jobs: [`callback:${run.id}:1`], messages: [`msg_${run.id}`] });
  });

  it('inserting an unfinished run queues nothing; finishing it by an update queues the delivery once', async () => {
    const { run, events } = syncRun('http://127.0.0.1:9/hooks');
    expect(await runs.insert(run, events, false)).toBe(true);
    expect(await queuedCallback(run.id)).toEqual({ jobs: [], messages: [] });
    const changes = { status: 'completed' as const, progress: 100, output: {}, finishedAt: new Date() };
    expect(await runs.flush(run.id, run.leaseOwner!, [], [], changes)).toBe(true);
    expect(await queuedCallback(run.id)).toEqual({ jobs: [`callback:${run.id}:1`], messages: [`msg_${run.id}`] });
  });

  it('a finished run without a callback_url queues none', async () => {
    const { run, events } = syncRun(null);
    expect(await runs.insert(finished(run), events, false)).toBe(true);
    expect(await queuedCallback(run.id)).toEqual({ jobs: [], messages: [] });
  });
});
