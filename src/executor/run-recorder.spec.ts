import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { stub } from '../common/testing/stub.js';
import { planRun, type RunPlan } from '../execution/engine/index.js';
import { runWorkflow } from '../execution/engine/testing/run-workflow.js';
import { registryWith, step, StepRecorder, workflow } from '../execution/engine/testing/step-node.js';
import { DURABLE_AFTER_MS, FLUSH_DELAY_MS, LeaseLost, RunRecorder } from './run-recorder.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';
import type { RunRowChanges, RunsRepository } from './runs.repository.js';

interface Flush {
  nodes: string[];
  events: string[];
  changes: RunRowChanges;
}

/**
 * The one repository method the recorder writes through, recording each flush as short lines
 * ("a completed", "node.completed a"). `hold()` keeps the next flushes pending until released;
 * `loseLease()` makes them answer that another instance holds the run.
 */
class FlushLog {
  readonly flushes: Flush[] = [];
  /** Flushes begun, finished or not. */
  calls = 0;
  private held: Array<() => void> | undefined;
  private leaseHeld = true;

  readonly repository = stub<RunsRepository>({
    flush: async (
      _runId: string,
      _owner: string,
      nodes: NodeRunRecord[],
      events: RunEventRecord[],
      changes: RunRowChanges,
    ): Promise<boolean> => {
      this.calls++;
      if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
      this.flushes.push({
        nodes: nodes.map((node) => `${node.node_id} ${node.status}`),
        events: events.map((event) => `${event.type} ${String(event.data.node_id ?? '')}`.trim()),
        changes,
      });
      return this.leaseHeld;
    },
  });

  hold(): void {
    this.held = [];
  }

  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const resolve of waiting) resolve();
  }

  loseLease(): void {
    this.leaseHeld = false;
  }

  get written(): string[] {
    return this.flushes.flatMap((flush) => flush.nodes);
  }
}

const EFFECTFUL = 'EffectStep';

/** Step nodes, plus `EffectStep`: the same node declaring effects outside the run (as HTTP calls do). */
function effectRegistry(steps: StepRecorder) {
  return registryWith(steps).register({ ...steps.nodeType, type: EFFECTFUL, hasExternalEffects: true });
}

function planOf(definition: ReturnType<typeof workflow>, steps = new StepRecorder()): RunPlan {
  const planned = planRun(definition, effectRegistry(steps));
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return planned.plan;
}

