import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { sendOutbound } from '../common/outbound/outbound-request.js';
import { MetricsService } from '../observability/metrics.service.js';
import { judgeFailure, judgeResponse, nextAttemptDelay, type AttemptOutcome } from './delivery-outcome.js';
import { isFinishedStatus } from '../common/run-status.js';
import { toRunCallbackBody } from '../runs/index.js';
import { signatureHeaders } from './webhook-signing.js';
import { WebhooksRepository, type CallbackJob, type CallbackTarget } from './webhooks.repository.js';

/** A receiver has this long, from connecting to the end of its response, to answer 2xx. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** Response bytes read from a receiver (the start of them is stored). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'Runloom-Webhooks/1';

/**
 * Delivers run callbacks (docs/callbacks.md): one signed POST per `deliver_callback` job, recorded on the
 * run, with the next attempt queued on WEBHOOK_RETRY_SCHEDULE (or later, if the receiver's
 * Retry-After says so) until it is delivered, refused for good, or the schedule is used up.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Makes the job's attempt. When `signal` aborts (a forced shutdown), the attempt is left
   * unrecorded and the job fails, so graphile-worker runs it again later.
   */
  async attempt(job: CallbackJob, signal?: AbortSignal): Promise<void> {
    const target = await this.repository.target(job);
    if (!isDue(target, job)) return;
    const { run, messageId } = target;
    const url = run.callbackUrl!;
    const payload = JSON.stringify(toRunCallbackBody(run));
    const attemptedAt = new Date();
    const outcome = await this.send(url, messageId, payload, target.secrets, attemptedAt, signal);
    signal?.throwIfAborted();
    const finishedAt = Date.now();
    const delay = outcome.verdict === 'retry' ? this.nextDelay(job.attempt, outcome) : undefined;
    const { recorded } = await this.repository.record({
      job,
      messageId: messageId,
      url,
      eventType: `run.${run.status}`,
      outcome,
      attemptedAt,
      durationMs: finishedAt - attemptedAt.getTime(),
      nextAttemptAt: delay === undefined ? null : new Date(finishedAt + delay),
      deliveredAt: outcome.verdict === 'delivered' ? new Date(finishedAt) : null,
    });
    if (recorded) this.metrics.callbackAttempt(metricOutcome(outcome, delay));
    if (recorded && outcome.verdict !== 'delivered' && delay === undefined) {
      this.logger.warn(
        { runId: run.id, chain: job.chain, attempt: job.attempt, errorClass: outcome.errorClass },
        'callback not delivered; no further attempts',
      );
    }
  }

  private async send(
    url: string,
    messageId: string,
    payload: string,
    secrets: string[],
    at: Date,
    signal?: AbortSignal,
  ): Promise<AttemptOutcome> {
    try {
      const response = await sendOutbound({
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          ...signatureHeaders(messageId, payload, secrets, at),
        },
        body: payload,
        timeoutMs: DELIVERY_TIMEOUT_MS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        policy: { allowPrivate: this.config.outboundAllowPrivate },
        signal,
      });
      return judgeResponse(response);
    } catch (error) {
      return judgeFailure(error);
    }
  }

  private nextDelay(attempt: number, outcome: AttemptOutcome): number | undefined {
    return nextAttemptDelay(attempt, this.config.webhookRetryScheduleMs, outcome.retryAfterMs);
  }
}

/**
 * Whether this job should send: the run still exists, finished, with a callback; the job belongs to
 * the current chain (a redelivery supersedes older chains); and its attempt is not recorded yet.
 */
function isDue(target: CallbackTarget | null, job: CallbackJob): target is CallbackTarget & { messageId: string } {
  return (
    target !== null &&
    target.run.callbackUrl !== null &&
    isFinishedStatus(target.run.status) &&
    target.messageId !== null &&
    target.currentChain === job.chain &&
    !target.attempted
  );
}

/** The attempt as the callback metric counts it. */
function metricOutcome(outcome: AttemptOutcome, nextDelay: number | undefined) {
  if (outcome.verdict === 'delivered') return 'delivered';
  if (outcome.errorClass === 'refused_address') return 'refused';
  return nextDelay === undefined ? 'gave_up' : 'retry';
}
