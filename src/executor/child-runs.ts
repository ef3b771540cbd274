import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, Run } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { prepareRun, runErrorFromJson, type PreparedRun, type RunProblem } from '../execution/engine/index.js';
import type {
  ChildRunRequest,
  ChildRunResult,
  ChildRuns,
  EndedChildRun,
  RefusedChildRun,
} from '../execution/node-services.js';
import { NodeFailure } from '../execution/node-type.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { MAX_WORKFLOW_DEPTH } from '../execution/nodes/child-workflow.js';
import { RunnableDefinitions, type RunnableDefinition } from '../definitions/runnable-definitions.js';
import { childCallPath } from './call-path.js';
import type { NodeRunRecord } from './run-records.js';
import { takenOverNodes, type FinishedNodeRun, type TakenOverNodes } from './taken-over-nodes.js';
import { newRun } from './new-run.js';
import { DescendantCounts } from './descendant-counts.js';
import { GroupSlots, type HeldSlot } from './group-slots.js';
import type { RunEventRecord } from './run-records.js';
import type { TreeStop } from './run-stops.js';
import { isFinished, RunWatcher } from '../run-events/run-watcher.js';
import { RunsRepository } from './runs.repository.js';
import { RunTreesRepository, type ChildRunRow } from './run-trees.repository.js';
import { INSTANCE_ID } from '../database/instance-id.js';
import { LEASE_MS } from './run-lease.js';

/** How long to wait for a child held by another instance before trying to take it over again. */
const ADOPT_WAIT_MS = 5_000;

/** What the child runs need of the executor (ExecutionService): it executes them here, and stops them. */
export interface ChildExecutor {
  execute(
    run: Run,
    options: { prepared: PreparedRun; slot: HeldSlot; completed?: TakenOverNodes['completed'] },
  ): Promise<Run | null>;
  claimAndExecute(runId: string, slot: HeldSlot): Promise<Run | null>;
  /** Aborts what executes here of the run's tree. */
  stop(runId: string): boolean;
  /** Stops the run's tree wherever it executes. */
  stopTree(groupId: string, runId: string): Promise<TreeStop>;
}

/** The child runs of one parent walk; closed when the walk ends. */
export type ParentChildRuns = ChildRuns & { close(): void };

/** What a parent walk tells its children. */
export interface ParentWalk {
  /** Whether the parent is being handed back (its children are then handed back too), not stopped. */
  lettingGo: () => boolean;
  /** The parent's own slot, which it gives up to its children when it starts the first. */
  slot?: HeldSlot;
  /** For a traced parent: the `traceparent` of the node's span, which its child runs continue. */
  traceparentOf?: (nodeId: string) => string;
}

/**
 * Starts and follows the child runs of WorkflowNode and MapNode. A child is a real run of the
 * parent's group (own row, events, node runs), executed on this instance like a sync run, in one of
 * its group's slots (GroupSlots). Children are keyed by (parent, node, node attempt, item): a
 * resumed parent finds the children it started before a crash, reuses completed ones and resumes or
 * waits for unfinished ones. A root's tree creates at most MAX_DESCENDANT_RUNS child runs.
 */
@Injectable()
export class ChildRunsService {
  private readonly descendants = new DescendantCounts((root) => this.trees.descendantCount(root));

  constructor(
    private readonly definitions: RunnableDefinitions,
    private readonly runs: RunsRepository,
    private readonly trees: RunTreesRepository,
    private readonly watcher: RunWatcher,
    readonly slots: GroupSlots,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'maxDescendantRuns'>,
  ) {}

  /** The children of one parent walk. */
  forParent(parent: Run, executor: ChildExecutor, walk: ParentWalk): ParentChildRuns {
    const root = parent.rootRunId ?? parent.id;
    this.descendants.open(root);
    return new ParentChildren(this, parent, executor, walk, () => this.descendants.close(root));
  }

  /** Counts one more child run of the tree; false when the tree has MAX_DESCENDANT_RUNS already. */
  reserveDescendant(root: string): Promise<boolean> {
    return this.descendants.reserve(root, this.config.maxDescendantRuns);
  }

  /** Gives back a reservation whose child was not created. */
  unreserveDescendant(root: string): void {
    this.descendants.unreserve(root);
  }

  get maxDescendantRuns(): number {
    return this.config.maxDescendantRuns;
  }

