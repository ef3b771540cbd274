import { ApiProperty } from '@nestjs/swagger';
import type { Run } from '../../generated/prisma/client.js';
import { RunResponse, toRunResponse } from './run.dto.js';

/** What Runloom POSTs to a run's `callback_url` when the run finishes (the webhooks module sends it). */
export class RunCallbackBody {
  @ApiProperty({ enum: ['run.completed', 'run.failed', 'run.stopped'] }) type!: string;
  /** When the run finished; the same on every attempt. */
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  /** The run exactly as `GET /v1/runs/{run_id}` returns it. */
  @ApiProperty({ type: RunResponse }) data!: RunResponse;
}

/** The callback body: the run as the API returns it; `timestamp` is when it finished (the same on every attempt). */
export function toRunCallbackBody(run: Run): RunCallbackBody {
  return {
    type: `run.${run.status}`,
    timestamp: (run.finishedAt ?? new Date()).toISOString(),
    data: toRunResponse(run),
  };
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
