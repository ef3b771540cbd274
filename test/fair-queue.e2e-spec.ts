import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, runOnce } from 'graphile-worker';
import pg from 'pg';
import type { PgPool } from '../src/database/database.tokens.js';
import { PrismaService } from '../src/database/prisma.service.js';
import { EXECUTE_RUN_JOB, type ExecuteRunPayload, LAST_QUEUE_PLACE } from '../src/database/queue-jobs.js';
import { newRun } from '../src/executor/new-run.js';
import { RunsRepository } from '../src/executor/runs.repository.js';
import { QueueNudge } from '../src/database/queue-nudge.js';
import { DatabaseAvailability } from '../src/database/database-availability.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * The order in which queued runs are taken, against the real queue: RunsRepository queues the
 * jobs, graphile-worker (one job at a time) takes them.
 */
describe('the run queue takes groups in turn', () => {
  let url: string;
  let drop: () => Promise<void>;
  let pool: PgPool;
  let prisma: PrismaService;
  let runs: RunsRepository;
  const workflows: Record<string, string> = {};
  const groups: Record<string, string> = {};
  const names = new Map<string, string>();

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    pool = new pg.Pool({ connectionString: url, max: 2 });
    prisma = new PrismaService(pool);
    runs = new RunsRepository(prisma, pool, new QueueNudge(pool, new DatabaseAvailability()));
    for (const name of ['A', 'B', 'C']) {
      const group = await prisma.group.create({ data: { name, webhookSecret: `whsec_${name}` } });
      groups[name] = group.id;
      workflows[name] = (await prisma.workflow.create({ data: { groupId: group.id, name, definition: {} } })).id;
    }
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await drop();
  });

  /** Creates a run of `group`, queued (async) or running where it was created (sync); returns its id. */
  async function create(group: string, label: string, mode: 'async' | 'sync' = 'async'): Promise<string> {
    const fields = { groupId: groups[group], workflowId: workflows[group], workflowVersionId: null };
    const { run, events } = newRun({ ...fields, definition: {}, mode, input: {} }, mode === 'sync');
    expect(await runs.insert(run, events, mode === 'async')).toBe(true);
    names.set(run.id, label);
    return run.id;
  }

  const priorities = async () => {
    const { rows } = await pool.query<{ key: string; priority: number }>(
      `SELECT key, priority FROM graphile_worker.jobs WHERE task_identifier = $1 ORDER BY id`,
      [EXECUTE_RUN_JOB],
    );
    return Object.fromEntries(rows.map((row) => [names.get(row.key.slice('run:'.length)), row.priority]));
  };

  /** Takes every queued job, one at a time, as a worker does; the runs' labels in the order taken. */
  async function takeAll(): Promise<string[]> {
    const taken: string[] = [];
    await runOnce({
      connectionString: url,
      concurrency: 1,
      logger: new Logger(() => () => undefined),
      taskList: {
        [EXECUTE_RUN_JOB]: async (payload) => void taken.push(names.get((payload as ExecuteRunPayload).runId)!),
      },
    });
    await pool.query(`UPDATE runs SET status = 'completed' WHERE status = 'queued'`);
    return taken;
  }

  it("gives each run its place in its group's line, so every group's k-th run goes before anyone's (k+1)-th", async () => {
    for (let index = 1; index <= 4; index++) await create('A', `a${index}`);
    await create('B', 'b1');
    await create('A', 'a5');
    await create('B', 'b2');
    await create('C', 'c1');
    // Sync runs run where they are created: no job, and no place in the line.
    await create('B', 'sync', 'sync');
    await create('B', 'b3');

    expect(await priorities()).toEqual({ a1: 0, a2: 1, a3: 2, a4: 3, b1: 0, a5: 4, b2: 1, c1: 0, b3: 2 });
    expect(await takeAll()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'b3', 'a4', 'a5']);
  });

  it('counts only runs still queued: a claimed or stopped run has left the line', async () => {
    const first = await create('A', 'first');
    const second = await create('A', 'second');
    await pool.query(`UPDATE runs SET status = 'running' WHERE id = $1`, [first]);
    await pool.query(`UPDATE runs SET status = 'stopped' WHERE id = $1`, [second]);
    await create('A', 'third');
    expect(await priorities()).toMatchObject({ first: 0, second: 1, third: 0 });
    await takeAll();
  });

  it('a deferred run keeps its place; a re-queued run (holder died, handed back) goes to the front', async () => {
    await create('A', 'a1');
    const deferred = await create('A', 'a2');
    const resumed = await create('A', 'a3');
    await runs.enqueueLater(deferred, groups.A, 0, 1);
    await pool.query(`UPDATE runs SET status = 'running' WHERE id = $1`, [resumed]);
    await runs.enqueue(resumed, groups.A);
    expect(await priorities()).toMatchObject({ a1: 0, a2: 1, a3: 0 });
    expect(await takeAll()).toEqual(['a1', 'a3', 'a2']);
  });

  it(`counts a line up to ${LAST_QUEUE_PLACE}: longer lines share the last place, in queueing order`, async () => {
    await pool.query(
      `INSERT INTO runs (id, group_id, workflow_id, definition, mode, input, status)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, '{}', 'async', '{}', 'queued' FROM generate_series(1, $3::int)`,
      [groups.A, workflows.A, LAST_QUEUE_PLACE + 5],
    );
    await create('A', 'long line');
    await create('A', 'longer line');
    expect(await priorities()).toMatchObject({ 'long line': LAST_QUEUE_PLACE, 'longer line': LAST_QUEUE_PLACE });
    expect((await takeAll()).filter(Boolean)).toEqual(['long line', 'longer line']);
  });
});
