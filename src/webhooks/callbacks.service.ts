import type { AuditActor } from '../common/audit-events.js';
import { Injectable } from '@nestjs/common';
import { ConflictProblem, NotFoundProblem } from '../common/problem.js';
import { generateWebhookSecret } from '../auth/api-key-secret.js';
import {
  CallbackAttemptResponse,
  RedeliveryResponse,
  toCallbackAttemptResponse,
  WebhookSecretResponse,
} from './dto/callback.dto.js';
import { isFinishedStatus } from '../common/run-status.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** After a rotation, the previous secret keeps signing (alongside the new one) for this long. */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** The callbacks API: a run's delivery attempts, redelivery, and rotating a group's signing secret. */
@Injectable()
export class CallbacksService {
  constructor(private readonly repository: WebhooksRepository) {}

  async attempts(groupId: string, runId: string): Promise<CallbackAttemptResponse[]> {
    await this.runState(groupId, runId);
    return (await this.repository.attempts(groupId, runId)).map(toCallbackAttemptResponse);
  }

  /** 409 when the run has no callback_url or has not finished (its callback is sent when it does). */
  async redeliver(groupId: string, runId: string, actor: AuditActor): Promise<RedeliveryResponse> {
    const run = await this.runState(groupId, runId);
    if (!run.callbackUrl) throw new ConflictProblem('The run has no callback_url.', { run_status: run.status });
    if (!isFinishedStatus(run.status)) {
      throw new ConflictProblem(`The run has not finished (${run.status}); its callback is sent when it does.`, {
        run_status: run.status,
      });
    }
    const chain = await this.repository.redeliver(groupId, runId, (number) => [
      {
        actor,
        groupId,
        action: 'run.callback_redelivered',
        targetType: 'run',
        targetId: runId,
        after: { chain: number },
      },
    ]);
    if (!chain) throw new NotFoundProblem('Run', runId);
    return { run_id: runId, message_id: chain.messageId, chain: chain.chain };
  }

  async rotateSecret(groupId: string, actor: AuditActor): Promise<WebhookSecretResponse> {
    const group = await this.repository.rotateSecret(
      groupId,
      generateWebhookSecret(),
      SECRET_ROTATION_GRACE_MS,
      (expiresAt) => [
        {
          actor,
          groupId,
          action: 'group.webhook_secret_rotated',
          targetType: 'group',
          targetId: groupId,
          after: { previous_secret_expires_at: expiresAt },
        },
      ],
    );
    if (!group) throw new NotFoundProblem('Group', groupId);
    return {
      group_id: group.id,
      webhook_secret: group.webhook_secret,
      previous_secret_expires_at: group.previous_secret_expires_at.toISOString(),
    };
  }

  private async runState(groupId: string, runId: string) {
    const run = await this.repository.runState(groupId, runId);
    if (!run) throw new NotFoundProblem('Run', runId);
    return run;
  }
}
