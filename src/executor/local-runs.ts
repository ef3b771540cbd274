import { Injectable } from '@nestjs/common';
import { MetricsService } from '../observability/metrics.service.js';
import type { Run } from '../generated/prisma/client.js';
import type { PreparedRun } from '../execution/engine/index.js';
import { LEASE_MS } from './run-lease.js';

/** An async run created on this instance and handed off to it, with the plan it was created with. */
export interface HandedOffRun {
  run: Run;
  prepared: PreparedRun;
}

/**
 * About how much memory a waiting handed-off run holds: its input as JSON, and 1 KiB per node of its
 * plan (measured: 2.9 KB for a plan of the four-node seed workflow).
 */
export function heldBytes({ run, prepared }: HandedOffRun): number {
  return (JSON.stringify(run.input)?.length ?? 0) + prepared.plan.nodes.size * 1024;
}

/**
 * How long a handed-off run's job waits before any worker may fetch it: a running run's lease, so
 * a run whose instance died before starting it is taken over about as soon as one it had started.
 */
export const HANDOFF_MS = LEASE_MS;

/**
 * The most handed-off runs waiting on one instance, and the most memory they may hold (heldBytes):
 * further async runs are queued for any worker, so a flood of large inputs cannot fill the process.
 */
export const MOST_HANDED_OFF = 10_000;
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
    this.waiting = 0;
    this.bytes = 0;
    this.metrics.handedOffRunsWaiting(0);
    return left;
  }

  /** Whether a new async run that would hold `bytes` (heldBytes) may be handed off here. */
  accepts(bytes: number): boolean {
    return this.start !== undefined && this.waiting < MOST_HANDED_OFF && this.bytes + bytes <= MOST_HANDED_OFF_BYTES;
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
    this.metrics.handedOffRunsWaiting(this.waiting);
  }
}