  definition(groupId: string, request: ChildRunRequest): Promise<RunnableDefinition | null> {
    return this.definitions.find(groupId, request.workflowId, request.versionId);
  }

  childrenOf(parentRunId: string, nodeId: string): Promise<ChildRunRow[]> {
    return this.trees.childrenOf(parentRunId, nodeId);
  }

  retriedChildrenOf(runId: string, nodeId: string): Promise<ChildRunRow[]> {
    return this.trees.retriedChildrenOf(runId, nodeId);
  }

  finishedNodeRuns(runId: string): Promise<FinishedNodeRun[]> {
    return this.runs.finishedNodeRuns(runId);
  }

  insert(run: Run, events: RunEventRecord[], nodes?: NodeRunRecord[]): ReturnType<RunTreesRepository['insertChild']> {
    return this.trees.insertChild(run, events, nodes);
  }

  findChild(parentRunId: string, request: ChildRunRequest): Promise<ChildRunRow | undefined> {
    return this.trees
      .childrenOf(parentRunId, request.nodeId)
      .then((rows) => rows.find((row) => row.attempt === request.attempt && row.itemIndex === request.itemIndex));
  }

  /** Whether a stop was asked of `parentId` (or a run above it ended); renews the lease this instance holds on it. */
  async stopRequested(parentId: string): Promise<boolean> {
    return (await this.runs.renewLease(parentId, INSTANCE_ID, LEASE_MS)) === true;
  }

  waitForEnd(groupId: string, runId: string): Promise<Run | null> {
    return this.watcher.waitForEnd(groupId, runId, () => this.runs.find(groupId, runId), ADOPT_WAIT_MS);
  }
}

/** A child run made but not yet inserted, with its first events and its plan. */
interface NewChild {
  run: Run;
  events: RunEventRecord[];
  prepared: PreparedRun;
  /** A retry of the child that failed for this call in a run the parent retries: what it takes over. */
  reused?: TakenOverNodes;
}

class ParentChildren implements ParentChildRuns {
  /** Children an earlier walk of this parent started, per node, loaded once. */
  private readonly earlier = new Map<string, Promise<ChildRunRow[]>>();
  /** For a retry: the completed children of the runs it retries, per node, loaded once. */
  private readonly retried = new Map<string, Promise<ChildRunRow[]>>();
  private readonly definitions = new Map<string, Promise<RunnableDefinition | null>>();
  private readonly root: string;

  constructor(
    private readonly service: ChildRunsService,
    private readonly parent: Run,
    private readonly executor: ChildExecutor,
    private readonly walk: ParentWalk,
    readonly close: () => void,
  ) {
    this.root = parent.rootRunId ?? parent.id;
  }

  async run(request: ChildRunRequest): Promise<ChildRunResult> {
    const known = await this.earlierChild(request);
    if (known && isFinished(known.run)) return toResult(known.run);
    if (known) {
      this.walk.slot?.release();
      return this.follow(known.run, request.signal);
    }
    const child = await this.newChild(request);
    if ('refused' in child) return child.refused;
    this.walk.slot?.release();
    const result = await this.startInSlot(child, request.signal);
    if (result !== 'exists') {
      // Null: handed back or taken over before it finished; whoever holds it now finishes it.
      return result ?? this.follow(child.run, request.signal);
    }
    // Another walk of this parent (a takeover racing with us) started it first.
    const existing = await this.service.findChild(this.parent.id, request);
    if (!existing) throw new Error(`child run of node "${request.nodeId}" vanished`);
    return this.follow(existing.run, request.signal);
  }

  /**
   * Creates the child and executes it here, in one of its group's slots; `exists` when it was
   * already there, null when this instance did not finish it.
   */
  private async startInSlot(child: NewChild, signal: AbortSignal): Promise<ChildRunResult | null | 'exists'> {
    const slot = await this.service.slots.take(this.parent.groupId, signal);
    if (!slot) throw notStarted('the parent was stopped before a slot of its group was free');
    try {
      if ((await this.create(child)) === 'exists') return 'exists';
      const options = { prepared: child.prepared, slot, completed: child.reused?.completed };
      return await this.watch(this.executor.execute(child.run, options), child.run, signal);
    } finally {
      slot.release();
    }
  }

