import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readmeCodeBlocks } from './support/readme.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow, failWorkflow, SEED_DEFINITION, waitWorkflow } from './support/workflows.js';

const run = promisify(execFile);

/** The curl commands between the README's search-examples markers. */
const searchExamples = () => readmeCodeBlocks('search-examples', 'bash');

describe("the README's search and bulk-stop examples, run verbatim with curl", () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  /** Failed runs of customer acme, in two workflows, newest first. */
  const acmeFailures: string[] = [];
  const waiting: Record<string, string> = {};

  const start = async (workflowId: string, metadata: Record<string, string>, input: object = {}) => {
    const res = await t.http
      .post(`/v1/workflows/${workflowId}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input, metadata });
    expect([200, 202]).toContain(res.status);
    return res.body as { id: string; status: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const since = new Date().toISOString();
    const failing = [
      await createWorkflow(t.http, failWorkflow('provider down')),
      await createWorkflow(t.http, failWorkflow('provider down')),
    ];
    const seed = await createWorkflow(t.http, SEED_DEFINITION);
    const parking = await createWorkflow(t.http, waitWorkflow(3_600_000));
    for (const workflow of [...failing, failing[0]])
      acmeFailures.unshift((await start(workflow.id, { customer: 'acme' })).id);
    await start(failing[1].id, { customer: 'globex' });
    await start(seed.id, { customer: 'acme' }, { 'User Question': 'fine' });
    waiting.acme1 = (await start(parking.id, { customer: 'acme' })).id;
    waiting.acme2 = (await start(parking.id, { customer: 'acme', plan: 'pro' })).id;
    waiting.globex = (await start(parking.id, { customer: 'globex' })).id;
    env = {
      ...process.env,
      RUNLOOM_URL: `http://127.0.0.1:${port}`,
      RUNLOOM_API_KEY: ADMIN_KEY,
      SINCE: since,
      WORKFLOW_ID: parking.id,
    };
  });
  afterAll(async () => {
    await t.http
      .post('/v1/runs/stop')
      .set('X-API-Key', ADMIN_KEY)
      .send({ status: ['waiting'] });
    await t.close();
  });

  it('has three examples', () => {
    expect(searchExamples()).toHaveLength(3);
  });

  it("1 and 2: acme's failed runs, two a page, through next_cursor", async () => {
    const first = JSON.parse((await run('bash', ['-c', searchExamples()[0]], { env })).stdout);
    expect(first.items.map((item: { id: string }) => item.id)).toEqual(acmeFailures.slice(0, 2));
    expect(first.items[0]).toMatchObject({ status: 'failed', metadata: { customer: 'acme' } });
    const second = JSON.parse(
      (await run('bash', ['-c', searchExamples()[1]], { env: { ...env, CURSOR: first.next_cursor } })).stdout,
    );
    expect(second).toEqual({ items: [expect.objectContaining({ id: acmeFailures[2] })], next_cursor: null });
  });

  it("3: stops acme's waiting runs of the workflow, and no one else's", async () => {
    expect(JSON.parse((await run('bash', ['-c', searchExamples()[2]], { env })).stdout)).toEqual({ stopped: 2 });
    const status = async (id: string) => (await t.http.get(`/v1/runs/${id}`).set('X-API-Key', ADMIN_KEY)).body.status;
    expect([await status(waiting.acme1), await status(waiting.acme2), await status(waiting.globex)]).toEqual([
      'stopped',
      'stopped',
      'waiting',
    ]);
    expect(JSON.parse((await run('bash', ['-c', searchExamples()[2]], { env })).stdout)).toEqual({ stopped: 0 });
  });
});
