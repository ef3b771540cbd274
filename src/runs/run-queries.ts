import { Injectable } from '@nestjs/common';
import type { NodeRun, Run, RunStatus } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { NODE_RUN_RECORD_COLUMNS } from '../executor/run-records.js';
import { journalNodeRuns, NODE_RUN_COLUMNS } from '../database/run-journal.sql.js';

/** A node run as the API shows it: every column but its own id and its run's. */
export type StoredNodeRun = Omit<NodeRun, 'id' | 'runId'>;

/** Each column under its model field's name, so the rows are StoredNodeRuns. */
const AS_FIELDS = Object.entries(NODE_RUN_RECORD_COLUMNS)
  .map(([field, column]) => `${column} AS "${field}"`)
  .join(', ');

/** The node_runs columns, of either side of NODE_RUNS (alias n). */
const STORED_COLUMNS = NODE_RUN_COLUMNS.map((column) => `n.${column}`).join(', ');

/**
 * A run's node runs, from node_runs or from its journal (a run has one or the other), in the order
 * the API lists them.
 */
const NODE_RUNS = `
  SELECT ${AS_FIELDS} FROM (
    SELECT ${STORED_COLUMNS}
    FROM node_runs n JOIN runs r ON r.id = n.run_id
    WHERE n.run_id = $1::uuid AND r.group_id = $2::uuid
    UNION ALL
    SELECT ${STORED_COLUMNS}
    FROM runs r, ${journalNodeRuns('r')} AS n
    WHERE r.id = $1::uuid AND r.group_id = $2::uuid AND r.journal IS NOT NULL
  ) AS stored
  ORDER BY started_at ASC NULLS LAST, node_id ASC`;

/** What the API reads of runs besides a run by id (RunsRepository.find): lists, node runs, keys. */
@Injectable()
export class RunQueries {
  constructor(private readonly prisma: PrismaService) {}

  findByIdempotencyKey(groupId: string, key: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { groupId, idempotencyKey: key } });
  }

  findInWorkflow(groupId: string, workflowId: string, id: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { id, groupId, workflowId } });
  }

  async page(
    groupId: string,
    workflowId: string,
    status: RunStatus | undefined,
    skip: number,
    take: number,
    parentRunId?: string,
  ): Promise<{ items: Run[]; total: number }> {
    const where = { groupId, workflowId, ...(status ? { status } : {}), ...(parentRunId ? { parentRunId } : {}) };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.run.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.run.count({ where }),
    ]);
    return { items, total };
  }

  nodeRuns(groupId: string, runId: string): Promise<StoredNodeRun[]> {
    return this.prisma.$queryRawUnsafe<StoredNodeRun[]>(NODE_RUNS, runId, groupId);
  }
}
