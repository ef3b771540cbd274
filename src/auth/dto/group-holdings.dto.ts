/** What a group holds, by kind: the `holds` of the 409 `DELETE /v1/groups/{group_id}` answers while any is above 0. */
export interface GroupHoldings {
  /** Workflows (not deleted). */
  workflows: number;
  /** Runs, finished or not. */
  runs: number;
  /** Runs still queued, running or waiting: even `?force=true` refuses while there are any. */
  active_runs: number;
  schedules: number;
  secrets: number;
  /** Usable API keys (not revoked, not expired) whose default group this is: `?force=true` revokes them. */
  api_keys: number;
}
