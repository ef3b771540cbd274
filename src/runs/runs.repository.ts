import { Inject, Injectable } from '@nestjs/common';
import type { NodeRun, Run, RunStatus } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { FLUSH_RUN, INSERT_RUN } from './runs.sql.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';

/** What changes on the run row when the recorder flushes. */
export interface RunRowChanges {
  status?: RunStatus;
  progress: number;
  output?: unknown;
  error?: unknown;
  finishedAt?: Date;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * Runs, node runs and events. The two writes every run makes are single SQL statements sent on the
 * pool directly (runs.sql.ts), so a run costs one round trip to create and one per flush, without
 * the ORM's per-query overhead. Every read takes the group first.
 */
@Injectable()
export class RunsRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /** Inserts the run and its first events in one statement. */
  async insert(run: Run, events: RunEventRecord[]): Promise<void> {
    await this.pool.query(INSERT_RUN, [
      run.id,
      run.groupId,
      run.workflowId,
      run.workflowVersionId,
      json(run.definition),
      run.status,
      run.mode,
      json(run.input),
      json(run.nodeIds),
      run.singleNodeId,
      run.useOutputIds,
      run.tracing,
      run.traceId,
      run.traceParent,
      run.debugger,
      run.callbackUrl,
      run.idempotencyKey,
      run.requestHash,
      run.progress,
      run.leaseOwner,
      run.leaseExpiresAt,
      run.attempt,
      run.createdAt,
      run.startedAt,
      json(events),
    ]);
  }

  /**
   * Writes what the recorder buffered: node run upserts, events (in order), and the run row's
   * changes, atomically, in one statement.
   */
  async flush(runId: string, nodes: NodeRunRecord[], events: RunEventRecord[], changes: RunRowChanges): Promise<void> {
    await this.pool.query(FLUSH_RUN, [
      runId,
      json(nodes),
      json(events),
      changes.progress,
      changes.status ?? null,
      json(changes.output),
      json(changes.error),
      changes.finishedAt ?? null,
    ]);
  }

  /** Extends the lease while this instance is still executing the run. */
  async renewLease(runId: string, owner: string, until: Date): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE runs SET lease_expires_at = ${until} WHERE id = ${runId}::uuid AND lease_owner = ${owner}`;
    return count > 0;
  }

  find(groupId: string, id: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { id, groupId } });
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
  ): Promise<{ items: Run[]; total: number }> {
    const where = { groupId, workflowId, ...(status ? { status } : {}) };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.run.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.run.count({ where }),
    ]);
    return { items, total };
  }

  nodeRuns(groupId: string, runId: string): Promise<NodeRun[]> {
    return this.prisma.nodeRun.findMany({
      where: { runId, run: { groupId } },
      orderBy: [{ startedAt: { sort: 'asc', nulls: 'last' } }, { nodeId: 'asc' }],
    });
  }
}
