import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { documentedExamples, operationById, type DocumentedOperation } from './support/openapi-examples.js';
import { useTestAppAndDatabase } from './support/test-app-and-database.js';
import { ADMIN_KEY } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/**
 * Swagger UI's examples, sent as a user of /docs would: the example workflow created from the
 * create example, then every request example of the workflow, run, schedule and secret operations
 * against it, unedited, with only path parameters filled in. Everything is read from the served
 * document, so an example that stops fitting the example workflow fails here.
 */

/** Operations with a body whose example cannot run against the example workflow, and why. */
const NOT_IN_SEQUENCE = {
  sendSignal: 'needs a run waiting at a SignalNode; the example workflow has none',
  resumeWaitingNode: 'needs the token of a run waiting at a SignalNode',
};
const SCOPE = new Set(['workflows', 'runs', 'schedules', 'secrets']);
const FINISHED = new Set(['completed', 'failed', 'stopped']);

let suite: ReturnType<typeof useTestAppAndDatabase>;
let document: OpenAPIObject;
const ids: Record<string, string> = {};
/** `operationId/example name` of every example sent. */
const sent = new Set<string>();

type Answer = { status: number; body: Record<string, unknown> };

/** Sends one documented example with the path parameters in `ids`; an example named after a query parameter sets it. */
async function send(operation: DocumentedOperation, name: string, body: unknown): Promise<Answer> {
  sent.add(`${operation.operationId}/${name}`);
  const path = operation.path.replace(/\{(\w+)\}/g, (_, param: string) => ids[param]);
  const query = operation.queryParameters.includes(name) ? `?${name}=true` : '';
  const res = await suite.t.http[operation.method](`${path}${query}`)
    .set('X-API-Key', ADMIN_KEY)
    .send(body as object);
  return { status: res.status, body: res.body };
}

async function sendEach(operationId: string, check: (answer: Answer, name: string) => Promise<void> | void) {
  const operation = operationById(document, operationId);
  const examples = documentedExamples(operation);
  expect(examples.length).toBeGreaterThan(0);
  for (const [name, body] of examples) {
    const answer = await send(operation, name, body);
    const example = `${operationId}/${name}`;
    expect({ example, answer: answer.status < 300 ? 'success' : answer }).toEqual({ example, answer: 'success' });
    await check(answer, name);
  }
}

async function finished(runId: string): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const res = await suite.t.http.get(`/v1/runs/${runId}`).set('X-API-Key', ADMIN_KEY);
    return FINISHED.has(res.body.status) ? res.body : undefined;
  }, 15_000);
}

function expectCompleted(run: Record<string, unknown>): void {
  expect(run).toMatchObject({ status: 'completed', error: null });
}

describe('the examples of /docs, in sequence and unedited', () => {
  suite = useTestAppAndDatabase({ SECRETS_KEY: randomBytes(32).toString('base64') });

  it('serves the document', async () => {
    document = (await suite.t.http.get('/docs-json')).body;
  });

  it('creates the example workflow from the create example', async () => {
    await sendEach('createWorkflow', (answer) => {
      expect(answer.status).toBe(201);
      ids.workflow_id = answer.body.id as string;
    });
    const [[, example]] = documentedExamples(operationById(document, 'createWorkflow'));
    const created = await suite.t.http.get(`/v1/workflows/${ids.workflow_id}`).set('X-API-Key', ADMIN_KEY);
    expect(created.body.definition).toEqual((example as { definition: unknown }).definition);
  });

  it('validates, updates, pins a sample input and snapshots a version of it', async () => {
    await sendEach('validateDefinition', (answer) => expect(answer.body).toMatchObject({ valid: true, errors: [] }));
    await sendEach('updateWorkflow', (answer) => expect(answer.body.revision).toBe(2));
    await sendEach('setSampleInput', (answer) => expect(answer.body.input).toBeDefined());
    await sendEach('createVersion', (answer) => {
      expect(answer.body.number).toBe(1);
      ids.version_id = answer.body.id as string;
    });
  });

  it('runs every sync-run example to completion', async () => {
    await sendEach('runSync', (answer, name) => {
      expect(answer.status).toBe(200);
      if (name === 'output_only') return expect(answer.body).toEqual({ Answer: 'What is a DAG? — ' });
      expectCompleted(answer.body);
      ids.run_id ??= answer.body.id as string;
    });
  });

  it('queues every async-run example, and each completes', async () => {
    await sendEach('runAsync', async (answer) => {
      expect(answer.status).toBe(202);
      expectCompleted(await finished(answer.body.id as string));
    });
  });

  it('replays a run, and retries one that failed, with their examples', async () => {
    await sendEach('replayRun', async (answer) => expectCompleted(await finished(answer.body.id as string)));
    // Runs of the example workflow never fail; a retry needs a failed (or stopped) source run.
    await suite.db.query(`UPDATE runs SET status = 'failed' WHERE id = $1`, [ids.run_id]);
    await sendEach('retryRun', async (answer) => {
      const retry = await finished(answer.body.id as string);
      expectCompleted(retry);
      expect(retry.retry_of).toBe(ids.run_id);
    });
    await sendEach('stopRuns', (answer) => expect(answer.body).toEqual({ stopped: 0 }));
  });

  it('schedules the workflow and pauses the schedule', async () => {
    await sendEach('createSchedule', (answer) => {
      expect(answer.body).toMatchObject({ workflow_id: ids.workflow_id, enabled: true });
      ids.schedule_id = answer.body.id as string;
    });
    await sendEach('updateSchedule', (answer) => expect(answer.body.enabled).toBe(false));
  });

  it('sets a secret', async () => {
    ids.name = 'API_TOKEN';
    await sendEach('setSecret', (answer) => expect(answer.body.name).toBe('API_TOKEN'));
  });

  it('imports the example document and the example bundle', async () => {
    await sendEach('importWorkflows', (answer) => {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ dry_run: false });
      expect((answer.body.workflows as unknown[]).length).toBeGreaterThan(0);
    });
  });

  it('has sent every request example of these operations, each given whole', () => {
    const expected = Object.values(document.paths).flatMap((item) =>
      Object.values(item as Record<string, DocumentedOperation['operation']>)
        .filter((operation) => operation.requestBody && SCOPE.has(operation.tags?.[0] ?? ''))
        .filter((operation) => !(operation.operationId! in NOT_IN_SEQUENCE))
        .flatMap((operation) => {
          const examples = documentedExamples(operationById(document, operation.operationId!));
          // A body without examples would be one Swagger UI makes up: placeholders the API refuses.
          return examples.length
            ? examples.map(([name]) => `${operation.operationId}/${name}`)
            : [operation.operationId];
        }),
    );
    expect([...sent].sort()).toEqual(expected.sort());
  });
});
