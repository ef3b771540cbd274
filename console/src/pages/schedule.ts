/** A schedule as the API shows it (GET /v1/schedules, …/workflows/{id}/schedules). */
export interface Schedule {
  id: string;
  workflow_id: string;
  workflow_version_id: string | null;
  cron: string;
  timezone: string;
  input: Record<string, unknown>;
  callback_url: string | null;
  metadata: Record<string, string>;
  enabled: boolean;
  next_run_at: string | null;
  last_run_id: string | null;
  last_error: string | null;
  created_at: string;
}

export const schedulePath = (schedule: Pick<Schedule, 'id' | 'workflow_id'>): string =>
  `/v1/workflows/${schedule.workflow_id}/schedules/${schedule.id}`;
