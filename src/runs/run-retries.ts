import { Injectable } from '@nestjs/common';
import type { Prisma, Run, RunMode } from '../generated/prisma/client.js';
import { ConflictProblem, ValidationProblem } from '../common/problem.js';
import { RunnableDefinitions, type RunnableDefinition } from '../definitions/runnable-definitions.js';
import { definitionFromJson, nodeLabel, type WorkflowDefinition } from '../execution/definition.js';
import { INPUT_NODE_TYPE, nodeIdsFromJson, prepareRun, type PreparedRun } from '../execution/engine/index.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { newTraceId, parseTraceparent } from '../observability/trace-context.js';
import { newRun } from '../executor/new-run.js';
import { ReplayRunBody, RetryRunBody } from './dto/derived-run.dto.js';
import { requestHash } from './idempotency.js';
import type { RunMetadata } from './run-metadata.js';
import { RunsRepository } from '../executor/runs.repository.js';
import { takenOverNodes, type TakenOverNodes } from '../executor/taken-over-nodes.js';
import { RunsService, type NewRun, type SyncOutcome } from './runs.service.js';
import { definitionNotFound, preparedOrProblem } from './run-preparation.js';

/** Who asks for a retry or replay, and how. */
export interface DerivedRunRequest {
  groupId: string;
  sourceRunId: string;
  mode: RunMode;
  idempotencyKey?: string;
  traceparent?: string;
}

const RETRYABLE = new Set(['failed', 'stopped']);

/** A plan with the run input it was checked against (the source's, overrides merged). */
type PlannedRun = PreparedRun & { runInput: Record<string, unknown> };

/**
 * Makes runs from earlier runs. A retry (`retry_of`) takes over the outputs of the nodes the source
 * run completed that nothing changed (reusableNodes) and executes the rest; its outbound calls keep
 * the source's idempotency keys (`call_path`). A replay (`replay_of`) is new work: every node
 * executes, with new keys. Both run the source's definition unless told otherwise, and keep its
 * input, callback, tracing, debugger and metadata unless overridden.
 */
@Injectable()
export class RunRetries {
  constructor(
    private readonly runs: RunsService,
    private readonly executedRuns: RunsRepository,
    private readonly definitions: RunnableDefinitions,
  ) {}

  async retry(request: DerivedRunRequest, body: RetryRunBody): Promise<SyncOutcome> {
    const source = await this.runs.get(request.groupId, request.sourceRunId);
    if (!RETRYABLE.has(source.status)) {
      throw new ConflictProblem(
        `Only a failed or stopped run can be retried; this one is ${source.status}. Replay it to run it again.`,
        { run_status: source.status },
      );
    }
    const target = await this.targetDefinition(source, body);
    const prepared = this.prepare(source, target.definition, body.input);
    const forced = this.forcedNodes(prepared, body.from_node_ids);
    const taken = await this.reusedNodes(source, prepared, forced);
    // The retry's calls are the source's: its outbound Idempotency-Keys are theirs.
    const lineage = { retryOf: source.id, callPath: source.callPath ?? source.id };
    const derived = this.derive(source, target, prepared, request, body, lineage);
    return this.runs.launch({ ...derived, reused: taken }, request.idempotencyKey);
  }

  async replay(request: DerivedRunRequest, body: ReplayRunBody): Promise<SyncOutcome> {
    const source = await this.runs.get(request.groupId, request.sourceRunId);
    const target = await this.targetDefinition(source, body);
    const prepared = this.prepare(source, target.definition, body.input);
    const derived = this.derive(source, target, prepared, request, body, { replayOf: source.id });
    return this.runs.launch(derived, request.idempotencyKey);
  }

