import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runloomClient, runSample } from '../examples/typed-client.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

// examples/typed-client.ts is compiled by `npm run contract` against the generated types; here it
// runs against a live server.
describe('the typed example client (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => t.close());

  it('stores and runs the sample workflow, reads its lists, finds a run by metadata, and gets a typed problem', async () => {
    const result = await runSample(runloomClient(base, ADMIN_KEY), 'What is a DAG?');
    expect(result.run).toMatchObject({ status: 'completed', error: null, output: { Answer: 'What is a DAG? — ' } });
    expect(result.output).toEqual({ Answer: 'What is a DAG? — typed' });
    expect(result.runIds).toHaveLength(2);
    expect(result.runIds).toContain(result.run.id);
    expect(result.labelledRunIds).toEqual([result.run.id]);
    expect(result.nodeStatuses).toEqual({
      question: 'completed',
      context: 'completed',
      prompt: 'completed',
      answer: 'completed',
    });
    expect(result.missingRun).toMatchObject({
      status: 404,
      title: 'Not Found',
      type: 'https://runloom.dev/problems/not-found',
    });
  });
});