  /** Inserts the child within the tree's budget, unless a run above it was stopped or has ended. */
  private async create(child: NewChild): Promise<'inserted' | 'exists'> {
    if (!(await this.service.reserveDescendant(this.root))) {
      throw new NodeFailure(
        `the run tree of root run ${this.root} has created ${this.service.maxDescendantRuns} child runs, ` +
          'its limit (MAX_DESCENDANT_RUNS); no more are started',
        'too_many_descendants',
      );
    }
    const created = await this.service
      .insert(child.run, child.events, child.reused?.records)
      .catch((error: unknown) => {
        this.service.unreserveDescendant(this.root);
        throw error;
      });
    if (created !== 'inserted') this.service.unreserveDescendant(this.root);
    if (created !== 'ancestor-ended') return created;
    // The stop reaches this parent too, within a lease renewal: end it now instead.
    this.executor.stop(this.parent.id);
    throw notStarted('a run above it was stopped or has ended');
  }

  /**
   * A completed child of any earlier attempt of this node and item; for a retry, one of the runs it
   * retries had for the same call (workflow, version, input); else this attempt's child.
   */
  private async earlierChild(request: ChildRunRequest): Promise<ChildRunRow | undefined> {
    const sameItem = (
      await this.loadOnce(this.earlier, request.nodeId, this.service.childrenOf.bind(this.service))
    ).filter((row) => row.itemIndex === request.itemIndex);
    const completed = sameItem.find((row) => row.run.status === 'completed');
    if (completed) return completed;
    const retried = await this.retriedChild(request);
    if (retried?.run.status === 'completed') return retried;
    return sameItem.find((row) => row.attempt === request.attempt);
  }

  /** For a retry: the nearest child the runs it retries had for this call (same item, workflow, version, input). */
  private async retriedChild(request: ChildRunRequest): Promise<ChildRunRow | undefined> {
    if (this.parent.retryOf === null) return undefined;
    const retried = await this.loadOnce(
      this.retried,
      request.nodeId,
      this.service.retriedChildrenOf.bind(this.service),
    );
    return retried.find((row) => row.itemIndex === request.itemIndex && sameCall(row.run, request));
  }

  private loadOnce(
    cache: Map<string, Promise<ChildRunRow[]>>,
    nodeId: string,
    load: (runId: string, nodeId: string) => Promise<ChildRunRow[]>,
  ): Promise<ChildRunRow[]> {
    let rows = cache.get(nodeId);
    if (!rows) {
      rows = load(this.parent.id, nodeId);
      cache.set(nodeId, rows);
    }
    return rows;
  }

  /** The child to create, or why none is: the input does not fit the child workflow. */
  private async newChild(request: ChildRunRequest): Promise<NewChild | { refused: RefusedChildRun }> {
    const depth = this.parent.depth + 1;
    if (depth > MAX_WORKFLOW_DEPTH) {
      throw new NodeFailure(
        `child runs nest at most ${MAX_WORKFLOW_DEPTH} deep; a workflow calling itself (directly or through others) is refused`,
        'workflow_depth_exceeded',
      );
    }
    const runnable = await this.definition(request);
    if (!runnable) {
      const what = request.versionId ? `version ${request.versionId} of workflow` : 'workflow';
      throw new NodeFailure(`${what} ${request.workflowId} was not found in this group`, 'workflow_not_found');
    }
    const prepared = prepareRun(runnable.definition, request.input, builtInNodeTypes);
    if (!prepared.ok && prepared.stage === 'input') return { refused: inputRefused(prepared.problems) };
    // Planning does not depend on the input: every call of this workflow would fail the same way.
    if (!prepared.ok) throw childWorkflowInvalid(request, prepared.problems);
    // The child this call failed in, in a run the parent retries: the new child retries it in turn.
    const failed = (await this.retriedChild(request))?.run;
    const created = newRun(
      {
        groupId: this.parent.groupId,
        workflowId: request.workflowId,
        workflowVersionId: runnable.versionId,
        definition: runnable.json,
        mode: this.parent.mode,
        input: request.input as Prisma.JsonValue,
        parentRunId: this.parent.id,
        parentNodeId: request.nodeId,
        parentAttempt: request.attempt,
        parentItemIndex: request.itemIndex,
        depth,
        rootRunId: this.root,
        callPath: childCallPath(this.parent, request.nodeId, request.itemIndex),
        // A debugger session watching the parent sees its children's events too.
        debugger: this.parent.debugger,
        // A traced parent's children join its trace, under the node's span; stored with the child,
        // so a resumed child (on any instance) continues the same trace.
        tracing: this.parent.tracing,
        traceId: this.parent.traceId,
        traceParent: this.walk.traceparentOf?.(request.nodeId) ?? null,
        retryOf: failed?.id ?? null,
      },
      true,
    );
    if (!failed) return { ...created, prepared: prepared.prepared };
    const finished = await this.service.finishedNodeRuns(failed.id);
    return { ...created, prepared: prepared.prepared, reused: takenOverNodes(failed, finished, prepared.prepared) };
  }

