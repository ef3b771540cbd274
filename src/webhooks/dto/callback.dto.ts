import { ApiProperty } from '@nestjs/swagger';
import type { WebhookDelivery } from '../../generated/prisma/client.js';

export class CallbackAttemptResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  /** The Standard Webhooks `webhook-id`: the same on every attempt and every redelivery. */
  @ApiProperty({ example: 'msg_0b7c…' }) message_id!: string;
  @ApiProperty({ enum: ['run.completed', 'run.failed', 'run.stopped'] }) event_type!: string;
  @ApiProperty() url!: string;
  /** 1 for the delivery sent when the run finished, 2 and up for each redelivery. */
  @ApiProperty() chain!: number;
  /** 1-based within the chain. */
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) attempted_at!: string;
  /** The receiver's HTTP status; null when no response came. */
  @ApiProperty({ nullable: true, type: Number }) status_code!: number | null;
  // A nullable enum lists null too: strict OpenAPI 3.0 validators check enum before nullable.
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['http_status', 'timeout', 'connection', 'dns', 'tls', 'refused_address', 'invalid_url', null],
  })
  error_class!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms!: number | null;
  /** The first 2 KiB of the receiver's response body. */
  @ApiProperty({ nullable: true, type: String }) response_body!: string | null;
  /** When the next attempt is due; null when this attempt was the last of its chain. */
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) next_attempt_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) delivered_at!: string | null;
  /**
   * `delivered`; `retry_scheduled` (at next_attempt_at); or `given_up`: this chain makes no further
   * attempt (the retry schedule is used up, the receiver answered 410, or the address is refused).
   * `POST …/callbacks/redeliver` starts a new chain.
   */
  @ApiProperty({ enum: ['delivered', 'retry_scheduled', 'given_up'] }) outcome!: CallbackOutcome;
}

export type CallbackOutcome = 'delivered' | 'retry_scheduled' | 'given_up';

export class RedeliveryResponse {
  @ApiProperty({ format: 'uuid' }) run_id!: string;
  @ApiProperty() message_id!: string;
  /** The new chain's number; its first attempt is queued now. */
  @ApiProperty() chain!: number;
}

export class WebhookSecretResponse {
  @ApiProperty({ format: 'uuid' }) group_id!: string;
  /** The new signing secret. */
  @ApiProperty({ example: 'whsec_…' }) webhook_secret!: string;
  /** Until then callbacks carry a second signature made with the previous secret. */
  @ApiProperty({ format: 'date-time' }) previous_secret_expires_at!: string;
}

export function toCallbackAttemptResponse(delivery: WebhookDelivery): CallbackAttemptResponse {
  return {
    id: delivery.id,
    message_id: delivery.messageId,
    event_type: delivery.eventType,
    url: delivery.url,
    chain: delivery.chain,
    attempt: delivery.attempt,
    attempted_at: delivery.createdAt.toISOString(),
    status_code: delivery.statusCode,
    error_class: delivery.errorClass,
    error: delivery.error,
    duration_ms: delivery.durationMs,
    response_body: delivery.responseBody,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    outcome: delivery.deliveredAt ? 'delivered' : delivery.nextAttemptAt ? 'retry_scheduled' : 'given_up',
  };
}
