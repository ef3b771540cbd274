import { Injectable } from '@nestjs/common';
import type { Prisma, Run } from '../generated/prisma/client.js';
import { NotificationsService } from '../database/notifications.service.js';
import { planRun, resolveRunInput, type RunProblem } from '../execution/engine/index.js';
import type { ChildRunRequest, ChildRunResult, ChildRuns } from '../execution/node-services.js';
import { NodeFailure } from '../execution/node-type.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { MAX_WORKFLOW_DEPTH } from '../execution/nodes/child-workflow.js';
import { RunnableDefinitions, type RunnableDefinition } from '../definitions/runnable-definitions.js';
import { newRun } from './new-run.js';
import { STOP_CHANNEL } from '../database/channels.js';
import { ExecutionService, type PreparedRun } from './execution.service.js';
import { isFinished, RunWatcher } from '../run-events/run-watcher.js';
import { RunsRepository, type ChildRunRow } from './runs.repository.js';

/** How long to wait for a child held by another instance before trying to take it over again. */
const ADOPT_WAIT_MS = 5_000;

type ChildExecutor = Pick<ExecutionService, 'execute' | 'claimAndExecute' | 'stop'>;

/**
 * Starts and follows the child runs of WorkflowNode and MapNode. A child is a real run of the
 * parent's group (own row, events, node runs), executed on this instance like a sync run. Children
 * are keyed by (parent, node, node attempt, item): a resumed parent finds the children it started
 * before a crash, reuses completed ones and resumes or waits for unfinished ones.
 */
@Injectable()
export class ChildRunsService {
  constructor(
    private readonly definitions: RunnableDefinitions,
    private readonly runs: RunsRepository,
    private readonly watcher: RunWatcher,
    private readonly notifications: NotificationsService,
    executor: ExecutionService,
  ) {
    // The executor hands every run it walks a ChildRuns from here (it does not import this class).
    executor.useChildRuns(this);
  }

  /** The children of one parent walk; `lettingGo` says the parent is handed back, not stopped. */
  forParent(parent: Run, executor: ChildExecutor, lettingGo: () => boolean): ChildRuns {
    return new ParentChildren(this, parent, executor, lettingGo);
  }

  definition(groupId: string, request: ChildRunRequest): Promise<RunnableDefinition | null> {
    return request.versionId
      ? this.definitions.version(groupId, request.workflowId, request.versionId)
      : this.definitions.draft(groupId, request.workflowId);
  }

  childrenOf(parentRunId: string, nodeId: string): Promise<ChildRunRow[]> {
    return this.runs.childrenOf(parentRunId, nodeId);
  }

  insert(run: Run, events: Parameters<RunsRepository['insert']>[1]): Promise<boolean> {
    return this.runs.insert(run, events, false);
  }

  findChild(parentRunId: string, request: ChildRunRequest): Promise<ChildRunRow | undefined> {
    return this.runs
      .childrenOf(parentRunId, request.nodeId)
      .then((rows) => rows.find((row) => row.attempt === request.attempt && row.itemIndex === request.itemIndex));
  }

  waitForEnd(groupId: string, runId: string): Promise<Run | null> {
    return this.watcher.waitForEnd(groupId, runId, () => this.runs.find(groupId, runId), ADOPT_WAIT_MS);
  }

  /** Asks whichever instance executes the child to stop it. */
  async requestStop(executor: ChildExecutor, groupId: string, runId: string): Promise<void> {
    const stopped = await this.runs.stopUnclaimed(groupId, runId);
    if (stopped || !(await this.runs.requestStop(groupId, runId))) return;
    if (!executor.stop(runId)) await this.notifications.notify(STOP_CHANNEL, runId);
  }
}

class ParentChildren implements ChildRuns {
  /** Children an earlier walk of this parent started, per node, loaded once. */
  private readonly earlier = new Map<string, Promise<ChildRunRow[]>>();
  private readonly definitions = new Map<string, Promise<RunnableDefinition | null>>();

  constructor(
    private readonly service: ChildRunsService,
    private readonly parent: Run,
    private readonly executor: ChildExecutor,
    private readonly lettingGo: () => boolean,
  ) {}

