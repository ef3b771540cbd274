import type { WebhookDelivery } from '../generated/prisma/client.js';
import { type ColumnMap, column } from '../database/sql-columns.js';

/** The `webhook_deliveries` table's columns, in the schema's order (RECORD_ATTEMPT numbers its parameters by it). */
export const WEBHOOK_DELIVERY_COLUMNS: ColumnMap<WebhookDelivery> = {
  id: column('id'),
  runId: column('run_id'),
  messageId: column('message_id'),
  url: column('url'),
  eventType: column('event_type'),
  chain: column('chain'),
  attempt: column('attempt'),
  statusCode: column('status_code'),
  errorClass: column('error_class'),
  error: column('error'),
  durationMs: column('duration_ms'),
  responseBody: column('response_body'),
  nextAttemptAt: column('next_attempt_at'),
  deliveredAt: column('delivered_at'),
  createdAt: column('created_at'),
};
