import { describe, expect, it } from '@jest/globals';
import { recordingHooks, runWorkflow, statuses } from './testing/run-workflow.js';
import { registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

// root feeds a node that parks and an independent branch; each has a downstream node.
const parking = () =>
  workflow(
    {
      root: step(),
      approval: step({ inputs: ['in'], parkFor: 'approval' }),
      other: step({ inputs: ['in'] }),
      afterApproval: step({ inputs: ['in'] }),
      afterOther: step({ inputs: ['in'] }),
    },
    [
      'root.out -> approval.in',
      'root.out -> other.in',
      'approval.out -> afterApproval.in',
      'other.out -> afterOther.in',
    ],
  );

describe('DagRunner: durable waits', () => {
  it('parks the run once nothing else can run: the waiting node and what it feeds stay unfinished', async () => {
    const recorder = new StepRecorder();
    const hooks = recordingHooks();
    const result = await runWorkflow(parking(), registryWith(recorder), { hooks });
    expect(result.status).toBe('waiting');
    expect(result.error).toBeNull();
    expect(result.output).toEqual({});
    expect([...result.waiting]).toEqual([['approval', { until: null, signal: 'approval' }]]);
    expect(statuses(result)).toEqual({
      root: 'completed',
      approval: 'waiting',
      other: 'completed',
      afterApproval: 'pending',
      afterOther: 'completed',
    });
    expect(hooks.events).toContain('waiting approval for approval');
    expect(hooks.events).not.toContain('completed approval');
  });

  it('resumes a parked node with its wait, keeping what completed before', async () => {
    const recorder = new StepRecorder();
    const completed = new Map([
      ['root', { inputs: {}, outputs: { out: 'root' } }],
      ['other', { inputs: { in: 'root' }, outputs: { out: 'other(root)' } }],
      ['afterOther', { inputs: { in: 'other(root)' }, outputs: { out: 'afterOther(other(root))' } }],
    ]);
    const waits = new Map([['approval', { until: null, signal: { payload: 'yes' } }]]);
    const result = await runWorkflow(parking(), registryWith(recorder), { options: { completed, waits } });
    expect(result.status).toBe('completed');
    expect(recorder.started).toEqual(['approval', 'afterApproval']);
    expect(result.nodes.get('afterApproval')!.outputs).toEqual({ out: 'afterApproval(yes)' });
  });

  it('a failure elsewhere fails the run and stops the parked node instead of parking', async () => {
    const recorder = new StepRecorder();
    const hooks = recordingHooks();
    const graph = workflow({ approval: step({ parkFor: 'approval' }), bad: step({ gated: true, fail: 'broken' }) }, []);
    const run = runWorkflow(graph, registryWith(recorder), { hooks });
    await recorder.whenStarted('bad');
    recorder.release('bad');
    const result = await run;
    expect(result.status).toBe('failed');
    expect(result.waiting.size).toBe(0);
    expect(statuses(result)).toEqual({ approval: 'stopped', bad: 'failed' });
    expect(hooks.events).toContain('stopped approval');
  });

  it('a stop while a node is parked ends the run stopped', async () => {
    const recorder = new StepRecorder();
    const stop = new AbortController();
    const graph = workflow({ approval: step({ parkFor: 'approval' }), slow: step({ gated: true }) }, []);
    const run = runWorkflow(graph, registryWith(recorder), { options: { signal: stop.signal } });
    await recorder.whenStarted('slow');
    stop.abort();
    const result = await run;
    expect(result.status).toBe('stopped');
    expect(statuses(result)).toEqual({ approval: 'stopped', slow: 'stopped' });
  });
});
