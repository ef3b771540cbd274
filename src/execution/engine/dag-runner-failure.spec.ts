import { describe, expect, it } from '@jest/globals';
import { NodeFailure, type NodeContext, type NodeType } from '../node-type.js';
import { DagRunner } from './dag-runner.js';
import { RunAbort } from './run-abort.js';
import { resolveRunInput } from './run-input.js';
import { planRun } from './run-plan.js';
import { recordingHooks, runWorkflow, statuses, tick } from './testing/run-workflow.js';
import { chain, registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

function setup() {
  const recorder = new StepRecorder();
  return { recorder, registry: registryWith(recorder) };
}

// root feeds a slow sibling and a node that fails; each has a downstream node.
const failing = (failConfig: Record<string, unknown>) =>
  workflow(
    {
      root: step(),
      slow: step({ inputs: ['in'], gated: true }),
      bad: step({ inputs: ['in'], gated: true, ...failConfig }),
      afterSlow: step({ inputs: ['in'] }),
      afterBad: step({ inputs: ['in'] }),
    },
    ['root.out -> slow.in', 'root.out -> bad.in', 'slow.out -> afterSlow.in', 'bad.out -> afterBad.in'],
  );

describe('DagRunner: failure', () => {
  it('fails the run on the first failure, aborting in-flight siblings and starting nothing more', async () => {
    const { recorder, registry } = setup();
    const hooks = recordingHooks();
    const run = runWorkflow(failing({ fail: 'bad input' }), registry, { hooks });
    await Promise.all([recorder.whenStarted('slow'), recorder.whenStarted('bad')]);
    recorder.release('bad');
    const result = await run;
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ node_id: 'bad', message: 'bad input', type: 'node_error' });
    expect(recorder.abortedWhileRunning).toEqual(['slow']);
    expect(statuses(result)).toEqual({
      root: 'completed',
      slow: 'stopped',
      bad: 'failed',
      afterSlow: 'pending',
      afterBad: 'pending',
    });
    expect(result.nodes.get('bad')!.error).toEqual(result.error);
    expect(hooks.events.slice(-2)).toEqual(['failed bad: bad input', 'stopped slow']);
  });

  it('leaves nodes still waiting for a free slot unstarted', async () => {
    const { recorder, registry } = setup();
    const graph = workflow({ a: step({ fail: 'no' }), b: step(), c: step() });
    const result = await runWorkflow(graph, registry, { options: { maxParallel: 1 } });
    expect(recorder.started).toEqual(['a']);
    expect(statuses(result)).toEqual({ a: 'failed', b: 'pending', c: 'pending' });
  });

  it('turns an unexpected exception from node code into an internal_error failure', async () => {
    const { registry } = setup();
    const result = await runWorkflow(chain(2, { crash: 'undefined is not a function' }), registry);
    expect(result.error).toEqual({ node_id: 'n0', message: 'undefined is not a function', type: 'internal_error' });
  });

  it('fails a node that throws synchronously or returns something other than a record', async () => {
    const { recorder } = setup();
    const broken = (type: string, execute: NodeType['execute']): NodeType =>
      ({ ...recorder.nodeType, type, execute }) as NodeType;
    const registry = registryWith(recorder)
      .register(
        broken('Throws', () => {
          throw new Error('sync boom');
        }),
      )
      .register(broken('ReturnsNull', async () => null as never));
    const throws = await runWorkflow(workflow({ t: { type: 'Throws' } }), registry);
    expect(throws.error).toEqual({ node_id: 't', message: 'sync boom', type: 'internal_error' });
    const nulls = await runWorkflow(workflow({ r: { type: 'ReturnsNull' } }), registry);
    expect(nulls.error?.type).toBe('internal_error');
    expect(nulls.error?.message).toMatch(/returned null/);
  });

  it('does not wait for a node that ignores the abort', async () => {
    const { recorder, registry } = setup();
    const graph = workflow({ stubborn: step({ gated: true, ignoreAbort: true }), bad: step({ fail: 'x' }) });
    const result = await runWorkflow(graph, registry);
    expect(result.status).toBe('failed');
    expect(result.nodes.get('stubborn')!.status).toBe('stopped');
    recorder.release('stubborn');
  });
});

