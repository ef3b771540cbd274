import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { groupLimit } from '../config/group-limits.js';
import type { Prisma, Trigger } from '../generated/prisma/client.js';
import { Page, PageQuery, toPage } from '../common/pagination.js';
import type { AuditActor, AuditEntry } from '../common/audit-events.js';
import { type FieldProblem, LimitExceededProblem, NotFoundProblem, ValidationProblem } from '../common/problem.js';
import { RunnableDefinitions } from '../definitions/runnable-definitions.js';
import { definitionNotFound } from '../runs/run-preparation.js';
import {
  CreateTriggerBody,
  RotateTriggerBody,
  TriggerCredentialsResponse,
  TriggerResponse,
  toTriggerResponse,
  UpdateTriggerBody,
} from './dto/trigger.dto.js';
import { mappingProblems } from './trigger-input-mapping.js';
import { TriggerSecrets } from './trigger-secrets.js';
import { hashTriggerToken, newTriggerToken, triggerUrl } from './trigger-token.js';
import { generateSecret, needsSecret, secretProblem, type Verification } from './trigger-verification.js';
import { parseVerification } from './verification-body.js';
import { TriggerChanges, TriggersRepository } from './triggers.repository.js';

const NOT_NULLABLE = ['name', 'mode', 'input_mapping', 'enabled', 'verification'] as const;

