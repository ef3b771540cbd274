import { Injectable } from '@nestjs/common';
import { MetricsService } from '../observability/metrics.service.js';
import type { Run } from '../generated/prisma/client.js';
import type { PreparedRun, RunPlan } from '../execution/engine/index.js';
import { LEASE_MS } from './run-lease.js';

/** An async run created on this instance and handed off to it, with the plan it was created with. */
export interface HandedOffRun {
  run: Run;
  prepared: PreparedRun;
}

/**
 * About how much memory a waiting handed-off run holds of its own: its record (measured: 2.7 KB for
 * a run of the seed workflow, 20,000 records from newRun) and its input as JSON. Its plan is counted
 * apart (planBytes), once for all the waiting runs that share it: the runs of a workflow version
 * share one (prepareRun keeps a plan per definition object).
 */
export function heldBytes(run: Run): number {
  return RUN_RECORD_BYTES + (JSON.stringify(run.input)?.length ?? 0);
}

const RUN_RECORD_BYTES = 3 * 1024;

/** About how much memory a plan holds: 1 KiB per node (measured: 2.9 KB for the four-node seed workflow). */
export function planBytes(plan: RunPlan): number {
  return plan.nodes.size * 1024;
}

/**
 * How long a handed-off run's job waits before any worker may fetch it: a running run's lease, so
 * a run whose instance died before starting it is taken over about as soon as one it had started.
 */
export const HANDOFF_MS = LEASE_MS;

/**
 * The most handed-off runs waiting on one instance, and the most memory they may hold (heldBytes and
 * planBytes): further async runs are queued for any worker, so a flood of large inputs cannot fill
 * the process. The memory binds first for most runs (about 21,000 of the seed workflow).
 */
export const MOST_HANDED_OFF = 50_000;
export const MOST_HANDED_OFF_BYTES = 64 * 1024 * 1024;

interface Waiting extends HandedOffRun {
  bytes: number;
}

/**
 * Async runs created on an instance that also works the queue wait here for a slot of their group,
 * beside the queue rather than only in it: their job is due HANDOFF_MS later, so no worker fetches
 * them meanwhile, and this instance starts them without the queue's fetch, lock and completion
 * (ExecutionService.executeHandedOff). A group's runs start in the order they were created, and
 * groups take turns, one run each. If the instance dies or stops before starting them their jobs
 * fall due (at once, on a graceful stop) and any worker takes the runs, as any queued run; a worker
 * that fetches one meanwhile (this instance fell HANDOFF_MS behind) takes it from here.
 */
@Injectable()
export class LocalRuns {
  /** Waiting runs by group, the groups in the order of their turns. */
  private readonly lines = new Map<string, Waiting[]>();
  private waiting = 0;
  private bytes = 0;
  /** The plans of the waiting runs, with how many of them share each: a plan's bytes count once. */
  private readonly plans = new Map<RunPlan, number>();
  private start: ((handedOff: HandedOffRun) => boolean) | undefined;

  constructor(private readonly metrics: MetricsService) {}

  /** Takes runs from now on: `start` starts one now if its group has a free slot, else answers false. */
  serve(start: (handedOff: HandedOffRun) => boolean): void {
    this.start = start;
  }

  /** Takes no more: the ids of the runs that were waiting, which are left to the queue. */
  close(): string[] {
    this.start = undefined;
    const left = [...this.lines.values()].flat().map((handedOff) => handedOff.run.id);
    this.lines.clear();
    this.plans.clear();
    this.waiting = 0;
    this.bytes = 0;
    this.metrics.handedOffRunsWaiting(0);
    return left;
  }

  /** Whether a new async run with this plan, holding `bytes` of its own (heldBytes), may be handed off here. */
  accepts(plan: RunPlan, bytes: number): boolean {
    const added = bytes + (this.plans.has(plan) ? 0 : planBytes(plan));
    return this.start !== undefined && this.waiting < MOST_HANDED_OFF && this.bytes + added <= MOST_HANDED_OFF_BYTES;
  }

  /** A run inserted handed off: it starts now if its group has room, else waits its turn. */
  add(handedOff: HandedOffRun, bytes: number): void {
    const waiting = { ...handedOff, bytes };
    const groupId = handedOff.run.groupId;
    const line = this.lines.get(groupId);
    if (line) line.push(waiting);
    else this.lines.set(groupId, [waiting]);
    this.waiting++;
    this.bytes += bytes;
    const { plan } = handedOff.prepared;
    const sharing = this.plans.get(plan) ?? 0;
    if (sharing === 0) this.bytes += planBytes(plan);
    this.plans.set(plan, sharing + 1);
    this.metrics.handedOffRunsWaiting(this.waiting);
    this.startWaiting();
  }

  /** Takes the run out if it waits here (a worker fetched its job); whether it did. */
  remove(runId: string, groupId: string): boolean {
    const line = this.lines.get(groupId);
    const index = line?.findIndex((handedOff) => handedOff.run.id === runId) ?? -1;
    if (!line || index < 0) return false;
    this.forget(line.splice(index, 1)[0]);
    if (line.length === 0) this.lines.delete(groupId);
    return true;
  }

  /** Starts waiting runs while their groups have room, one per group in turn; call when slots free. */
  startWaiting(): void {
    for (let started = true; started;) {
      started = false;
      for (const [groupId, line] of [...this.lines]) {
        if (!this.start?.(line[0])) continue;
        started = true;
        this.forget(line.shift()!);
        // The group goes to the back of the turns.
        this.lines.delete(groupId);
        if (line.length > 0) this.lines.set(groupId, line);
      }
    }
  }

  private forget(waiting: Waiting): void {
    this.waiting--;
    this.bytes -= waiting.bytes;
    const { plan } = waiting.prepared;
    const sharing = this.plans.get(plan)! - 1;
    if (sharing > 0) this.plans.set(plan, sharing);
    else {
      this.plans.delete(plan);
      this.bytes -= planBytes(plan);
    }
    this.metrics.handedOffRunsWaiting(this.waiting);
  }
}
