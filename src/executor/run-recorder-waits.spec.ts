import { describe, expect, it } from '@jest/globals';
import { stub } from '../common/testing/stub.js';
import { planRun } from '../execution/engine/index.js';
import { registryWith, step, StepRecorder, workflow } from '../execution/engine/testing/step-node.js';
import { RunRecorder } from './run-recorder.js';
import { runEvent, type NodeRunRecord, type RunEventRecord } from './run-records.js';
import type { RunsRepository } from './runs.repository.js';

const planned = planRun(workflow({ approval: step(), other: step() }), registryWith(new StepRecorder()));
if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
const PLAN = planned.plan;

/** The repository's park and flush, keeping what each wrote. */
function writes() {
  const parks: { nodes: NodeRunRecord[]; events: RunEventRecord[]; wakeAt: Date | null }[] = [];
  const flushes: NodeRunRecord[][] = [];
  const repository = stub<RunsRepository>({
    park: async (
      _run: string,
      _owner: string,
      nodes: NodeRunRecord[],
      events: RunEventRecord[],
      _p: number,
      wakeAt: Date | null,
    ) => {
      parks.push({ nodes, events, wakeAt });
      return { held: true, stopRequested: false };
    },
    flush: async (_run: string, _owner: string, nodes: NodeRunRecord[]) => {
      flushes.push(nodes);
      return true;
    },
  });
  return { parks, flushes, repository };
}

describe('RunRecorder: durable waits', () => {
  it("parks with the waiting node's record, its wait columns and resume-link hash, and the waits' events in order", async () => {
    const { parks, repository } = writes();
    const recorder = new RunRecorder(repository, 'run-1', 'owner-1', 3, PLAN, {
      resumeTokenHash: (nodeId, nodeAttempt) => `hash of ${nodeId} #${nodeAttempt}`,
    });
    const until = new Date('2027-01-01T00:00:00.000Z');
    recorder.onNodeStarted('approval', 'Step', {});
    recorder.onNodeWaiting('approval', { until, signal: 'approval' }, []);
    const wakeAt = new Date('2026-12-31T00:00:00.000Z');
    expect(await recorder.park(wakeAt, runEvent('run.waiting', { status: 'waiting' }))).toBe(false);

    expect(parks).toHaveLength(1);
    expect(parks[0].wakeAt).toBe(wakeAt);
    expect(parks[0].nodes).toEqual([
      expect.objectContaining({
        node_id: 'approval',
        status: 'waiting',
        attempt: 3,
        waiting_until: until.toISOString(),
        waiting_for: 'approval',
        resume_token_hash: 'hash of approval #1',
      }),
    ]);
    expect(parks[0].events.map((event) => event.type)).toEqual(['node.started', 'node.waiting', 'run.waiting']);
    expect(parks[0].events[1].data).toEqual({
      node_id: 'approval',
      node_type: 'Step',
      waiting_until: until.toISOString(),
      signal: 'approval',
      attempt: 1,
    });
  });

  it('a resumed node keeps its wait columns until it ends; one that times out and retries starts without them', async () => {
    const { flushes, repository } = writes();
    const columns = (signal: string) => ({
      waiting_until: null,
      waiting_for: signal,
      resume_token_hash: `h-${signal}`,
    });
    const parked = new Map([
      ['approval', columns('approval')],
      ['other', columns('other')],
    ]);
    const recorder = new RunRecorder(repository, 'run-1', 'owner-1', 4, PLAN, { parked });
    recorder.onNodeStarted('approval', 'Step', {});
    recorder.onNodeStarted('other', 'Step', {});
    await recorder.onNodeCompleted('approval', { out: 1 }, 1);
    const timedOut = {
      attempt: 1,
      started_at: '',
      finished_at: '',
      duration_ms: 0,
      error: { type: 'signal_timeout', message: '' },
    };
    await recorder.onNodeRetrying('other', timedOut, 0, [timedOut]);
    await recorder.checkpoint();
    const records = new Map(flushes.flat().map((record) => [record.node_id, record]));
    expect(records.get('approval')).toMatchObject({ status: 'completed', ...columns('approval') });
    expect(records.get('other')).toMatchObject({ status: 'running', waiting_for: null, resume_token_hash: null });
  });
});
