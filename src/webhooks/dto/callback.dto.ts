import { ApiProperty } from '@nestjs/swagger';
import type { WebhookDelivery } from '../../generated/prisma/client.js';
import { RunResponse } from '../../runs/dto/run.dto.js';

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

/** What Runloom POSTs to a run's `callback_url` when the run finishes. */
export class RunCallbackBody {
  @ApiProperty({ enum: ['run.completed', 'run.failed', 'run.stopped'] }) type!: string;
  /** When the run finished; the same on every attempt. */
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  /** The run exactly as `GET /v1/runs/{run_id}` returns it. */
  @ApiProperty({ type: RunResponse }) data!: RunResponse;
}

const SIGNATURE_HEADERS = {
  'webhook-id': {
    in: 'header',
    name: 'webhook-id',
    required: true,
    description: '`msg_<run id>`: the same on every attempt and redelivery; dedupe on it.',
    schema: { type: 'string' },
  },
  'webhook-timestamp': {
    in: 'header',
    name: 'webhook-timestamp',
    required: true,
    description: 'This attempt, in Unix seconds.',
    schema: { type: 'string' },
  },
  'webhook-signature': {
    in: 'header',
    name: 'webhook-signature',
    required: true,
    description:
      '`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the group secret (Standard Webhooks); ' +
      'two space-separated signatures for 24 h after a rotation.',
    schema: { type: 'string' },
  },
} as const;

/** The OpenAPI `callbacks` entry of the run-creating operations: the request a receiver gets. */
export const RUN_FINISHED_CALLBACK = {
  runFinished: {
    '{$request.body#/callback_url}': {
      post: {
        summary: 'Run finished (sent to callback_url)',
        description:
          'Sent once the run is completed, failed or stopped, signed per Standard Webhooks. A 2xx within 15 s ' +
          'is delivered; 410 stops retries; anything else is retried on WEBHOOK_RETRY_SCHEDULE.',
        // The receiver checks the signature; no API key is sent.
        security: [],
        parameters: Object.values(SIGNATURE_HEADERS),
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/RunCallbackBody' } } },
        },
        responses: {
          '200': { description: 'Delivered (any 2xx).' },
          '410': { description: 'Gone: stop sending this callback.' },
        },
      },
    },
  },
};
