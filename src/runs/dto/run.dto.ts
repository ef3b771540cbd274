import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { NodeRun, Run, RunStatus } from '../../generated/prisma/client.js';
import { PageQuery } from '../../common/pagination.js';
import { RUN_STATUSES } from '../../common/run-status.js';
import {
  NODE_RUN_STATUSES,
  nodeAttemptsFromJson,
  nodeIdsFromJson,
  runErrorFromJson,
  type StoredRunError,
} from '../../execution/engine/index.js';
import { runErrorProperty } from '../../common/run-error.schema.js';
import { metadataProperty, type RunMetadata } from '../run-metadata.js';

export class RunListQuery extends PageQuery {
  @ApiProperty({ enum: RUN_STATUSES, required: false })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;

  /** Only the child runs that this run's WorkflowNode or MapNode started. */
  @ApiProperty({ format: 'uuid', required: false })
  @IsOptional()
  @IsUUID('all')
  parent_run_id?: string;
}

export class RunResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) group_id!: string;
  @ApiProperty({ format: 'uuid' }) workflow_id!: string;
  /** The version that ran; null when the draft ran (the exact draft is recorded with the run). */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) workflow_version_id!: string | null;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatus;
  @ApiProperty({ type: 'object', additionalProperties: true }) input!: Record<string, unknown>;
  /** Set when completed: `output[label]` per OutputNode that ran. Null otherwise. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) output!: Record<string, unknown> | null;
  @ApiProperty(runErrorProperty()) error!: StoredRunError | null;
  @ApiProperty({ type: [String], nullable: true }) node_ids!: string[] | null;
  @ApiProperty({ nullable: true, type: String }) single_node_id!: string | null;
  @ApiProperty() tracing!: boolean;
  @ApiProperty({ nullable: true, type: String }) trace_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) debugger!: string | null;
  @ApiProperty({ nullable: true, type: String }) callback_url!: string | null;
  /** 0–100. */
  @ApiProperty() progress!: number;
  /** The schedule that started the run; null for runs started over the API. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schedule_id!: string | null;
  /** The schedule tick the run was started for; null for runs started over the API. */
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) scheduled_for!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at!: string | null;
  /** The run whose WorkflowNode or MapNode started this run; null for runs started through the API. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parent_run_id!: string | null;
  /** The node of the parent run that started this run. */
  @ApiProperty({ nullable: true, type: String }) parent_node_id!: string | null;
  /** For a MapNode's child: the index of its item in the list. */
  @ApiProperty({ nullable: true, type: Number }) parent_item_index!: number | null;
  @ApiProperty(
    metadataProperty('The labels given when the run was created (`{}` when none; child runs have none).', false),
  )
  metadata!: RunMetadata;
  /** The run this one retries (`POST /v1/runs/{run_id}/retry`); null otherwise. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) retry_of!: string | null;
  /** The run this one replays (`POST /v1/runs/{run_id}/replay`); null otherwise. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) replay_of!: string | null;
  /** The webhook trigger whose delivery started the run; null otherwise. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) trigger_id!: string | null;
}

/** One execution of a node; a node with a `retry` policy may have several. */
export class NodeAttemptResponse {
  /** 1-based. */
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) started_at!: string;
  @ApiProperty({ format: 'date-time' }) finished_at!: string;
  @ApiProperty() duration_ms!: number;
  /** Why the attempt failed; null for the attempt that succeeded. */
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { type: { type: 'string' }, message: { type: 'string' } },
    required: ['type', 'message'],
  })
  error!: { type: string; message: string } | null;
}

export class NodeRunResponse {
  @ApiProperty() node_id!: string;
  @ApiProperty() node_type!: string;
  @ApiProperty({ enum: NODE_RUN_STATUSES }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) inputs!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outputs!: unknown;
  @ApiProperty(runErrorProperty()) error!: unknown;
  /** The run attempt (1, or more after the run was resumed on another instance) that last executed the node. */
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at!: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms!: number | null;
  /** Every execution of the node, oldest first: its number, timings and error (retries under its `retry` policy). */
  @ApiProperty({ type: [NodeAttemptResponse] }) attempts!: NodeAttemptResponse[];
  /**
   * Set once the node waited (WaitNode, a long DelayNode, a SignalNode with a timeout): when its
   * wait ends, or times out. Kept after the node finished.
   */
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) waiting_until!: string | null;
  /** Set once a SignalNode waited: the signal's name and payload schema. */
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: {
      name: { type: 'string' },
      schema: {
        type: 'object',
        additionalProperties: true,
        nullable: true,
        description: 'The JSON Schema a payload must match; null when any payload is taken.',
      },
    },
    required: ['name', 'schema'],
  })
  signal!: { name: string; schema: Record<string, unknown> | null } | null;
  /**
   * While a SignalNode waits: its single-use link that sends the signal without an API key (POST
   * `{"payload": …}`; GET shows a form). Absolute when PUBLIC_URL is set. Null otherwise.
   */
  @ApiProperty({ nullable: true, type: String }) resume_url!: string | null;
  /**
   * For a `reused` node run (a retry took over its output instead of executing it again): the run
   * that executed it. Null otherwise.
   */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) reused_from!: string | null;
}

/** The run as the API shows it; the definition it executed is not part of it. */
export function toRunResponse(run: Omit<Run, 'definition'>): RunResponse {
  return {
    id: run.id,
    group_id: run.groupId,
    workflow_id: run.workflowId,
    workflow_version_id: run.workflowVersionId,
    status: run.status,
    input: run.input as Record<string, unknown>,
    output: (run.output as Record<string, unknown> | null) ?? null,
    error: runErrorFromJson(run.error),
    node_ids: nodeIdsFromJson(run.nodeIds),
    single_node_id: run.singleNodeId,
    tracing: run.tracing,
    trace_id: run.traceId,
    debugger: run.debugger,
    callback_url: run.callbackUrl,
    progress: run.progress,
    schedule_id: run.scheduleId,
    scheduled_for: run.scheduledFor?.toISOString() ?? null,
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    parent_run_id: run.parentRunId,
    parent_node_id: run.parentNodeId,
    parent_item_index: run.parentItemIndex,
    metadata: run.metadata as RunMetadata,
    retry_of: run.retryOf,
    replay_of: run.replayOf,
    trigger_id: run.triggerId,
  };
}

/** What a node run shows of its wait besides its columns: the SignalNode's schema, its link while it waits. */
export interface NodeRunWait {
  signalSchema?: Record<string, unknown>;
  resumeUrl?: string;
}

export function toNodeRunResponse(nodeRun: Omit<NodeRun, 'id' | 'runId'>, wait: NodeRunWait = {}): NodeRunResponse {
  return {
    node_id: nodeRun.nodeId,
    node_type: nodeRun.nodeType,
    status: nodeRun.status,
    inputs: nodeRun.inputs,
    outputs: nodeRun.outputs,
    error: nodeRun.error,
    attempt: nodeRun.attempt,
    started_at: nodeRun.startedAt?.toISOString() ?? null,
    finished_at: nodeRun.finishedAt?.toISOString() ?? null,
    duration_ms: nodeRun.durationMs,
    attempts: nodeAttemptsFromJson(nodeRun.attempts),
    waiting_until: nodeRun.waitingUntil?.toISOString() ?? null,
    signal: nodeRun.waitingFor === null ? null : { name: nodeRun.waitingFor, schema: wait.signalSchema ?? null },
    resume_url: wait.resumeUrl ?? null,
    reused_from: nodeRun.reusedFrom,
  };
}