  async run(request: ChildRunRequest): Promise<ChildRunResult> {
    const known = await this.earlierChild(request);
    if (known && isFinished(known.run)) return toResult(known.run);
    if (known) return this.follow(known.run, request.signal);
    const child = await this.newChild(request);
    if (!(await this.service.insert(child.run, child.events))) {
      // Another walk of this parent (a takeover racing with us) started it first.
      const existing = await this.service.findChild(this.parent.id, request);
      if (!existing) throw new Error(`child run of node "${request.nodeId}" vanished`);
      return this.follow(existing.run, request.signal);
    }
    const result = await this.watch(
      this.executor.execute(child.run, { prepared: child.prepared }),
      child.run,
      request.signal,
    );
    // Handed back or taken over before it finished: whoever holds it now finishes it.
    return result ?? this.follow(child.run, request.signal);
  }

  /** A completed child of any earlier attempt of this node and item, or this attempt's child. */
  private async earlierChild(request: ChildRunRequest): Promise<ChildRunRow | undefined> {
    let rows = this.earlier.get(request.nodeId);
    if (!rows) {
      rows = this.service.childrenOf(this.parent.id, request.nodeId);
      this.earlier.set(request.nodeId, rows);
    }
    const sameItem = (await rows).filter((row) => row.itemIndex === request.itemIndex);
    return (
      sameItem.find((row) => row.run.status === 'completed') ?? sameItem.find((row) => row.attempt === request.attempt)
    );
  }

  private async newChild(request: ChildRunRequest) {
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
    const planned = planRun(runnable.definition, builtInNodeTypes);
    if (!planned.ok) throw childInputInvalid(planned.problems);
    const resolved = resolveRunInput(planned.plan, request.input);
    if (!resolved.ok) throw childInputInvalid(resolved.problems);
    const prepared: PreparedRun = { plan: planned.plan, input: resolved.input };
    const created = newRun(
      {
        groupId: this.parent.groupId,
        workflowId: request.workflowId,
        workflowVersionId: runnable.versionId,
        definition: runnable.definition as unknown as Prisma.JsonValue,
        mode: this.parent.mode,
        input: request.input as Prisma.JsonValue,
        parentRunId: this.parent.id,
        parentNodeId: request.nodeId,
        parentAttempt: request.attempt,
        parentItemIndex: request.itemIndex,
        depth,
        // A debugger session watching the parent sees its children's events too.
        debugger: this.parent.debugger,
      },
      true,
    );
    return { ...created, prepared };
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

  /** Resumes an unfinished child if its holder died, else waits for whoever holds it. */
  private async follow(child: Run, signal: AbortSignal): Promise<ChildRunResult> {
    for (;;) {
      if (signal.aborted) return this.stopChild(child.id);
      const result = await this.watch(this.executor.claimAndExecute(child.id), child, signal);
      if (result) return result;
      if (signal.aborted) return this.stopChild(child.id);
      const latest = await this.service.waitForEnd(child.groupId, child.id);
      if (!latest) throw new Error(`child run ${child.id} vanished`);
      if (isFinished(latest)) return toResult(latest);
    }
  }

  /**
   * Waits for a child executing here, stopping it when the parent's node is aborted (unless the
   * parent is only being handed back: then the child is handed back too, and resumed with it).
   * Null when this instance did not finish the child.
   */
  private async watch(execution: Promise<Run | null>, child: Run, signal: AbortSignal): Promise<ChildRunResult | null> {
    const stop = () => {
      if (!this.lettingGo()) void this.service.requestStop(this.executor, child.groupId, child.id);
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
    if (!this.lettingGo()) await this.service.requestStop(this.executor, this.parent.groupId, runId);
    return { runId, status: 'stopped', output: null, error: null };
  }
}

function toResult(run: Run): ChildRunResult {
  return {
    runId: run.id,
    status: run.status as ChildRunResult['status'],
    output: (run.output as Record<string, unknown> | null) ?? null,
    error: (run.error as ChildRunResult['error']) ?? null,
  };
}

function childInputInvalid(problems: RunProblem[]): NodeFailure {
  const list = problems.map((problem) => `${problem.field} ${problem.message}`).join('; ');
  return new NodeFailure(`the child run cannot start: ${list}`, 'child_input_invalid');
}
