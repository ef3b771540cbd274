import type { Run } from '../generated/prisma/client.js';

/** Where a run can be polled: the `Location` of every answer about a created run. */
export function runLocation(run: Pick<Run, 'id' | 'workflowId'>): string {
  return `/v1/workflows/${run.workflowId}/runs/${run.id}`;
}

/** The OpenAPI `headers` of an answer about a created run. */
export const LOCATION_HEADER = {
  Location: { description: 'The run: `/v1/workflows/{workflow_id}/runs/{run_id}`.', schema: { type: 'string' } },
};
