import { Injectable, Logger } from '@nestjs/common';
import { Problem, RunOutcomeUnknownProblem } from '../common/problem.js';
import type { Run } from '../generated/prisma/client.js';
import { checkIdempotencyKey } from '../runs/idempotency.js';
import type { RunRequest } from '../runs/runs.service.js';
import { RunsService } from '../runs/runs.service.js';
import { mappingHeaders, parseInboundBody } from './inbound-body.js';
import { TriggerInputMapping } from './trigger-input-mapping.js';
import { TriggerSecrets } from './trigger-secrets.js';
import { hashTriggerToken } from './trigger-token.js';
import { header, type InboundHeaders, needsSecret, type Verification, verifyDelivery } from './trigger-verification.js';
import { TriggersRepository } from './triggers.repository.js';

/** What the hook endpoint hands over of a request: the raw body its signature covers, headers, query. */
export interface InboundDelivery {
  rawBody: Buffer;
  headers: InboundHeaders;
  query: Record<string, unknown>;
}

/** A delivery's run, and whether it finished (sync triggers) or is still going (async, or past the wait). */
export interface DeliveryOutcome {
  run: Run;
  finished: boolean;
}

/**
 * Takes webhook deliveries: finds the trigger by the URL's token, verifies the signature over the
 * raw body, maps the delivery to a run input, refuses a replayed delivery id, and starts the run
 * through RunsService, as `POST …/runs/sync` or `POST …/runs` would.
 */
@Injectable()
export class TriggerDeliveries {
  private readonly logger = new Logger(TriggerDeliveries.name);

  constructor(
    private readonly triggers: TriggersRepository,
    private readonly secrets: TriggerSecrets,
    private readonly mapping: TriggerInputMapping,
    private readonly runs: RunsService,
  ) {}

  async deliver(token: string, delivery: InboundDelivery): Promise<DeliveryOutcome> {
    const trigger = await this.triggers.findByTokenHash(hashTriggerToken(token));
    // Unknown and disabled answer alike: the URL tells nobody whether it ever worked.
    if (!trigger?.enabled) {
      throw new Problem(404, 'not-found', 'Not Found', 'No enabled trigger has this URL.');
    }
    const verification = trigger.verification as Verification;
    const secret = needsSecret(verification) ? this.secrets.open(trigger) : undefined;
    if (needsSecret(verification) && secret === undefined) {
      this.logger.warn({ triggerId: trigger.id }, "a trigger's secret does not open with SECRETS_KEY");
      throw new Problem(503, 'secrets-not-configured', 'Service Unavailable', "The trigger's secret cannot be read.");
    }
    const verdict = verifyDelivery(verification, secret, {
      rawBody: delivery.rawBody,
      headers: delivery.headers,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (!verdict.ok) throw new Problem(401, 'webhook-signature-invalid', 'Unauthorized', verdict.reason);

    const body = parseInboundBody(delivery.rawBody, header(delivery.headers, 'content-type'));
    const mapped = await this.mapping.evaluate(
      trigger.inputMapping,
      { body, headers: mappingHeaders(delivery.headers), query: delivery.query },
      trigger.groupId,
    );
    if (!mapped.ok) {
      throw new Problem(
        422,
        'trigger-mapping-failed',
        'Unprocessable Content',
        `The input_mapping of trigger "${trigger.name}" (${trigger.id}) failed: ${mapped.message}`,
        { trigger_id: trigger.id },
      );
    }

    const { deliveryId, replayWindowSeconds } = verdict;
    if (
      deliveryId !== undefined &&
      !(await this.triggers.recordDelivery(trigger.id, deliveryId, replayWindowSeconds))
    ) {
      throw new Problem(
        409,
        'delivery-replayed',
        'Conflict',
        `Delivery ${deliveryId} was already taken by this trigger; it starts no second run.`,
        { trigger_id: trigger.id, delivery_id: deliveryId },
      );
    }
    const request: RunRequest = {
      groupId: trigger.groupId,
      workflowId: trigger.workflowId,
      body: {
        input: mapped.input,
        workflow_version_id: trigger.workflowVersionId,
        callback_url: trigger.callbackUrl,
      },
      useOutputIds: false,
      idempotencyKey: checkIdempotencyKey(header(delivery.headers, 'idempotency-key')),
      traceparent: header(delivery.headers, 'traceparent'),
      triggerId: trigger.id,
    };
    try {
      const outcome =
        trigger.mode === 'sync'
          ? await this.runs.runSync(request)
          : { run: await this.runs.runAsync(request), finished: false };
      this.triggers.markDelivered(trigger.id).catch((error: unknown) => {
        this.logger.warn({ err: error, triggerId: trigger.id }, 'recording a delivery time failed');
      });
      return outcome;
    } catch (error) {
      // A refused run (its input, a limit, the database) started nothing, so the sender's retry of
      // this delivery must be taken; only a run that exists with an unknown outcome keeps the id.
      if (deliveryId !== undefined && !(error instanceof RunOutcomeUnknownProblem)) {
        await this.triggers.forgetDelivery(trigger.id, deliveryId).catch(() => undefined);
      }
      throw error;
    }
  }
}
