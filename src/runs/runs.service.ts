import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Prisma, Run, RunMode } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Page, toPage } from '../common/pagination.js';
import { NotFoundProblem, ValidationProblem } from '../common/problem.js';
import { planRun, resolveRunInput } from '../execution/engine/index.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { RunnableDefinition, RunnableDefinitions } from '../workflows/runnable-definitions.js';
import { CreateRunBody } from './dto/create-run.dto.js';
import { NodeRunResponse, RunListQuery, toNodeRunResponse } from './dto/run.dto.js';
import { INSTANCE_ID } from './instance-id.js';
import { LEASE_MS, RunExecutor } from './run-executor.js';
import { runEvent } from './run-records.js';
import { RunsRepository } from './runs.repository.js';

export interface SyncOutcome {
  run: Run;
  /** False when the wait limit passed first; the run goes on in the background. */
  finished: boolean;
}

@Injectable()
export class RunsService {
  private readonly logger = new Logger(RunsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly definitions: RunnableDefinitions,
    private readonly runs: RunsRepository,
    private readonly executor: RunExecutor,
  ) {}

  /**
   * Creates the run and executes it here, waiting up to SYNC_RUN_TIMEOUT_MS. The run row and its
   * first events exist before any node executes.
   */
  async runSync(groupId: string, workflowId: string, body: CreateRunBody, useOutputIds: boolean): Promise<SyncOutcome> {
    const run = await this.create(groupId, workflowId, body, 'sync', useOutputIds);
    const execution = this.executor.execute(run);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.syncRunTimeoutMs);
    });
    try {
      const finished = await Promise.race([execution, timedOut]);
      if (finished !== 'timeout') return { run: finished, finished: true };
    } finally {
      clearTimeout(timer);
    }
    execution.catch((error: unknown) => this.logger.error({ err: error, runId: run.id }, 'background run failed'));
    return { run: (await this.runs.find(groupId, run.id)) ?? run, finished: false };
  }

  private async create(
    groupId: string,
    workflowId: string,
    body: CreateRunBody,
    mode: RunMode,
    useOutputIds: boolean,
  ): Promise<Run> {
    const { definition, versionId } = await this.definitionToRun(groupId, workflowId, body.workflow_version_id);
    const planned = planRun(definition, builtInNodeTypes, {
      nodeIds: body.node_ids,
      singleNodeId: body.single_node_id,
    });
    if (!planned.ok) throw new ValidationProblem(planned.problems, 'This run cannot start; see errors.');
    const resolved = resolveRunInput(planned.plan, body.input);
    if (!resolved.ok) throw new ValidationProblem(resolved.problems, 'The run input is not valid; see errors.');
    const now = new Date();
    const run: Run = {
      id: randomUUID(),
      groupId,
      workflowId,
      workflowVersionId: versionId,
      definition: definition as unknown as Prisma.JsonValue,
      status: 'running',
      mode,
      input: body.input as Prisma.JsonValue,
      output: null,
      error: null,
      nodeIds: body.node_ids ?? null,
      singleNodeId: body.single_node_id ?? null,
      useOutputIds,
      tracing: body.tracing ?? false,
      traceId: null,
      traceParent: null,
      debugger: body.debugger ?? null,
      callbackUrl: body.callback_url ?? null,
      idempotencyKey: null,
      requestHash: null,
      progress: 0,
      leaseOwner: INSTANCE_ID,
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS),
      attempt: 1,
      stopRequestedAt: null,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
    };
    await this.runs.insert(run, [
      runEvent('run.queued', { status: 'queued' }),
      runEvent('run.started', { status: 'running' }),
    ]);
    return run;
  }

  /** The exact definition a run executes: the version's, or a snapshot of the draft. */
  private async definitionToRun(
    groupId: string,
    workflowId: string,
    versionId: string | null | undefined,
  ): Promise<RunnableDefinition> {
    if (versionId) {
      const version = await this.definitions.version(groupId, workflowId, versionId.toLowerCase());
      if (!version) throw new NotFoundProblem('Workflow version', versionId);
      return version;
    }
    const draft = await this.definitions.draft(groupId, workflowId);
    if (!draft) throw new NotFoundProblem('Workflow', workflowId);
    return draft;
  }

  async get(groupId: string, runId: string, workflowId?: string): Promise<Run> {
    const run = workflowId
      ? await this.runs.findInWorkflow(groupId, workflowId, runId)
      : await this.runs.find(groupId, runId);
    if (!run) throw new NotFoundProblem('Run', runId);
    return run;
  }

  async list(groupId: string, workflowId: string, query: RunListQuery): Promise<Page<Run>> {
    return toPage(
      query,
      await this.runs.page(groupId, workflowId, query.status, query.skip, query.page_size),
      (r) => r,
    );
  }

  async nodeRuns(groupId: string, runId: string): Promise<NodeRunResponse[]> {
    await this.get(groupId, runId);
    return (await this.runs.nodeRuns(groupId, runId)).map(toNodeRunResponse);
  }
}