const PLAN = planOf(workflow({ pure: step(), effect: { type: EFFECTFUL, config: {} } }));

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown> | void): Promise<boolean> {
  let done = false;
  void Promise.resolve(promise).then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('RunRecorder: what is written before the run moves on', () => {
  let log: FlushLog;
  let recorder: RunRecorder;
  beforeEach(() => {
    log = new FlushLog();
    recorder = new RunRecorder(log.repository, 'run-1', 'owner-1', 1, PLAN);
  });

  it(`writes a node that took ${DURABLE_AFTER_MS} ms or more before its completion hook returns`, async () => {
    recorder.onNodeStarted('pure', 'Step', {});
    log.hold();
    const completed = recorder.onNodeCompleted('pure', { out: 1 }, DURABLE_AFTER_MS);
    expect(await settled(completed)).toBe(false);
    log.release();
    await completed;
    expect(log.flushes).toHaveLength(1);
    expect(log.flushes[0].nodes).toEqual(['pure completed']);
    expect(log.flushes[0].events).toEqual(['node.started pure', 'node.completed pure']);
  });

  it('writes a node with external effects before its completion hook returns, however fast it was', async () => {
    recorder.onNodeStarted('effect', EFFECTFUL, {});
    await recorder.onNodeCompleted('effect', { out: 1 }, 0);
    expect(log.written).toEqual(['effect completed']);
  });

  it('writes a node that failed an attempt before the retry waits', async () => {
    recorder.onNodeStarted('pure', 'Step', {});
    const failed = { attempt: 1, started_at: '', finished_at: '', duration_ms: 1, error: { type: 'x', message: 'no' } };
    await recorder.onNodeRetrying('pure', failed, 1_000, [failed]);
    expect(log.flushes).toHaveLength(1);
    expect(log.flushes[0].events).toEqual(['node.started pure', 'node.retrying pure']);
  });

  it('through the DAG walker: an outward-acting node is stored before the node it feeds starts', async () => {
    const steps = new StepRecorder();
    const definition = workflow({ effect: { type: EFFECTFUL, config: {} }, next: step({ inputs: ['in'] }) }, [
      'effect.out -> next.in',
    ]);
    const writtenWhenNextStarted: string[] = [];
    const hooks = new RunRecorder(log.repository, 'run-1', 'owner-1', 1, planOf(definition, steps));
    const onNodeStarted = hooks.onNodeStarted.bind(hooks);
    hooks.onNodeStarted = (nodeId, ...rest) => {
      if (nodeId === 'next') writtenWhenNextStarted.push(...log.written);
      onNodeStarted(nodeId, ...rest);
    };
    expect((await runWorkflow(definition, effectRegistry(steps), { hooks })).status).toBe('completed');
    expect(writtenWhenNextStarted).toContain('effect completed');
  });

  it('lands writes in the order they happened: a flush waits for the one before it', async () => {
    log.hold();
    recorder.onNodeStarted('pure', 'Step', {});
    const first = recorder.checkpoint();
    await settled(first);
    recorder.onNodeStarted('effect', EFFECTFUL, {});
    const second = recorder.checkpoint();
    expect(await settled(second)).toBe(false);
    expect(log.calls).toBe(1);
    log.release();
    await Promise.all([first, second]);
    expect(log.flushes.map((flush) => flush.nodes)).toEqual([['pure running'], ['effect running']]);
  });
});

describe('RunRecorder: buffering', () => {
  let log: FlushLog;
  let recorder: RunRecorder;
  beforeEach(() => {
    jest.useFakeTimers();
    log = new FlushLog();
    recorder = new RunRecorder(log.repository, 'run-1', 'owner-1', 1, PLAN);
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it(`keeps a fast pure node in memory and writes it within ${FLUSH_DELAY_MS} ms, with everything since, in one write`, async () => {
    recorder.onNodeStarted('pure', 'Step', {});
    await recorder.onNodeCompleted('pure', { out: 1 }, DURABLE_AFTER_MS - 1);
    recorder.onDelta('effect', { chunk: 0 });
    recorder.onProgress(50);
    await jest.advanceTimersByTimeAsync(FLUSH_DELAY_MS - 1);
    expect(log.flushes).toEqual([]);

    await jest.advanceTimersByTimeAsync(1);
    expect(log.flushes).toEqual([
      {
        nodes: ['pure completed'],
        events: ['node.started pure', 'node.completed pure', 'node.delta effect'],
        changes: { progress: 50 },
      },
    ]);
  });

  it('writes nothing when nothing happened, and the final state with whatever is still buffered', async () => {
    await jest.advanceTimersByTimeAsync(FLUSH_DELAY_MS * 10);
    expect(log.flushes).toEqual([]);

    recorder.onNodeSkipped('pure', 'not selected');
    recorder.onProgress(100);
    await recorder.finish(
      { status: 'completed', output: { ok: true } },
      { type: 'run.completed', data: {}, created_at: '' },
    );
    expect(log.flushes).toEqual([
      {
        nodes: ['pure skipped'],
        events: ['node.skipped pure', 'run.completed'],
        changes: { status: 'completed', output: { ok: true }, progress: 100 },
      },
    ]);
    await jest.advanceTimersByTimeAsync(FLUSH_DELAY_MS * 10);
    expect(log.flushes).toHaveLength(1); // the pending timer went with the final write
  });
});

describe('RunRecorder: losing the lease', () => {
  let log: FlushLog;
  let recorder: RunRecorder;
  beforeEach(() => {
    log = new FlushLog();
    recorder = new RunRecorder(log.repository, 'run-1', 'owner-1', 1, PLAN);
    log.loseLease();
  });

  it('fails the awaited write with LeaseLost, and every hook after it', async () => {
    recorder.onNodeStarted('effect', EFFECTFUL, {});
    await expect(recorder.onNodeCompleted('effect', {}, 0)).rejects.toBeInstanceOf(LeaseLost);
    expect(() => recorder.onNodeStarted('pure', 'Step', {})).toThrow(LeaseLost);
    await expect(
      recorder.finish({ status: 'completed' }, { type: 'run.completed', data: {}, created_at: '' }),
    ).rejects.toBeInstanceOf(LeaseLost);
    expect(log.flushes).toHaveLength(1); // nothing more is written for a run another instance holds
  });

  it('stops the run at its next hook when a background write found the lease gone', async () => {
    jest.useFakeTimers();
    try {
      recorder.onNodeStarted('pure', 'Step', {});
      await jest.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
      expect(log.flushes).toHaveLength(1);
      expect(() => recorder.onDelta('pure', { chunk: 1 })).toThrow(LeaseLost);
    } finally {
      jest.useRealTimers();
    }
  });
});