  /** The source run's own definition, a version of its workflow, or the workflow's draft as it is now. */
  private async targetDefinition(source: Run, body: ReplayRunBody): Promise<RunnableDefinition> {
    const versionId = body.workflow_version_id?.toLowerCase();
    if (versionId && body.definition) {
      throw new ValidationProblem([{ field: 'definition', message: 'cannot be combined with workflow_version_id' }]);
    }
    if (!versionId && !body.definition) {
      return {
        definition: definitionFromJson(source.definition),
        json: source.definition,
        versionId: source.workflowVersionId,
      };
    }
    const found = await this.definitions.find(source.groupId, source.workflowId, versionId ?? null);
    if (!found) throw definitionNotFound(source.workflowId, versionId);
    return found;
  }

  /**
   * Plans the new run with the source's node selection and its input, `overrides` merged over it.
   * Source input keys the new definition has no InputNode for are dropped (a draft may have lost
   * one); keys given in `overrides` must fit.
   */
  private prepare(
    source: Run,
    definition: WorkflowDefinition,
    overrides: Record<string, unknown> | null | undefined,
  ): PlannedRun {
    const singleNodeId = source.singleNodeId;
    const known = new Set(definition.nodes.filter((node) => node.type === INPUT_NODE_TYPE).map(nodeLabel));
    const kept = Object.entries(source.input as Record<string, unknown>).filter(
      ([key]) => singleNodeId || known.has(key),
    );
    const input = { ...Object.fromEntries(kept), ...overrides };
    const prepared = prepareRun(definition, input, builtInNodeTypes, {
      nodeIds: nodeIdsFromJson(source.nodeIds),
      singleNodeId,
    });
    return { ...preparedOrProblem(prepared), runInput: input };
  }

  private forcedNodes(prepared: PlannedRun, fromNodeIds: string[] | null | undefined): Set<string> {
    const unknown = (fromNodeIds ?? []).filter((id) => !prepared.plan.nodes.has(id));
    if (unknown.length > 0) {
      throw new ValidationProblem(
        unknown.map((id) => ({ field: 'from_node_ids', message: `"${id}" is not a node this run executes` })),
      );
    }
    return new Set(fromNodeIds);
  }

  /** The source's node runs that the retry takes over, as `reused` node runs of the new run. */
  private async reusedNodes(source: Run, prepared: PlannedRun, forced: Set<string>): Promise<TakenOverNodes> {
    return takenOverNodes(source, await this.executedRuns.finishedNodeRuns(source.id), prepared, forced);
  }

  private derive(
    source: Run,
    target: RunnableDefinition,
    prepared: PlannedRun,
    request: DerivedRunRequest,
    body: ReplayRunBody,
    lineage: Pick<Run, 'retryOf' | 'callPath'> | Pick<Run, 'replayOf'>,
  ): NewRun {
    const kind = 'retryOf' in lineage ? 'retry' : 'replay';
    const tracing = body.tracing ?? source.tracing;
    const incomingTrace = tracing ? parseTraceparent(request.traceparent) : undefined;
    const key = request.idempotencyKey;
    const { run, events } = newRun(
      {
        groupId: source.groupId,
        workflowId: source.workflowId,
        workflowVersionId: target.versionId,
        definition: target.json,
        mode: request.mode,
        input: prepared.runInput as Prisma.JsonValue,
        nodeIds: source.nodeIds,
        singleNodeId: source.singleNodeId,
        useOutputIds: source.useOutputIds,
        tracing,
        traceId: tracing ? (incomingTrace?.traceId ?? newTraceId()) : null,
        traceParent: incomingTrace?.header ?? null,
        debugger: body.debugger === undefined ? source.debugger : body.debugger,
        callbackUrl: body.callback_url === undefined ? source.callbackUrl : body.callback_url,
        idempotencyKey: key ?? null,
        requestHash: key ? requestHash(`${kind}:${source.id}:${request.mode}`, body, false) : null,
        metadata: body.metadata ?? (source.metadata as RunMetadata),
        ...lineage,
      },
      request.mode === 'sync',
    );
    return { run, events, prepared: { plan: prepared.plan, input: prepared.input } };
  }
}
