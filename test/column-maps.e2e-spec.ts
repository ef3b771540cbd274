import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { PgPool } from '../src/database/database.tokens.js';
import { PrismaService } from '../src/database/prisma.service.js';
import type { Run, Schedule } from '../src/generated/prisma/client.js';
import { rowToRun } from '../src/executor/run-row.js';
import { RunsRepository } from '../src/executor/runs.repository.js';
import { QueueNudge } from '../src/database/queue-nudge.js';
import { DatabaseAvailability } from '../src/database/database-availability.js';
import { type DueSchedule, SchedulesRepository } from '../src/schedules/schedules.repository.js';
import { type AttemptRecord, WebhooksRepository } from '../src/webhooks/webhooks.repository.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * The column maps against the real tables: what the raw statements write, Prisma reads back field
 * for field, and what they read decodes to what Prisma reads. Every field has a value other than
 * its column's default, so a field written to or read from the wrong column shows.
 */
describe('the column maps, round-tripped through PostgreSQL', () => {
  let drop: () => Promise<void>;
  let pool: PgPool;
  let prisma: PrismaService;
  let groupId: string;
  let workflowId: string;
  let versionId: string;
  let schedule: Schedule;

  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabase());
    pool = new pg.Pool({ connectionString: url, max: 2 });
    prisma = new PrismaService(pool);
    ({ id: groupId } = await prisma.group.create({ data: { name: 'maps', webhookSecret: 'whsec_maps' } }));
    ({ id: workflowId } = await prisma.workflow.create({ data: { groupId, name: 'maps', definition: { nodes: {} } } }));
    ({ id: versionId } = await prisma.workflowVersion.create({
      data: { workflowId, number: 1, name: 'maps', definition: { nodes: {} } },
    }));
    schedule = await prisma.schedule.create({
      data: {
        groupId,
        workflowId,
        workflowVersionId: versionId,
        cron: '*/5 * * * *',
        timezone: 'Europe/Paris',
        input: { question: 'scheduled?' },
        callbackUrl: 'http://127.0.0.1:9/scheduled',
        metadata: { source: 'nightly' },
        nextRunAt: new Date('2026-01-01T00:05:00.000Z'),
      },
    });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await drop();
  });

  const at = (ms: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, ms));

  function storedRun(): Promise<Run> {
    return prisma.run.findUniqueOrThrow({ where: { id: run.id } });
  }

  const run: Run = {
    id: randomUUID(),
    groupId: '',
    workflowId: '',
    workflowVersionId: null,
    definition: { nodes: { a: { type: 'Input' } } },
    status: 'running',
    mode: 'async',
    input: { question: 'why?' },
    output: null,
    error: null,
    nodeIds: ['a', 'b'],
    singleNodeId: 'a',
    useOutputIds: true,
    tracing: true,
    traceId: 'trace-1',
    traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    debugger: 'session-1',
    callbackUrl: 'http://127.0.0.1:9/callback',
    idempotencyKey: 'key-1',
    requestHash: 'hash-1',
    progress: 40,
    leaseOwner: 'instance-1',
    leaseExpiresAt: at(1),
    attempt: 2,
    parks: 1,
    lastFailure: null,
    stopRequestedAt: null,
    scheduleId: null,
    scheduledFor: at(2),
    createdAt: at(3),
    startedAt: at(4),
    finishedAt: null,
    parentRunId: randomUUID(),
    parentNodeId: 'map',
    parentAttempt: 3,
    parentItemIndex: 4,
    depth: 1,
    rootRunId: randomUUID(),
    followed: true,
    retryOf: randomUUID(),
    replayOf: null,
    callPath: 'origin/map:4',
    metadata: { customer: 'c-1' },
    triggerId: randomUUID(),
  };

  it('a run inserted through RUN_COLUMNS is the run Prisma reads', async () => {
    Object.assign(run, { groupId, workflowId, workflowVersionId: versionId, scheduleId: schedule.id });
    expect(
      await new RunsRepository(prisma, pool, new QueueNudge(pool, new DatabaseAvailability())).insert(run, [], false),
    ).toBe(true);
    expect(await storedRun()).toEqual(run);
  });

  it('a runs row decoded through RUN_COLUMNS is the run Prisma reads, the columns set after the insert too', async () => {
    await prisma.run.update({
      where: { id: run.id },
      data: {
        status: 'failed',
        output: { answer: 42 },
        error: { type: 'boom', message: 'it failed' },
        lastFailure: 'attempt 2 failed',
        stopRequestedAt: at(5),
        finishedAt: at(6),
      },
    });
    const { rows } = await pool.query('SELECT * FROM runs WHERE id = $1', [run.id]);
    const decoded = rowToRun(rows[0]);
    expect(decoded).toEqual(await storedRun());
    expect(decoded.lastFailure).toBe('attempt 2 failed');
  });

  it('a callback attempt recorded through WEBHOOK_DELIVERY_COLUMNS is the delivery Prisma reads', async () => {
    // The run finished with a callback_url: its trigger made the message (chain 1).
    const attempt: AttemptRecord = {
      job: { runId: run.id, chain: 1, attempt: 2 },
      messageId: `msg_${run.id}`,
      url: 'http://127.0.0.1:9/callback',
      eventType: 'run.failed',
      outcome: {
        verdict: 'retry',
        statusCode: 503,
        errorClass: 'http_status',
        error: 'Service Unavailable',
        responseBody: 'busy',
      },
      attemptedAt: at(7),
      durationMs: 12,
      nextAttemptAt: at(8),
      deliveredAt: at(9),
    };
    expect(await new WebhooksRepository(prisma, pool).record(attempt)).toEqual({ recorded: true, scheduled: true });
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { runId: run.id } })).toEqual({
      id: expect.any(String),
      runId: run.id,
      messageId: `msg_${run.id}`,
      url: 'http://127.0.0.1:9/callback',
      eventType: 'run.failed',
      chain: 1,
      attempt: 2,
      statusCode: 503,
      errorClass: 'http_status',
      error: 'Service Unavailable',
      durationMs: 12,
      responseBody: 'busy',
      nextAttemptAt: at(8),
      deliveredAt: at(9),
      createdAt: at(7),
    });
  });

  it('a due schedule decoded through SCHEDULE_COLUMNS is the schedule Prisma reads', async () => {
    const due: DueSchedule[] = [];
    const taken = await new SchedulesRepository(prisma, pool).takeDue(10, 600, async (schedule) => {
      due.push(schedule);
      return { nextRunAt: null, enabled: false, lastError: 'checked' };
    });
    expect(taken).toBe(1);
    expect(due).toEqual([
      {
        id: schedule.id,
        groupId,
        workflowId,
        workflowVersionId: versionId,
        cron: '*/5 * * * *',
        timezone: 'Europe/Paris',
        input: { question: 'scheduled?' },
        callbackUrl: 'http://127.0.0.1:9/scheduled',
        metadata: { source: 'nightly' },
        tick: schedule.nextRunAt,
        rate: { withinRate: true, limit: 600, ticks: 0 },
      },
    ]);
  });
});
