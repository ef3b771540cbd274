import { CreateRunBody, RunQuery } from './dto/create-run.dto.js';
import { checkIdempotencyKey } from './idempotency.js';
import type { RunRequest } from './runs.service.js';

/** What both run-creating endpoints hand the service, from their identical parameters. */
export function runRequest(
  groupId: string,
  workflowId: string,
  query: RunQuery,
  body: CreateRunBody,
  headers: { idempotencyKey?: string; traceparent?: string },
): RunRequest {
  return {
    groupId,
    workflowId,
    body,
    useOutputIds: query.use_output_ids,
    idempotencyKey: checkIdempotencyKey(headers.idempotencyKey),
    traceparent: headers.traceparent,
  };
}
