import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { isFinishedStatus } from '../common/run-status.js';
import { PrismaService } from '../database/prisma.service.js';
import { journalEvents, journalNodeRuns, JOURNAL_MAX_EVENTS } from '../database/run-journal.sql.js';

/**
 * A run's events after $2, oldest first, at most $3: from run_events or from its journal (a run
 * has one or the other). Each side has its own limit, so the rows are read in index order and
 * stop there (a long run is read a page at a time), not all sorted for each page.
 */
const RUN_EVENTS_AFTER = `
  SELECT id, type, data, "createdAt" FROM (
    (SELECT id, type, data, created_at AS "createdAt" FROM run_events
     WHERE run_id = $1::uuid AND id > $2 ORDER BY id LIMIT $3)
    UNION ALL
    (SELECT event.id, event.type, event.data, event.created_at
     FROM runs r, ${journalEvents('r')} AS event
     WHERE r.id = $1::uuid AND r.journal IS NOT NULL AND event.id > $2)
  ) AS events
  ORDER BY id
  LIMIT $3`;

/** Journaled node events carry their node run's full values too, as node_runs' do (runSetEventsAfter). */
const FULL_VALUE_EVENTS = `('node.started', 'node.completed', 'node.failed')`;

/** The latest event's id, whether it is a row or in a journal (the last of the latest journal's block). */
const LATEST_EVENT_ID = `
  SELECT GREATEST(
    (SELECT max(id) FROM run_events),
    (SELECT journal_first_event_id + json_array_length(journal -> 'events') - 1 FROM runs
     WHERE journal_first_event_id IS NOT NULL ORDER BY journal_first_event_id DESC LIMIT 1)
  ) AS id`;

export interface RunEventRow {
  id: bigint;
  type: string;
  data: unknown;
  createdAt: Date;
}

/** The runs a stream of several runs follows: a debugger session's, or a workflow's. */
export type RunSet = { debugger: string } | { workflowId: string };

/** An event of a run set, with the full values of the node run it is about. */
export interface SessionEventRow {
  id: bigint;
  run_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
  inputs: unknown;
  outputs: unknown;
}

/** Reads `run_events` (written by the runs module) for the streams that follow runs. */
@Injectable()
export class RunEventsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A run's events after `afterId`, oldest first. */
  eventsAfter(runId: string, afterId: bigint, limit: number): Promise<RunEventRow[]> {
    return this.prisma.$queryRawUnsafe<RunEventRow[]>(RUN_EVENTS_AFTER, runId, afterId, limit);
  }

  /**
   * Marks an unfinished run as followed, so its events notify from now on (only followed runs
   * notify: see the migration notify_followed_runs). Blocks while an event
   * writer holds the run's row: that writer's events are committed when this returns.
   */
  async follow(groupId: string, runId: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE runs SET followed = true
      WHERE id = ${runId}::uuid AND group_id = ${groupId}::uuid AND NOT followed AND status NOT IN ('completed', 'failed', 'stopped')`;
  }

  /** Whether the group's run has finished; undefined when the group has no such run. */
  async isFinished(groupId: string, runId: string): Promise<boolean | undefined> {
    const run = await this.prisma.run.findFirst({ where: { id: runId, groupId }, select: { status: true } });
    return run ? isFinishedStatus(run.status) : undefined;
  }

  /** Events of the group's runs in the set, after `afterId`, oldest first. */
  runSetEventsAfter(groupId: string, runs: RunSet, afterId: bigint, limit: number): Promise<SessionEventRow[]> {
    const inSet =
      'debugger' in runs
        ? Prisma.sql`r.debugger = ${runs.debugger}`
        : Prisma.sql`r.workflow_id = ${runs.workflowId}::uuid`;
    // Each side limited on its own, as in RUN_EVENTS_AFTER.
    return this.prisma.$queryRaw<SessionEventRow[]>`
      SELECT * FROM (
        (SELECT e.id, e.run_id, e.type, e.data, e.created_at, n.inputs, n.outputs
         FROM run_events e
         JOIN runs r ON r.id = e.run_id
         LEFT JOIN node_runs n ON n.run_id = e.run_id AND n.node_id = e.data->>'node_id'
           AND e.type IN ${Prisma.raw(FULL_VALUE_EVENTS)}
         WHERE r.group_id = ${groupId}::uuid AND ${inSet} AND e.id > ${afterId}
         ORDER BY e.id
         LIMIT ${limit})
        UNION ALL
        (SELECT e.id, e.run_id, e.type, e.data, e.created_at, n.inputs, n.outputs
         FROM runs r
         CROSS JOIN ${Prisma.raw(journalEvents('r'))} AS e
         LEFT JOIN ${Prisma.raw(journalNodeRuns('r'))} AS n ON n.node_id = e.data->>'node_id'
           AND e.type IN ${Prisma.raw(FULL_VALUE_EVENTS)}
         WHERE r.group_id = ${groupId}::uuid AND ${inSet}
           AND r.journal_first_event_id > ${afterId - BigInt(JOURNAL_MAX_EVENTS)} AND e.id > ${afterId}
         ORDER BY e.id
         LIMIT ${limit})
      ) AS events
      ORDER BY id
      LIMIT ${limit}`;
  }

  /** Whether the group has this (not deleted) workflow. */
  async hasWorkflow(groupId: string, workflowId: string): Promise<boolean> {
    return (await this.prisma.workflow.count({ where: { id: workflowId, groupId, deletedAt: null } })) > 0;
  }

  async latestEventId(): Promise<bigint> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: bigint | null }[]>(LATEST_EVENT_ID);
    return rows[0].id ?? 0n;
  }
}
