import { Injectable } from '@nestjs/common';
import type { NodeRun, Run, RunStatus } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
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
 * Runs, node runs and events. Hot-path writes are single SQL statements (data-modifying CTEs), so
 * a run costs one round trip to create and one per flush. Every read takes the group first.
 */
@Injectable()
export class RunsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Inserts the run and its first events in one statement. */
  async insert(run: Run, events: RunEventRecord[]): Promise<void> {
    await this.prisma.$executeRaw`
      WITH inserted AS (
        INSERT INTO runs (id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, node_ids,
          single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
          request_hash, progress, lease_owner, lease_expires_at, attempt, created_at, started_at)
        VALUES (${run.id}::uuid, ${run.groupId}::uuid, ${run.workflowId}::uuid, ${run.workflowVersionId}::uuid,
          ${json(run.definition)}::jsonb, ${run.status}::"RunStatus", ${run.mode}::"RunMode", ${json(run.input)}::jsonb,
          ${json(run.nodeIds)}::jsonb, ${run.singleNodeId}, ${run.useOutputIds}, ${run.tracing}, ${run.traceId},
          ${run.traceParent}, ${run.debugger}, ${run.callbackUrl}, ${run.idempotencyKey}, ${run.requestHash},
          ${run.progress}, ${run.leaseOwner}, ${run.leaseExpiresAt}, ${run.attempt}, ${run.createdAt}, ${run.startedAt})
        RETURNING id
      )
      INSERT INTO run_events (run_id, type, data, created_at)
      SELECT inserted.id, e.type, e.data, e.created_at
      FROM inserted, ROWS FROM (jsonb_to_recordset(${json(events)}::jsonb) AS (type text, data jsonb, created_at timestamptz))
        WITH ORDINALITY AS e(type, data, created_at, ord)
      ORDER BY e.ord`;
  }

  /**
   * Writes what the recorder buffered: node run upserts, events (in order), and the run row's
   * changes, atomically, in one statement.
   */
  async flush(runId: string, nodes: NodeRunRecord[], events: RunEventRecord[], changes: RunRowChanges): Promise<void> {
    await this.prisma.$executeRaw`
      WITH node_rows AS (
        INSERT INTO node_runs (id, run_id, node_id, node_type, status, inputs, outputs, error, attempt, started_at,
          finished_at, duration_ms)
        SELECT gen_random_uuid(), ${runId}::uuid, n.node_id, n.node_type, n.status::"NodeRunStatus", n.inputs, n.outputs,
          n.error, n.attempt, n.started_at, n.finished_at, n.duration_ms
        FROM jsonb_to_recordset(${json(nodes)}::jsonb) AS n(node_id text, node_type text, status text, inputs jsonb,
          outputs jsonb, error jsonb, attempt int, started_at timestamptz, finished_at timestamptz, duration_ms int)
        ON CONFLICT (run_id, node_id) DO UPDATE SET status = EXCLUDED.status, inputs = EXCLUDED.inputs,
          outputs = EXCLUDED.outputs, error = EXCLUDED.error, attempt = EXCLUDED.attempt,
          started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms
      ),
      event_rows AS (
        INSERT INTO run_events (run_id, type, data, created_at)
        SELECT ${runId}::uuid, e.type, e.data, e.created_at
        FROM ROWS FROM (jsonb_to_recordset(${json(events)}::jsonb) AS (type text, data jsonb, created_at timestamptz))
          WITH ORDINALITY AS e(type, data, created_at, ord)
        ORDER BY e.ord
      )
      UPDATE runs SET
        progress = ${changes.progress},
        status = COALESCE(${changes.status ?? null}::"RunStatus", status),
        output = COALESCE(${json(changes.output)}::jsonb, output),
        error = COALESCE(${json(changes.error)}::jsonb, error),
        finished_at = COALESCE(${changes.finishedAt ?? null}::timestamptz, finished_at),
        lease_owner = CASE WHEN ${changes.finishedAt ?? null}::timestamptz IS NULL THEN lease_owner END,
        lease_expires_at = CASE WHEN ${changes.finishedAt ?? null}::timestamptz IS NULL THEN lease_expires_at END
      WHERE id = ${runId}::uuid`;
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
