import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** A slot one run holds; `release` gives it back (once: later calls do nothing). */
export interface HeldSlot {
  release(): void;
}

/**
 * One instance's share of execution per group: a group executes at most QUEUE_SLOTS_PER_GROUP
 * runs at once here, counting queued runs a worker took and child runs (map items, sub-workflows)
 * alike, so one group's tree of child runs cannot hold more of the instance than its share.
 * Waiters queue per group, first come first served; other groups never wait behind them.
 *
 * A run that starts child runs gives its slot to them (see ChildRunsService): a parent waiting for
 * its children does no work of its own, and holding its slot would let parents fill the share and
 * leave their children waiting forever.
 */
@Injectable()
export class GroupSlots {
  private readonly held = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'queueSlotsPerGroup'>) {}

  /** A slot at once, or null when the group fills its share (a queued run is then taken again later). */
  tryTake(groupId: string): HeldSlot | null {
    const held = this.held.get(groupId) ?? 0;
    if (held >= this.config.queueSlotsPerGroup) return null;
    this.held.set(groupId, held + 1);
    return this.slot(groupId);
  }

  /** Waits for a slot of the group; null when `signal` aborts first. */
  async take(groupId: string, signal: AbortSignal): Promise<HeldSlot | null> {
    const now = this.tryTake(groupId);
    if (now || signal.aborted) return now;
    const queue = this.waiting.get(groupId) ?? [];
    this.waiting.set(groupId, queue);
    return new Promise((resolve) => {
      const granted = () => {
        signal.removeEventListener('abort', aborted);
        resolve(this.slot(groupId));
      };
      const aborted = () => {
        queue.splice(queue.indexOf(granted), 1);
        if (queue.length === 0 && this.waiting.get(groupId) === queue) this.waiting.delete(groupId);
        resolve(null);
      };
      signal.addEventListener('abort', aborted, { once: true });
      queue.push(granted);
    });
  }

  /**
   * The groups that hold their whole share now, or would once `pending(group)` more of their runs
   * took a slot: a further run of theirs would wait (take) or be refused (tryTake).
   */
  fullGroups(pending: (groupId: string) => number = () => 0): string[] {
    const full: string[] = [];
    for (const [groupId, held] of this.held) {
      if (held + pending(groupId) >= this.config.queueSlotsPerGroup) full.push(groupId);
    }
    return full;
  }

  /** Slots the group holds on this instance now. */
  heldBy(groupId: string): number {
    return this.held.get(groupId) ?? 0;
  }

  private slot(groupId: string): HeldSlot {
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.give(groupId);
      },
    };
  }

  /** A released slot goes straight to the group's next waiter, else back to the count. */
  private give(groupId: string): void {
    const queue = this.waiting.get(groupId);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(groupId);
    if (next) return next();
    const left = (this.held.get(groupId) ?? 1) - 1;
    if (left > 0) this.held.set(groupId, left);
    else this.held.delete(groupId);
  }
}
