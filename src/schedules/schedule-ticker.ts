import type { RunMetadata } from '../runs/run-metadata.js';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ConflictProblem, Problem } from '../common/problem.js';
import { RepeatingTask } from '../common/repeating-task.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { RunsService } from '../runs/runs.service.js';
import { CronSchedule } from './cron-schedule.js';
import { DueSchedule, SchedulesRepository, TickOutcome } from './schedules.repository.js';

/** Sub-second, so a schedule ticking every second is served on time. */
const POLL_MS = 200;
const BATCH = 20;

/**
 * Starts the runs of due schedules. Every API instance polls; each due schedule is taken by one
 * of them (row lock, SKIP LOCKED) and moved on to its next tick in the same transaction. Ticks
 * missed while no instance ran start one run, for the oldest missed tick; the schedule then
 * continues from the next tick after now.
 *
 * Groups share it fairly: a batch takes each group's oldest due schedule before any group's
 * second (schedules.sql.ts, TAKE_DUE_SCHEDULES), and a tick past its group's max_schedule_ticks_per_minute
 * starts no run: the schedule moves on and `last_error` says the tick was skipped. The ticker
 * holds at most two of the pool's connections, however many schedules are due: the batch's
 * transaction, and the one run it is starting (ticks are fired one after another).
 */
@Injectable()
export class ScheduleTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduleTicker.name);
  private readonly task = new RepeatingTask(
    () => this.tick(),
    POLL_MS,
    (error) => {
      if (!this.availability.failed('starting scheduled runs', error)) {
        this.logger.warn({ err: error }, 'starting scheduled runs failed');
      }
    },
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: SchedulesRepository,
    private readonly runs: RunsService,
    private readonly availability: DatabaseAvailability,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async tick(): Promise<void> {
    const tickLimit = this.config.groupLimits.max_schedule_ticks_per_minute;
    while (
      !this.task.isStopped &&
      (await this.schedules.takeDue(BATCH, tickLimit, (schedule) => this.fire(schedule))) === BATCH
    );
  }

  private async fire(schedule: DueSchedule): Promise<TickOutcome> {
    const cron = CronSchedule.parse(schedule.cron, schedule.timezone);
    const nextRunAt = Array.isArray(cron) ? null : (cron.nextAfter(new Date()) ?? null);
    const moveOn = { nextRunAt, enabled: nextRunAt !== null, lastError: null };
    if (!schedule.rate.withinRate) return { ...moveOn, lastError: skippedTick(schedule) };
    try {
      const run = await this.runs.runAsync({
        groupId: schedule.groupId,
        workflowId: schedule.workflowId,
        body: {
          input: schedule.input,
          workflow_version_id: schedule.workflowVersionId,
          callback_url: schedule.callbackUrl,
          metadata: schedule.metadata as RunMetadata,
        },
        useOutputIds: false,
        schedule: { id: schedule.id, tick: schedule.tick },
      });
      return { ...moveOn, lastRunId: run.id };
    } catch (error) {
      // An earlier attempt at this tick started its run, then failed before moving the schedule on.
      if (error instanceof ConflictProblem) {
        return { ...moveOn, lastRunId: await this.schedules.runForTick(schedule.id, schedule.tick) };
      }
      if (!(error instanceof Problem)) throw error;
      this.logger.warn({ scheduleId: schedule.id, problem: error.detail }, 'a schedule tick started no run');
      // The workflow or version is gone: the schedule can never start a run again.
      if (error.status === 404) return { nextRunAt: null, enabled: false, lastError: error.detail ?? error.title };
      return { ...moveOn, lastError: problemText(error) };
    }
  }
}

function skippedTick({ tick, rate }: DueSchedule): string {
  return (
    `The tick of ${tick.toISOString()} was skipped: the group is at its max_schedule_ticks_per_minute limit ` +
    `(${rate.limit}; its schedules started ${rate.ticks} runs in the last minute).`
  );
}

function problemText(problem: Problem): string {
  const errors = (problem.extensions.errors ?? []) as { field: string; message: string }[];
  return [problem.detail ?? problem.title, ...errors.map((e) => `${e.field}: ${e.message}`)].join(' ');
}
