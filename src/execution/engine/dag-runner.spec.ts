import { describe, expect, it } from '@jest/globals';
import { recordingHooks, runWorkflow, statuses, tick } from './testing/run-workflow.js';
import { chain, fan, registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

function setup() {
  const recorder = new StepRecorder();
  return { recorder, registry: registryWith(recorder) };
}

/** Releases gated nodes as they start, until the run settles. */
async function releaseAllAsTheyStart(recorder: StepRecorder, done: Promise<unknown>): Promise<void> {
  let settled = false;
  void done.finally(() => (settled = true));
  while (!settled) {
    for (const id of recorder.started) recorder.release(id);
    await tick();
  }
}

describe('DagRunner: order and parallelism', () => {
  it('runs a chain in order, feeding each output to the next input', async () => {
    const { recorder, registry } = setup();
    const result = await runWorkflow(chain(3), registry);
    expect(result.status).toBe('completed');
    expect(recorder.started).toEqual(['n0', 'n1', 'n2']);
    expect(result.nodes.get('n2')).toEqual({
      status: 'completed',
      inputs: { in: 'n1(n0)' },
      outputs: { out: 'n2(n1(n0))' },
      error: null,
    });
  });

  it('runs a diamond: both branches overlap, the join waits for both', async () => {
    const { recorder, registry } = setup();
    const diamond = workflow(
      {
        a: step(),
        b: step({ inputs: ['in'], gated: true }),
        c: step({ inputs: ['in'], gated: true }),
        d: step({ inputs: ['x', 'y'] }),
      },
      ['a.out -> b.in', 'a.out -> c.in', 'b.out -> d.x', 'c.out -> d.y'],
    );
    const run = runWorkflow(diamond, registry);
    await Promise.all([recorder.whenStarted('b'), recorder.whenStarted('c')]);
    recorder.release('b');
    await tick();
    expect(recorder.started).not.toContain('d');
    recorder.release('c');
    const result = await run;
    expect(recorder.maxRunning).toBe(2);
    expect(result.nodes.get('d')!.outputs).toEqual({ out: 'd(b(a),c(a))' });
  });

  it('bounds a wide fan-out by maxParallel and still runs every node', async () => {
    const { recorder, registry } = setup();
    const run = runWorkflow(fan(20, { gated: true }), registry, { options: { maxParallel: 3 } });
    await tick();
    expect(recorder.running).toBe(3);
    await releaseAllAsTheyStart(recorder, run);
    const result = await run;
    expect(recorder.maxRunning).toBe(3);
    expect(result.status).toBe('completed');
    expect(recorder.finished).toHaveLength(22);
  });

  it('runs at most 8 nodes at once by default', async () => {
    const { recorder, registry } = setup();
    const run = runWorkflow(fan(30, { gated: true }), registry);
    await tick();
    expect(recorder.running).toBe(8);
    await releaseAllAsTheyStart(recorder, run);
    expect((await run).status).toBe('completed');
    expect(recorder.maxRunning).toBe(8);
  });

  it('starts a node as soon as its own inputs are ready, not when unrelated nodes finish', async () => {
    const { recorder, registry } = setup();
    const graph = workflow({ slow: step({ gated: true }), a: step(), b: step({ inputs: ['in'] }) }, ['a.out -> b.in']);
    const run = runWorkflow(graph, registry);
    await tick();
    expect(recorder.finished).toEqual(['a', 'b']);
    recorder.release('slow');
    expect((await run).status).toBe('completed');
  });

  it('refuses a maxParallel that is not a positive integer', () => {
    const { registry } = setup();
    expect(() => runWorkflow(chain(1), registry, { options: { maxParallel: 0 } })).toThrow(RangeError);
  });
});

describe('DagRunner: skipping', () => {
  // branch produces only "yes"; everything fed by "no" is skipped, three levels deep.
  const branching = workflow(
    {
      branch: step({ outputs: ['yes', 'no'], produce: ['yes'] }),
      taken: step({ inputs: ['in'] }),
      off1: step({ inputs: ['in'] }),
      off2: step({ inputs: ['in'] }),
      off3: step({ inputs: ['in'] }),
      mixed: step({ inputs: ['live', 'dead'] }),
    },
    [
      'branch.yes -> taken.in',
      'branch.no -> off1.in',
      'off1.out -> off2.in',
      'off2.out -> off3.in',
      'taken.out -> mixed.live',
      'off1.out -> mixed.dead',
    ],
  );

  it('skips nodes fed by an output that was not produced, and everything downstream of them', async () => {
    const { recorder, registry } = setup();
    const hooks = recordingHooks();
    const reasons: Record<string, string> = {};
    hooks.onNodeSkipped = (id, reason) => void (reasons[id] = reason);
    const result = await runWorkflow(branching, registry, { hooks });
    expect(result.status).toBe('completed');
    expect(statuses(result)).toEqual({
      branch: 'completed',
      taken: 'completed',
      off1: 'skipped',
      off2: 'skipped',
      off3: 'skipped',
      mixed: 'skipped',
    });
    expect(recorder.started).toEqual(['branch', 'taken']);
    expect(reasons.off1).toBe('input "in" comes from output "no" of node "branch", which was not produced');
    expect(reasons.off2).toBe('input "in" comes from node "off1", which was skipped');
  });

  it('skips a node with one live and one skipped input', async () => {
    const { registry } = setup();
    const result = await runWorkflow(branching, registry);
    expect(result.nodes.get('mixed')).toEqual({ status: 'skipped', inputs: null, outputs: null, error: null });
  });

  it('counts skipped nodes towards progress, ending at 100', async () => {
    const { registry } = setup();
    const progress: number[] = [];
    const result = await runWorkflow(branching, registry, {
      hooks: { onProgress: (percent) => void progress.push(percent) },
    });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
    expect(result.progress).toBe(100);
  });
});

describe('DagRunner: subsets and single nodes', () => {
  const graph = workflow({ a: step(), b: step({ inputs: ['in'] }), c: step({ inputs: ['in'] }), other: step() }, [
    'a.out -> b.in',
    'b.out -> c.in',
  ]);

  it('with node_ids runs those nodes and their upstream, nothing downstream or unrelated', async () => {
    const { recorder, registry } = setup();
    const result = await runWorkflow(graph, registry, { selection: { nodeIds: ['b'] } });
    expect(recorder.started).toEqual(['a', 'b']);
    expect([...result.nodes.keys()]).toEqual(['a', 'b']);
    expect(result.output).toEqual({ b: { out: 'b(a)' } });
  });

  it('with single_node_id runs that node alone on the run input', async () => {
    const { recorder, registry } = setup();
    const result = await runWorkflow(graph, registry, { selection: { singleNodeId: 'c' }, input: { in: 'given' } });
    expect(recorder.started).toEqual(['c']);
    expect(result.nodes.get('c')!.inputs).toEqual({ in: 'given' });
    expect(result.output).toEqual({ out: 'c(given)' });
  });
});

describe('DagRunner: hooks', () => {
  it('reports each node started, then its deltas, then completed, before anything downstream starts', async () => {
    const { registry } = setup();
    const hooks = recordingHooks();
    await runWorkflow(chain(2, { deltas: 2 }), registry, { hooks });
    expect(hooks.events).toEqual([
      'started n0',
      'delta n0 {"chunk":0}',
      'delta n0 {"chunk":1}',
      'completed n0',
      'progress 50',
      'started n1',
      'delta n1 {"chunk":0}',
      'delta n1 {"chunk":1}',
      'completed n1',
      'progress 100',
    ]);
  });

  it('passes the node type and inputs to onNodeStarted and a duration to onNodeCompleted', async () => {
    const { registry } = setup();
    const calls: unknown[] = [];
    await runWorkflow(chain(2), registry, {
      hooks: {
        onNodeStarted: (id, type, inputs) => void calls.push([id, type, inputs]),
        onNodeCompleted: (id, outputs, durationMs) => void calls.push([id, outputs, typeof durationMs]),
      },
    });
    expect(calls).toEqual([
      ['n0', 'Step', {}],
      ['n0', { out: 'n0' }, 'number'],
      ['n1', 'Step', { in: 'n0' }],
      ['n1', { out: 'n1(n0)' }, 'number'],
    ]);
  });

  it('calls hooks one at a time and waits for them: a slow hook holds back downstream nodes', async () => {
    const { recorder, registry } = setup();
    let inHook = 0;
    let maxInHook = 0;
    let releaseHook!: () => void;
    const hookGate = new Promise<void>((resolve) => (releaseHook = resolve));
    const slowHook = async (id: string) => {
      inHook++;
      maxInHook = Math.max(maxInHook, inHook);
      if (id === 'root') await hookGate;
      await tick();
      inHook--;
    };
    const run = runWorkflow(fan(5), registry, { hooks: { onNodeStarted: slowHook, onNodeCompleted: slowHook } });
    await tick();
    await tick();
    expect(recorder.started).toEqual([]);
    releaseHook();
    expect((await run).status).toBe('completed');
    expect(maxInHook).toBe(1);
  });

  it('reports progress after every node that finishes', async () => {
    const { registry } = setup();
    const seen: number[] = [];
    await runWorkflow(chain(4), registry, { hooks: { onProgress: (percent) => void seen.push(percent) } });
    expect(seen).toEqual([25, 50, 75, 100]);
  });
});