  /** One definition per workflow and version for the whole walk: every item of a map runs the same. */
  private definition(request: ChildRunRequest): Promise<RunnableDefinition | null> {
    const key = `${request.workflowId}:${request.versionId ?? 'draft'}`;
    let definition = this.definitions.get(key);
    if (!definition) {
      definition = this.service.definition(this.parent.groupId, request);
      this.definitions.set(key, definition);
    }
    return definition;
  }

  /** Resumes an unfinished child (in a slot) if its holder died, else waits for whoever holds it. */
  private async follow(child: Run, signal: AbortSignal): Promise<ChildRunResult> {
    for (;;) {
      if (signal.aborted) return this.stopChild(child.id);
      const slot = await this.service.slots.take(child.groupId, signal);
      if (!slot) return this.stopChild(child.id);
      const result = await this.watch(this.executor.claimAndExecute(child.id, slot), child, signal).finally(() =>
        slot.release(),
      );
      if (result) return result;
      if (signal.aborted) return this.stopChild(child.id);
      const latest = await this.service.waitForEnd(child.groupId, child.id);
      if (!latest) throw new Error(`child run ${child.id} vanished`);
      if (isFinished(latest)) return this.ended(latest);
    }
  }

  /**
   * A child that someone else ended (a parked child, which a stop of the tree ends at once). Stopped
   * by a stop of this parent's tree, the parent stops now: its own notice may come after the
   * child's end, and the node must not fail on the child first.
   */
  private async ended(child: Run): Promise<ChildRunResult> {
    if (child.status === 'stopped' && (await this.service.stopRequested(this.parent.id))) {
      this.executor.stop(this.parent.id);
    }
    return toResult(child);
  }

  /**
   * Waits for a child executing here, stopping it when the parent's node is aborted (unless the
   * parent is only being handed back: then the child is handed back too, and resumed with it).
   * Null when this instance did not finish the child.
   */
  private async watch(execution: Promise<Run | null>, child: Run, signal: AbortSignal): Promise<ChildRunResult | null> {
    const stop = () => {
      if (!this.walk.lettingGo()) void this.executor.stopTree(child.groupId, child.id);
    };
    signal.addEventListener('abort', stop, { once: true });
    try {
      const finished = await execution;
      return finished && isFinished(finished) ? toResult(finished) : null;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private async stopChild(runId: string): Promise<ChildRunResult> {
    if (!this.walk.lettingGo()) await this.executor.stopTree(this.parent.groupId, runId);
    return { runId, status: 'stopped', output: null, error: null };
  }
}

/** Whether a child run was started for the same call as `request`: same workflow, version and input. */
function sameCall(child: Run, request: ChildRunRequest): boolean {
  return (
    child.workflowId === request.workflowId &&
    child.workflowVersionId === request.versionId &&
    isDeepStrictEqual(child.input, request.input)
  );
}

function toResult(run: Run): EndedChildRun {
  return {
    runId: run.id,
    status: run.status as EndedChildRun['status'],
    output: (run.output as Record<string, unknown> | null) ?? null,
    error: runErrorFromJson(run.error),
  };
}

function notStarted(why: string): NodeFailure {
  return new NodeFailure(`the child run was not started: ${why}`, 'child_run_stopped');
}

function inputRefused(problems: RunProblem[]): RefusedChildRun {
  const message = `the child run cannot start: ${problemList(problems)}`;
  return {
    runId: null,
    status: 'failed',
    output: null,
    error: { node_id: null, message, type: 'child_input_invalid' },
  };
}

function childWorkflowInvalid(request: ChildRunRequest, problems: RunProblem[]): NodeFailure {
  return new NodeFailure(
    `workflow ${request.workflowId} cannot run: ${problemList(problems)}`,
    'child_workflow_invalid',
  );
}

function problemList(problems: RunProblem[]): string {
  return problems.map((problem) => `${problem.field} ${problem.message}`).join('; ');
}