/** Webhook triggers of a group's workflows: their settings and their credentials (URL token, secret). */
@Injectable()
export class TriggersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly triggers: TriggersRepository,
    private readonly definitions: RunnableDefinitions,
    private readonly secrets: TriggerSecrets,
  ) {}

  async create(
    groupId: string,
    workflowId: string,
    body: CreateTriggerBody,
    actor: AuditActor,
  ): Promise<TriggerCredentialsResponse> {
    const verification = parseVerification(body.verification);
    const problems = [...mappingProblems(body.input_mapping), ...secretProblems(verification, body.secret, 'secret')];
    if (problems.length > 0) throw new ValidationProblem(problems);
    const versionId = body.workflow_version_id?.toLowerCase() ?? null;
    if (!(await this.definitions.find(groupId, workflowId, versionId))) throw definitionNotFound(workflowId, versionId);
    const id = randomUUID();
    const token = newTriggerToken();
    const secret = needsSecret(verification) ? (body.secret ?? generateSecret(verification)) : null;
    const trigger = await this.triggers.createWithinLimit(
      {
        id,
        groupId,
        workflowId,
        workflowVersionId: versionId,
        name: body.name,
        mode: body.mode ?? 'async',
        callbackUrl: body.callback_url ?? null,
        inputMapping: body.input_mapping,
        enabled: body.enabled ?? true,
        verification: verification as Prisma.InputJsonValue,
        tokenHash: hashTriggerToken(token),
        ...this.secrets.seal(groupId, id, secret),
      },
      this.config.groupLimits.max_triggers,
      (created) => [triggerEntry(actor, 'trigger.created', created, undefined, toTriggerResponse(created))],
    );
    if (!('id' in trigger)) {
      throw new LimitExceededProblem(groupLimit('max_triggers'), trigger.limit, trigger.current);
    }
    return this.withCredentials(trigger, token, secret);
  }

  async list(groupId: string, workflowId: string, query: PageQuery): Promise<Page<TriggerResponse>> {
    if (!(await this.definitions.draft(groupId, workflowId))) throw new NotFoundProblem('Workflow', workflowId);
    return toPage(query, await this.triggers.page(groupId, workflowId, query.skip, query.page_size), toTriggerResponse);
  }

  async get(groupId: string, id: string): Promise<TriggerResponse> {
    return toTriggerResponse(await this.find(groupId, id));
  }

  /** Changes the given fields; the scheme of verification stays (its tolerance may change). */
  async update(groupId: string, id: string, body: UpdateTriggerBody, actor: AuditActor): Promise<TriggerResponse> {
    const nulls = NOT_NULLABLE.filter((field) => body[field] === null);
    if (nulls.length > 0) throw new ValidationProblem(nulls.map((field) => ({ field, message: 'must not be null' })));
    const current = await this.find(groupId, id);
    const verification = current.verification as Verification;
    const problems = body.input_mapping === undefined ? [] : mappingProblems(body.input_mapping);
    const changes: TriggerChanges = {
      name: body.name,
      mode: body.mode,
      inputMapping: body.input_mapping,
      enabled: body.enabled,
      callbackUrl: body.callback_url,
    };
    if (body.verification) {
      if (verification.type === 'standard_webhooks' || verification.type === 'stripe') {
        changes.verification = { ...verification, tolerance_seconds: body.verification.tolerance_seconds };
      } else {
        problems.push({
          field: 'verification.tolerance_seconds',
          message: `does not apply to verification type ${verification.type}`,
        });
      }
    }
    if (problems.length > 0) throw new ValidationProblem(problems);
    const updated = await this.triggers.update(current.id, changes, (trigger) => [
      triggerEntry(actor, 'trigger.updated', trigger, toTriggerResponse(current), toTriggerResponse(trigger)),
    ]);
    return toTriggerResponse(updated);
  }

  /** Replaces the URL's token, the signing secret, or both (the default); the old ones stop working at once. */
  async rotate(
    groupId: string,
    id: string,
    body: RotateTriggerBody,
    actor: AuditActor,
  ): Promise<TriggerCredentialsResponse> {
    const current = await this.find(groupId, id);
    const verification = current.verification as Verification;
    // An empty body rotates both; otherwise only what it names.
    const both = body.token === undefined && body.secret === undefined;
    const rotateToken = both || body.token === true;
    const rotateSecret = (both || body.secret === true) && needsSecret(verification);
    const problems: FieldProblem[] = [];
    if (body.secret === true && !needsSecret(verification)) {
      problems.push({ field: 'secret', message: 'verification type none has no secret' });
    } else if (!rotateToken && !rotateSecret) {
      problems.push({ field: 'token', message: 'nothing to rotate: set token or secret to true' });
    }
    if (body.secret_value !== undefined && !rotateSecret) {
      problems.push({ field: 'secret_value', message: 'applies only when the secret is rotated' });
    }
    problems.push(...secretProblems(verification, body.secret_value, 'secret_value'));
    if (problems.length > 0) throw new ValidationProblem(problems);
    const token = rotateToken ? newTriggerToken() : undefined;
    const secret = rotateSecret ? (body.secret_value ?? generateSecret(verification)) : null;
    const changes: TriggerChanges = {
      tokenHash: token ? hashTriggerToken(token) : undefined,
      ...(secret === null ? {} : this.secrets.seal(groupId, current.id, secret)),
    };
    // What was rotated, never the new credentials (redaction would hide fields named token or secret).
    const rotated = { rotated: [...(token ? ['token'] : []), ...(secret === null ? [] : ['secret'])] };
    const updated = await this.triggers.update(current.id, changes, (trigger) => [
      triggerEntry(actor, 'trigger.rotated', trigger, undefined, rotated),
    ]);
    return this.withCredentials(updated, token, secret);
  }

  /** Deletes the trigger; its URL answers 404 from now on, and the runs it started stay. */
  async delete(groupId: string, id: string, actor: AuditActor): Promise<void> {
    const deleted = await this.triggers.delete(groupId, id, (trigger) => [
      triggerEntry(actor, 'trigger.deleted', trigger, toTriggerResponse(trigger)),
    ]);
    if (!deleted) throw new NotFoundProblem('Trigger', id);
  }

  private async find(groupId: string, id: string): Promise<Trigger> {
    const trigger = await this.triggers.find(groupId, id);
    if (!trigger) throw new NotFoundProblem('Trigger', id);
    return trigger;
  }

  private withCredentials(
    trigger: Trigger,
    token: string | undefined,
    secret: string | null,
  ): TriggerCredentialsResponse {
    return {
      ...toTriggerResponse(trigger),
      url: token === undefined ? null : triggerUrl(this.config.publicUrl, token),
      secret,
    };
  }
}

function secretProblems(verification: Verification, secret: string | undefined, field: string): FieldProblem[] {
  if (secret === undefined) return [];
  if (!needsSecret(verification)) return [{ field, message: 'does not apply to verification type none' }];
  const problem = secretProblem(verification, secret);
  return problem ? [{ field, message: problem }] : [];
}

/** An audit row of a trigger: its settings as the API shows them, never its token or secret. */
function triggerEntry(
  actor: AuditActor,
  action: string,
  trigger: Trigger,
  before?: unknown,
  after?: unknown,
): AuditEntry {
  return { actor, groupId: trigger.groupId, action, targetType: 'trigger', targetId: trigger.id, before, after };
}
