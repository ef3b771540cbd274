import type { Schedule } from '../generated/prisma/client.js';
import { type ColumnMap, column, jsonColumn } from '../database/sql-columns.js';

/** The `schedules` table's columns, for the ticker's statements in schedules.sql.ts. */
export const SCHEDULE_COLUMNS: ColumnMap<Schedule> = {
  id: column('id'),
  groupId: column('group_id'),
  workflowId: column('workflow_id'),
  workflowVersionId: column('workflow_version_id'),
  cron: column('cron'),
  timezone: column('timezone'),
  input: jsonColumn('input'),
  callbackUrl: column('callback_url'),
  enabled: column('enabled'),
  nextRunAt: column('next_run_at'),
  lastRunId: column('last_run_id'),
  lastError: column('last_error'),
  metadata: jsonColumn('metadata'),
  createdAt: column('created_at'),
  updatedAt: column('updated_at'),
};
