/**
 * `npx tsx bench/active-runs-check.ts`: what max_active_runs costs run creation. The same runs are
 * inserted with INSERT_RUN (no check) and INSERT_RUNS_WITHIN_LIMIT (reads the group's count of
 * unfinished root runs, kept in group_live_runs, in the same statement), alternating, one
 * connection at a time and then eight, while the group already has 0, then 999 queued runs (the
 * count no longer reads them: the two should cost the same). The inserted runs are finished ones,
 * so they do not add to the count. Uses the embedded PostgreSQL, or a fresh database on
 * DATABASE_URL's server. Knobs: CHECK_RUNS (2000 per measurement).
 */
import pg from 'pg';
import { migrateDatabase } from '../src/database/migrate.js';
import { PrismaService } from '../src/database/prisma.service.js';
import type { Run } from '../src/generated/prisma/client.js';
import { newRun } from '../src/executor/new-run.js';
import { RunsRepository } from '../src/executor/runs.repository.js';
import { QueueNudge } from '../src/database/queue-nudge.js';
import { DatabaseAvailability } from '../src/database/database-availability.js';
import { scratchDatabase } from './scratch-database.js';

const RUNS = Number(process.env.CHECK_RUNS ?? 2000);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)];

async function main(): Promise<void> {
  const db = await scratchDatabase('runloom_check');
  await migrateDatabase(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  const prisma = new PrismaService(pool);
  const repository = new RunsRepository(prisma, pool, new QueueNudge(pool, new DatabaseAvailability()));
  try {
    const group = await prisma.group.create({ data: { name: 'bench', webhookSecret: 'whsec_bench' } });
    const definition = { nodes: [], edges: [] };
    const workflow = await prisma.workflow.create({ data: { groupId: group.id, name: 'bench', definition } });
    const finishedRun = (): Parameters<RunsRepository['insert']> => {
      const { run, events } = newRun(
        { groupId: group.id, workflowId: workflow.id, workflowVersionId: null, definition, mode: 'async', input: {} },
        false,
      );
      const finished: Run = { ...run, status: 'completed', output: {}, finishedAt: new Date() };
      return [finished, events, false];
    };
    const variants = {
      INSERT_RUN: () => repository.insert(...finishedRun()),
      INSERT_RUNS_WITHIN_LIMIT: () => {
        const [run, events] = finishedRun();
        return repository.insertWithinLimit(run, events, null, 1_000_000);
      },
    };
    const measure = async (insert: () => Promise<unknown>, connections: number) => {
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          for (let i = 0; i < RUNS / connections; i++) {
            const t0 = performance.now();
            await insert();
            latencies.push(performance.now() - t0);
          }
        }),
      );
      return {
        perSecond: RUNS / ((performance.now() - started) / 1000),
        median: median(latencies),
        p99: p99(latencies),
      };
    };
    for (const active of [0, 999]) {
      await pool.query(
        `INSERT INTO runs (id, group_id, workflow_id, definition, mode, input, status)
         SELECT gen_random_uuid(), $1, $2, '{}', 'async', '{}', 'queued' FROM generate_series(1, $3)`,
        [group.id, workflow.id, active - (await activeRuns(pool, group.id))],
      );
      for (const connections of [1, 8]) {
        for (const insert of Object.values(variants)) await measure(insert, connections); // warm-up
        for (let round = 0; round < 3; round++) {
          for (const [name, insert] of Object.entries(variants)) {
            const figures = await measure(insert, connections);
            process.stdout.write(
              `| ${active} active | ${connections} conn | ${name} | round ${round + 1} | ` +
                `${figures.perSecond.toFixed(0)} inserts/s | p50 ${figures.median.toFixed(2)} ms | p99 ${figures.p99.toFixed(2)} ms |\n`,
            );
          }
        }
      }
    }
    process.stdout.write(`(${RUNS} inserts per line)\n`);
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await db.cleanup();
  }
}

async function activeRuns(pool: pg.Pool, groupId: string): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM runs WHERE group_id = $1 AND status IN ('queued', 'running') AND parent_run_id IS NULL`,
    [groupId],
  );
  return result.rows[0].n;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
