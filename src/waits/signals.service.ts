import { Inject, Injectable } from '@nestjs/common';
import { isFinishedStatus } from '../common/run-status.js';
import { ConflictProblem, NotFoundProblem, Problem, ValidationProblem } from '../common/problem.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import type { JsonSchema } from '../execution/node-type.js';
import { payloadProblems } from '../execution/payload-schema.js';
import type { SignalAcceptedResponse } from './dto/signal.dto.js';
import { redact } from '../common/redact.js';
import { hashToken } from './resume-links.js';
import { signalNodesOf } from './signal-nodes.js';
import { INSERT_LINKED_SIGNAL, INSERT_SIGNAL, LINKED_WAIT, SIGNALLED_RUN, WAKE_IF_DUE } from './waits.sql.js';

/** A resume link that was used, or whose wait is over: it never works again. */
export class ResumeLinkGoneProblem extends Problem {
  constructor(detail: string) {
    super(410, 'resume-link-gone', 'Gone', detail);
  }
}

/**
 * Signals sent to runs: stored in arrival order, taken by the run's SignalNodes of their name
 * (oldest first) when it resumes, and the waiting run woken at once. Through the API (a key of the
 * run's group) or a waiting node's resume link (no key: the link is the credential).
 */
@Injectable()
export class SignalsService {
  constructor(@Inject(PG_POOL) private readonly pool: PgPool) {}

  async send(
    groupId: string,
    runId: string,
    name: string,
    payload: unknown,
    keyId: string,
  ): Promise<SignalAcceptedResponse> {
    const run = (await this.pool.query<{ status: string; definition: unknown }>(SIGNALLED_RUN, [runId, groupId]))
      .rows[0];
    if (!run) throw new NotFoundProblem('Run', runId);
    if (isFinishedStatus(run.status)) throw finished(run.status);
    const receivers = signalNodesOf(run.definition).filter((node) => node.name === name);
    if (receivers.length === 0) {
      throw new ValidationProblem(
        [{ field: 'name', message: `the run's workflow has no SignalNode waiting for "${name}"` }],
        'No node of this run would ever take the signal.',
      );
    }
    for (const receiver of receivers) checkPayload(receiver.schema, payload, receiver.id);
    const stored = (
      await this.pool.query<{ status: string; id: string | null; created_at: Date }>(INSERT_SIGNAL, [
        runId,
        name,
        json(payload),
        keyId,
        audited(payload),
      ])
    ).rows[0];
    // It finished since it was read.
    if (stored.id === null) throw finished(stored.status);
    await this.pool.query(WAKE_IF_DUE, [runId]);
    return { run_id: runId, name, id: String(stored.id), received_at: stored.created_at.toISOString() };
  }

  /** Sends the signal a waiting SignalNode's resume link stands for; usable once, while the node waits. */
  async resume(token: string, payload: unknown): Promise<SignalAcceptedResponse> {
    const wait = await this.linkedWait(token);
    checkPayload(wait.schema, payload, wait.node_id);
    const stored = (
      await this.pool.query<{ id: string; created_at: Date }>(INSERT_LINKED_SIGNAL, [
        wait.run_id,
        wait.waiting_for,
        json(payload),
        wait.node_id,
        audited(payload),
      ])
    ).rows[0];
    if (!stored) throw new ResumeLinkGoneProblem('This resume link was used already: the node has its signal.');
    await this.pool.query(WAKE_IF_DUE, [wait.run_id]);
    return {
      run_id: wait.run_id,
      name: wait.waiting_for!,
      id: String(stored.id),
      received_at: stored.created_at.toISOString(),
    };
  }

  /** What a resume link's page shows: the signal awaited and its schema; 404/410 as `resume` would answer. */
  async describeLink(token: string): Promise<{ name: string; schema?: JsonSchema; waitingUntil: Date | null }> {
    const wait = await this.linkedWait(token);
    return { name: wait.waiting_for!, schema: wait.schema, waitingUntil: wait.waiting_until };
  }

  /** The wait a resume link stands for, with its node's payload schema; 404 or 410 when it cannot be used. */
  private async linkedWait(token: string): Promise<LinkedWait & { schema?: JsonSchema }> {
    const wait = (await this.pool.query<LinkedWait>(LINKED_WAIT, [hashToken(token)])).rows[0];
    if (!wait) throw new NotFoundProblem('Resume link');
    if (isFinishedStatus(wait.run_status))
      throw new ResumeLinkGoneProblem(`The run has finished (${wait.run_status}).`);
    if (wait.status !== 'waiting' || wait.waiting_for === null) {
      throw new ResumeLinkGoneProblem('This resume link was used already: the node is no longer waiting.');
    }
    if (wait.waiting_until !== null && wait.waiting_until.getTime() <= Date.now()) {
      throw new ResumeLinkGoneProblem(`This resume link expired at ${wait.waiting_until.toISOString()}.`);
    }
    return { ...wait, schema: signalNodesOf(wait.definition).find((node) => node.id === wait.node_id)?.schema };
  }
}

interface LinkedWait {
  run_id: string;
  node_id: string;
  status: string;
  waiting_until: Date | null;
  waiting_for: string | null;
  run_status: string;
  definition: unknown;
}

function finished(status: string): ConflictProblem {
  return new ConflictProblem(`The run has finished (${status}); it takes no more signals.`, { run_status: status });
}

function checkPayload(schema: JsonSchema | undefined, payload: unknown, nodeId: string): void {
  if (schema === undefined) return;
  const problems = payloadProblems(schema, payload);
  if (problems.length === 0) return;
  throw new ValidationProblem(
    problems.map((message) => ({ field: 'payload', message })),
    `The payload does not match the schema of SignalNode "${nodeId}".`,
  );
}

/** A payload as a jsonb parameter: JSON null for an absent one. */
function json(payload: unknown): string {
  return JSON.stringify(payload ?? null);
}

/** What the audit row of a signal shows of its payload: redacted, never a credential it carries. */
function audited(payload: unknown): string {
  return JSON.stringify({ payload: redact(payload) });
}
