import { describe, expect, it } from '@jest/globals';
import type { Run } from '../generated/prisma/client.js';
import type { PreparedRun, RunPlan } from '../execution/engine/index.js';
import type { MetricsService } from '../observability/metrics.service.js';
import {
  heldBytes,
  LocalRuns,
  MOST_HANDED_OFF,
  MOST_HANDED_OFF_BYTES,
  planBytes,
  type HandedOffRun,
} from './local-runs.js';

const planOf = (nodeCount: number) =>
  ({ nodes: new Map(Array.from({ length: nodeCount }, (_, i) => [`n${i}`, {}])) }) as unknown as RunPlan;
/** A plan of no nodes, which counts for nothing: the tests of counts and run bytes use it. */
const EMPTY_PLAN = planOf(0);

const handedOff = (id: string, groupId: string, plan = EMPTY_PLAN): HandedOffRun => ({
  run: { id, groupId } as Run,
  prepared: { plan } as PreparedRun,
});

/** The gauge of waiting runs, as LocalRuns last set it. */
class Gauge {
  waiting = 0;
  readonly metrics = { handedOffRunsWaiting: (count: number) => (this.waiting = count) } as unknown as MetricsService;
}

/** LocalRuns served by slots counted per group, logging what it starts. */
function served(slotsPerGroup: number) {
  const local = new LocalRuns(new Gauge().metrics);
  const held = new Map<string, number>();
  const started: string[] = [];
  local.serve(({ run }) => {
    const count = held.get(run.groupId) ?? 0;
    if (count >= slotsPerGroup) return false;
    held.set(run.groupId, count + 1);
    started.push(run.id);
    return true;
  });
  const finish = (groupId: string) => {
    held.set(groupId, (held.get(groupId) ?? 1) - 1);
    local.startWaiting();
  };
  return { local, started, finish };
}

describe('LocalRuns', () => {
  it('takes nothing before it is served, or after it closed', () => {
    const local = new LocalRuns(new Gauge().metrics);
    expect(local.accepts(EMPTY_PLAN, 1)).toBe(false);
    local.serve(() => true);
    expect(local.accepts(EMPTY_PLAN, 1)).toBe(true);
    local.close();
    expect(local.accepts(EMPTY_PLAN, 1)).toBe(false);
  });

  it("starts a run at once when its group has room, else in its group's order as slots free", () => {
    const { local, started, finish } = served(1);
    for (const id of ['a1', 'a2', 'a3']) local.add(handedOff(id, 'a'), 1);
    expect(started).toEqual(['a1']);
    finish('a');
    expect(started).toEqual(['a1', 'a2']);
    finish('a');
    finish('a');
    expect(started).toEqual(['a1', 'a2', 'a3']);
  });

  it('lets groups take turns: a flooding group does not start all its runs before the next group', () => {
    const shared = { free: 1 };
    const local = new LocalRuns(new Gauge().metrics);
    const started: string[] = [];
    local.serve(({ run }) => {
      if (shared.free === 0) return false;
      shared.free--;
      started.push(run.id);
      return true;
    });
    for (const id of ['a1', 'a2', 'a3', 'a4']) local.add(handedOff(id, 'a'), 1);
    local.add(handedOff('b1', 'b'), 1);
    local.add(handedOff('c1', 'c'), 1);
    for (let i = 0; i < 5; i++) {
      shared.free = 1;
      local.startWaiting();
    }
    expect(started).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'a4']);
  });

  it('reports how many runs wait', () => {
    const gauge = new Gauge();
    const local = new LocalRuns(gauge.metrics);
    local.serve(() => false);
    local.add(handedOff('a1', 'a'), 1);
    local.add(handedOff('a2', 'a'), 1);
    expect(gauge.waiting).toBe(2);
    local.remove('a1', 'a');
    expect(gauge.waiting).toBe(1);
    local.close();
    expect(gauge.waiting).toBe(0);
  });

  it('gives up a run a worker fetched, and on closing names the runs left to the queue', () => {
    const { local, started } = served(1);
    for (const id of ['a1', 'a2', 'a3', 'a4']) local.add(handedOff(id, 'a'), 1);
    expect(local.remove('a3', 'a')).toBe(true);
    expect(local.remove('a3', 'a')).toBe(false);
    expect(local.remove('a1', 'a')).toBe(false); // started already
    expect(local.close()).toEqual(['a2', 'a4']);
    expect(started).toEqual(['a1']);
  });

  it(`holds at most ${MOST_HANDED_OFF} waiting runs, and at most ${MOST_HANDED_OFF_BYTES} bytes of them`, () => {
    const { local } = served(0);
    for (let i = 0; i < MOST_HANDED_OFF - 1; i++) local.add(handedOff(`a${i}`, 'a'), 1);
    expect(local.accepts(EMPTY_PLAN, 1)).toBe(true);
    local.add(handedOff('last', 'b'), 1);
    expect(local.accepts(EMPTY_PLAN, 1)).toBe(false);
    local.remove('last', 'b');
    expect(local.accepts(EMPTY_PLAN, 1)).toBe(true);

    const big = MOST_HANDED_OFF_BYTES / 2;
    const bytes = served(0).local;
    bytes.add(handedOff('big', 'a'), big);
    expect(bytes.accepts(EMPTY_PLAN, big)).toBe(true);
    bytes.add(handedOff('bigger', 'a'), big);
    expect(bytes.accepts(EMPTY_PLAN, 1)).toBe(false);
    bytes.remove('big', 'a');
    expect(bytes.accepts(EMPTY_PLAN, big)).toBe(true);
  });

  it("counts a run's record and input as the memory it holds of its own", () => {
    const run = { input: { text: 'x'.repeat(1000) } } as unknown as Run;
    expect(heldBytes(run)).toBe(3 * 1024 + JSON.stringify({ text: 'x'.repeat(1000) }).length);
    expect(planBytes(planOf(2))).toBe(2 * 1024);
  });

  it('counts a plan once for all the waiting runs that share it, until the last of them leaves', () => {
    const { local } = served(0);
    const shared = planOf(MOST_HANDED_OFF_BYTES / 1024 / 2); // half the bytes
    local.add(handedOff('a1', 'a', shared), 0);
    // A second run of the same plan adds nothing; a run of another plan as big does not fit beside it.
    expect(local.accepts(shared, MOST_HANDED_OFF_BYTES / 2)).toBe(true);
    local.add(handedOff('a2', 'a', shared), 0);
    expect(local.accepts(planOf(MOST_HANDED_OFF_BYTES / 1024 / 2 + 1), 0)).toBe(false);
    local.remove('a1', 'a');
    expect(local.accepts(planOf(MOST_HANDED_OFF_BYTES / 1024 / 2 + 1), 0)).toBe(false);
    local.remove('a2', 'a');
    expect(local.accepts(planOf(MOST_HANDED_OFF_BYTES / 1024 / 2 + 1), 0)).toBe(true);
  });
});
