import { Inject, Injectable } from '@nestjs/common';
import type { AuditActor, AuditEntry } from '../common/audit-events.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { groupLimit } from '../config/group-limits.js';
import type { Prisma, Schedule } from '../generated/prisma/client.js';
import { Page, PageQuery, toPage } from '../common/pagination.js';
import { LimitExceededProblem, NotFoundProblem, ValidationProblem } from '../common/problem.js';
import { RunsService } from '../runs/runs.service.js';
import type { RunMetadata } from '../runs/run-metadata.js';
import { RunnableDefinitions } from '../definitions/runnable-definitions.js';
import { CronSchedule } from './cron-schedule.js';
import {
  CreateScheduleBody,
  ScheduleListQuery,
  ScheduleResponse,
  toScheduleResponse,
  UpdateScheduleBody,
} from './dto/schedule.dto.js';
import { ScheduleChanges, SchedulesRepository } from './schedules.repository.js';

const NOT_NULLABLE = ['cron', 'timezone', 'input', 'enabled'] as const;

/** Schedules of a workflow; what they start is checked like a run request when they are saved. */
@Injectable()
export class SchedulesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: SchedulesRepository,
    private readonly runs: RunsService,
    private readonly definitions: RunnableDefinitions,
  ) {}

  async create(
    groupId: string,
    workflowId: string,
    body: CreateScheduleBody,
    actor: AuditActor,
  ): Promise<ScheduleResponse> {
    const timezone = body.timezone ?? 'UTC';
    const enabled = body.enabled ?? true;
    const cron = cronSchedule(body.cron, timezone);
    await this.runs.check(groupId, workflowId, body);
    const schedule = await this.schedules.createWithinLimit(
      {
        groupId,
        workflowId,
        workflowVersionId: body.workflow_version_id?.toLowerCase() ?? null,
        cron: body.cron.trim(),
        timezone,
        input: body.input as Prisma.InputJsonValue,
        callbackUrl: body.callback_url ?? null,
        metadata: body.metadata ?? {},
        enabled,
        nextRunAt: enabled ? (cron.nextAfter(new Date()) ?? null) : null,
      },
      this.config.groupLimits.max_schedules,
      (created) => [scheduleEntry(actor, 'schedule.created', created, undefined, scheduleState(created))],
    );
    if (!('id' in schedule)) {
      throw new LimitExceededProblem(groupLimit('max_schedules'), schedule.limit, schedule.current);
    }
    return toScheduleResponse(schedule);
  }

  async list(groupId: string, workflowId: string, query: PageQuery): Promise<Page<ScheduleResponse>> {
    await this.requireWorkflow(groupId, workflowId);
    return toPage(
      query,
      await this.schedules.page(groupId, workflowId, query.skip, query.page_size),
      toScheduleResponse,
    );
  }

  /** The group's schedules across its workflows, or those of `query.workflow_id` (none when it names no workflow of the group). */
  async listAll(groupId: string, query: ScheduleListQuery): Promise<Page<ScheduleResponse>> {
    const workflowId = query.workflow_id?.toLowerCase();
    return toPage(
      query,
      await this.schedules.page(groupId, workflowId, query.skip, query.page_size),
      toScheduleResponse,
    );
  }

  async get(groupId: string, workflowId: string, id: string): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.find(groupId, workflowId, id));
  }

  /** Changes the given fields; a new cron, time zone or enabling recomputes `next_run_at` from now. */
  async update(
    groupId: string,
    workflowId: string,
    id: string,
    body: UpdateScheduleBody,
    actor: AuditActor,
  ): Promise<ScheduleResponse> {
    const nulls = NOT_NULLABLE.filter((field) => body[field] === null);
    if (nulls.length > 0) throw new ValidationProblem(nulls.map((field) => ({ field, message: 'must not be null' })));
    const current = await this.find(groupId, workflowId, id);
    const merged = {
      cron: body.cron?.trim() ?? current.cron,
      timezone: body.timezone ?? current.timezone,
      enabled: body.enabled ?? current.enabled,
      input: body.input ?? (current.input as Record<string, unknown>),
      workflow_version_id:
        body.workflow_version_id === undefined ? current.workflowVersionId : body.workflow_version_id,
      callback_url: body.callback_url === undefined ? current.callbackUrl : body.callback_url,
      metadata: body.metadata === undefined ? (current.metadata as RunMetadata) : body.metadata,
    };
    const cron = cronSchedule(merged.cron, merged.timezone);
    await this.runs.check(groupId, workflowId, merged);
    const changes: ScheduleChanges = {
      cron: merged.cron,
      timezone: merged.timezone,
      enabled: merged.enabled,
      input: merged.input as Prisma.InputJsonValue,
      workflowVersionId: merged.workflow_version_id?.toLowerCase() ?? null,
      callbackUrl: merged.callback_url ?? null,
      metadata: merged.metadata ?? {},
    };
    const timingChanged =
      merged.cron !== current.cron || merged.timezone !== current.timezone || merged.enabled !== current.enabled;
    if (!merged.enabled) changes.nextRunAt = null;
    else if (timingChanged || current.nextRunAt === null) changes.nextRunAt = cron.nextAfter(new Date()) ?? null;
    const updated = await this.schedules.update(current.id, changes, (after) => [
      scheduleEntry(actor, 'schedule.updated', after, scheduleState(current), scheduleState(after)),
    ]);
    return toScheduleResponse(updated);
  }

  async delete(groupId: string, workflowId: string, id: string, actor: AuditActor): Promise<void> {
    const deleted = await this.schedules.delete(groupId, workflowId, id, (schedule) => [
      scheduleEntry(actor, 'schedule.deleted', schedule, scheduleState(schedule)),
    ]);
    if (!deleted) throw new NotFoundProblem('Schedule', id);
  }

  private async requireWorkflow(groupId: string, workflowId: string): Promise<void> {
    if (!(await this.definitions.draft(groupId, workflowId))) throw new NotFoundProblem('Workflow', workflowId);
  }

  private async find(groupId: string, workflowId: string, id: string): Promise<Schedule> {
    await this.requireWorkflow(groupId, workflowId);
    const schedule = await this.schedules.find(groupId, workflowId, id);
    if (!schedule) throw new NotFoundProblem('Schedule', id);
    return schedule;
  }
}

/** A schedule as its audit rows show it: what an API client sets, not the ticks' bookkeeping. */
function scheduleState(schedule: Schedule): Record<string, unknown> {
  const {
    next_run_at: _next,
    last_run_id: _last,
    last_error: _error,
    created_at: _c,
    updated_at: _u,
    ...state
  } = toScheduleResponse(schedule);
  return state;
}

function scheduleEntry(
  actor: AuditActor,
  action: string,
  schedule: Schedule,
  before?: unknown,
  after?: unknown,
): AuditEntry {
  return { actor, groupId: schedule.groupId, action, targetType: 'schedule', targetId: schedule.id, before, after };
}

function cronSchedule(cron: string, timezone: string): CronSchedule {
  const parsed = CronSchedule.parse(cron, timezone);
  if (Array.isArray(parsed)) throw new ValidationProblem(parsed);
  return parsed;
}
