import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readmeCodeBlocks } from './support/readme.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

const run = promisify(execFile);

describe("the README's webhook trigger examples, run verbatim with curl and openssl", () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  let blocks: string[];

  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEY: 'c'.repeat(64) });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const workflow = await createWorkflow(t.http);
    env = { ...process.env, KEY: ADMIN_KEY, WF: workflow.id };
    // The README says localhost:3000; the test's server listens elsewhere.
    blocks = readmeCodeBlocks('trigger-examples', 'bash').map((block) =>
      block.replaceAll('localhost:3000', `127.0.0.1:${port}`),
    );
  });
  afterAll(() => t.close());

  it('creates a GitHub trigger, then delivers a signed push that queues a run', async () => {
    expect(blocks).toHaveLength(2);
    const created = JSON.parse((await run('bash', ['-c', blocks[0]], { env })).stdout);
    expect(created).toMatchObject({ url: expect.stringMatching(/^\/v1\/hooks\//), verification: { type: 'github' } });
    const delivered = await run('bash', ['-c', blocks[1]], {
      env: { ...env, SECRET: created.secret, URL: created.url },
    });
    const queued = JSON.parse(delivered.stdout);
    expect(queued).toMatchObject({ trigger_id: created.id, input: { 'User Question': 'fix the build' } });
  });
});
