import { Injectable, Logger } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import type { WorkflowDefinition } from '../execution/definition.js';
import { DagRunner, planRun, resolveRunInput, type RunResult } from '../execution/engine/index.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { INSTANCE_ID } from './instance-id.js';
import { runEvent } from './run-records.js';
import { RunRecorder } from './run-recorder.js';
import { RunsRepository } from './runs.repository.js';

export const LEASE_MS = 30_000;
const LEASE_RENEW_MS = 10_000;

/**
 * Executes one run on this instance: walks its recorded definition with the engine, persisting
 * node runs and events through a RunRecorder, renewing the run's lease while it works, and
 * writing the final state. Stop requests abort the run through `stop()`.
 */
@Injectable()
export class RunExecutor {
  private readonly logger = new Logger(RunExecutor.name);
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly runs: RunsRepository) {}

  /** Runs it to the end and returns the run as finally stored. */
  async execute(run: Run): Promise<Run> {
    const planned = planRun(run.definition as unknown as WorkflowDefinition, builtInNodeTypes, {
      nodeIds: run.nodeIds as string[] | null,
      singleNodeId: run.singleNodeId,
    });
    const resolved = planned.ok ? resolveRunInput(planned.plan, run.input) : undefined;
    if (!planned.ok || !resolved?.ok) {
      // Checked when the run was created; reaching here means the stored run is corrupt.
      throw new Error(`run ${run.id} cannot be planned again from its stored definition and input`);
    }
    const recorder = new RunRecorder(this.runs, run.id, run.attempt, planned.plan);
    const controller = new AbortController();
    this.active.set(run.id, controller);
    const renewal = setInterval(() => {
      this.runs.renewLease(run.id, INSTANCE_ID, new Date(Date.now() + LEASE_MS)).catch((error: unknown) => {
        this.logger.warn({ err: error, runId: run.id }, 'lease renewal failed');
      });
    }, LEASE_RENEW_MS);
    try {
      const result = await new DagRunner(planned.plan, resolved.input, recorder, {
        runId: run.id,
        signal: controller.signal,
        useOutputIds: run.useOutputIds,
      }).run();
      const final = finalState(result);
      await recorder.finish(final, runEvent(`run.${result.status}`, { status: result.status, error: result.error }));
      return { ...run, ...final, output: final.output as Run['output'], error: final.error as Run['error'] };
    } finally {
      clearInterval(renewal);
      this.active.delete(run.id);
    }
  }

  /** Aborts the run if this instance is executing it; returns whether it was. */
  stop(runId: string): boolean {
    const controller = this.active.get(runId);
    controller?.abort();
    return controller !== undefined;
  }
}

/** A failed or stopped run has no output: its status is the answer, partial results are in its node runs. */
function finalState(result: RunResult) {
  return {
    status: result.status,
    output: result.status === 'completed' ? result.output : null,
    error: result.error,
    progress: result.status === 'completed' ? 100 : result.progress,
    finishedAt: new Date(),
    leaseOwner: null,
  };
}