describe('DagRunner: stop', () => {
  it('stops on an external abort: in-flight nodes aborted, the rest not run', async () => {
    const { recorder, registry } = setup();
    const stop = new AbortController();
    const hooks = recordingHooks();
    const run = runWorkflow(failing({}), registry, { hooks, options: { signal: stop.signal } });
    await Promise.all([recorder.whenStarted('slow'), recorder.whenStarted('bad')]);
    stop.abort();
    const result = await run;
    expect(result.status).toBe('stopped');
    expect(result.error).toBeNull();
    expect(recorder.abortedWhileRunning.sort()).toEqual(['bad', 'slow']);
    expect(statuses(result)).toMatchObject({
      root: 'completed',
      slow: 'stopped',
      bad: 'stopped',
      afterSlow: 'pending',
    });
    expect(hooks.events.filter((event) => event.startsWith('stopped')).sort()).toEqual(['stopped bad', 'stopped slow']);
  });

  it('stops as its RunAbort is aborted, which makes no AbortSignal unless a node asks', async () => {
    const { recorder, registry } = setup();
    const stop = new RunAbort();
    const run = runWorkflow(chain(3, { gated: true }), registry, { options: { signal: stop } });
    await recorder.whenStarted('n0');
    stop.abort();
    const result = await run;
    expect(result.status).toBe('stopped');
    expect(recorder.abortedWhileRunning).toEqual(['n0']);
    expect(recorder.started).toEqual(['n0']);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const { recorder, registry } = setup();
    const result = await runWorkflow(chain(3), registry, { options: { signal: AbortSignal.abort() } });
    expect(result.status).toBe('stopped');
    expect(recorder.started).toEqual([]);
  });

  it('gives every node the run’s own signal, not the external one (a failure must abort it too)', async () => {
    const { registry } = setup();
    const seen: AbortSignal[] = [];
    const probe = {
      ...registry.get('Step')!,
      type: 'Probe',
      execute: async (_inputs: unknown, ctx: { signal: AbortSignal }) => (seen.push(ctx.signal), { out: 1 }),
    };
    registry.register(probe as NodeType);
    const stop = new AbortController();
    await runWorkflow(workflow({ a: { type: 'Probe' }, b: { type: 'Probe' } }), registry, {
      options: { signal: stop.signal },
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).not.toBe(stop.signal);
  });
});

describe('DagRunner: nodes that answer synchronously', () => {
  function syncRegistry(
    execute: (inputs: Record<string, unknown>, ctx: NodeContext<unknown>) => Record<string, unknown>,
  ) {
    const { registry } = setup();
    registry.register({ ...registry.get('Step')!, type: 'Sync', execute } as NodeType);
    return registry;
  }

  it('start together when ready together, then end in the order they started', async () => {
    const registry = syncRegistry((inputs) => ({ out: Object.keys(inputs).length }));
    const hooks = recordingHooks();
    const graph = workflow(
      { a: { type: 'Sync' }, b: { type: 'Sync' }, c: { type: 'Sync', config: { inputs: ['x', 'y'] } } },
      ['a.out -> c.x', 'b.out -> c.y'],
    );
    const result = await runWorkflow(graph, registry, { hooks });
    expect(result.status).toBe('completed');
    expect(result.nodes.get('c')!.outputs).toEqual({ out: 2 });
    expect(hooks.events).toEqual([
      'started a',
      'started b',
      'completed a',
      'progress 33',
      'completed b',
      'progress 66',
      'started c',
      'completed c',
      'progress 100',
    ]);
  });

  it('fail on a synchronous throw as on a rejection', async () => {
    const registry = syncRegistry(() => {
      throw new NodeFailure('no', 'refused');
    });
    const result = await runWorkflow(workflow({ a: { type: 'Sync' } }), registry);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ node_id: 'a', type: 'refused', message: 'no' });
  });

  it('see an aborted signal when they read it after the run was stopped', async () => {
    const stop = new AbortController();
    const seen: boolean[] = [];
    const registry = syncRegistry((_inputs, ctx) => {
      stop.abort();
      seen.push(ctx.signal.aborted);
      return { out: 1 };
    });
    const result = await runWorkflow(workflow({ a: { type: 'Sync' } }), registry, { options: { signal: stop.signal } });
    expect(seen).toEqual([true]);
    expect(result.status).toBe('stopped');
  });
});

describe('DagRunner: resume', () => {
  it('does not execute nodes completed earlier; their stored outputs feed downstream', async () => {
    const { recorder, registry } = setup();
    const hooks = recordingHooks();
    const completed = new Map([
      ['n0', { inputs: {}, outputs: { out: 'stored0' } }],
      ['n1', { inputs: { in: 'stored0' }, outputs: { out: 'stored1' } }],
    ]);
    const result = await runWorkflow(chain(3), registry, { hooks, options: { completed } });
    expect(recorder.started).toEqual(['n2']);
    expect(result.nodes.get('n2')!.outputs).toEqual({ out: 'n2(stored1)' });
    expect(result.nodes.get('n0')).toEqual({
      status: 'completed',
      inputs: {},
      outputs: { out: 'stored0' },
      error: null,
    });
    expect(hooks.events).toEqual(['progress 66', 'started n2', 'completed n2', 'progress 100']);
  });

  it('re-derives skips from stored outputs', async () => {
    const { recorder, registry } = setup();
    const graph = workflow(
      { branch: step({ outputs: ['yes', 'no'] }), onYes: step({ inputs: ['in'] }), onNo: step({ inputs: ['in'] }) },
      ['branch.yes -> onYes.in', 'branch.no -> onNo.in'],
    );
    const completed = new Map([['branch', { inputs: {}, outputs: { no: 'stored' } }]]);
    const result = await runWorkflow(graph, registry, { options: { completed } });
    expect(recorder.started).toEqual(['onNo']);
    expect(statuses(result)).toEqual({ branch: 'completed', onYes: 'skipped', onNo: 'completed' });
  });
});

describe('DagRunner: hook failures', () => {
  it('rejects the run when a hook throws, aborting running nodes and calling no further hooks', async () => {
    const { recorder, registry } = setup();
    const events: string[] = [];
    const graph = workflow({ slow: step({ gated: true }), quick: step() });
    const run = runWorkflow(graph, registry, {
      hooks: {
        onNodeStarted: (id) => void events.push(`started ${id}`),
        onNodeCompleted: () => {
          throw new Error('database down');
        },
        onNodeStopped: (id) => void events.push(`stopped ${id}`),
      },
    });
    await expect(run).rejects.toThrow('database down');
    expect(recorder.abortedWhileRunning).toEqual(['slow']);
    expect(events).toEqual(['started slow', 'started quick']);
  });

  it('walks a run only once', async () => {
    const { registry } = setup();
    const planned = planRun(chain(1), registry);
    const resolved = planned.ok && resolveRunInput(planned.plan, {});
    if (!planned.ok || !resolved || !resolved.ok) throw new Error('unexpected problems');
    const runner = new DagRunner(planned.plan, resolved.input, {}, { runId: 'r' });
    await runner.run();
    await expect(runner.run()).rejects.toThrow(/once/);
    await tick();
  });
});
