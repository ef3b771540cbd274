import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readmeCodeBlocks } from './support/readme.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

const run = promisify(execFile);

/** The curl commands between the README's seed-examples markers. */
const seedExamples = () => readmeCodeBlocks('seed-examples', 'bash');

describe("the README's sync-run examples, run verbatim with curl", () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const workflow = await createWorkflow(t.http);
    env = {
      ...process.env,
      RUNLOOM_URL: `http://127.0.0.1:${port}`,
      RUNLOOM_API_KEY: ADMIN_KEY,
      WORKFLOW_ID: workflow.id,
    };
  });
  afterAll(() => t.close());

  it('has three examples', () => {
    expect(seedExamples()).toHaveLength(3);
  });

  it('1: the full run object', async () => {
    const { stdout } = await run('bash', ['-c', seedExamples()[0]], { env });
    expect(JSON.parse(stdout)).toMatchObject({
      status: 'completed',
      output: { Answer: 'What is a DAG? — graph theory' },
      error: null,
    });
  });

  it('2: output only, with the Context default', async () => {
    const { stdout } = await run('bash', ['-c', seedExamples()[1]], { env });
    expect(JSON.parse(stdout)).toEqual({ Answer: 'What is a DAG? — ' });
  });

  it('3: one node alone, by connector names', async () => {
    const { stdout } = await run('bash', ['-c', seedExamples()[2]], { env });
    expect(JSON.parse(stdout)).toEqual({ text: 'What is a DAG? — graphs' });
  });
});
