import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readmeCodeBlocks } from './support/readme.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

/** The JSON definitions between the README's policy-examples markers. */
const policyExamples = () => readmeCodeBlocks('policy-examples', 'json');

const SUMMARISE = {
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'dict' } },
    { id: 'summary', type: 'TransformNode', config: { expression: "'summary of ' & title" } },
    { id: 'out', type: 'OutputNode', config: { label: 'summary' } },
  ],
  edges: [
    { from: { node_id: 'item', output: 'value' }, to: { node_id: 'summary', input: 'data' } },
    { from: { node_id: 'summary', output: 'result' }, to: { node_id: 'out', input: 'value' } },
  ],
};

describe("the README's retry, sub-workflow and map examples", () => {
  let t: TestApp;
  let flaky: Server;
  let calls = 0;
  let flakyUrl: string;
  let summariseId: string;
  const runExample = async (index: number, input: Record<string, unknown>) => {
    const json = policyExamples()[index].replaceAll('FLAKY_URL', flakyUrl).replaceAll('SUMMARISE_ID', summariseId);
    const workflow = await createWorkflow(t.http, JSON.parse(json));
    const res = await t.http.post(`/v1/workflows/${workflow.id}/runs/sync`).set('X-API-Key', ADMIN_KEY).send({ input });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    flaky = createServer((_req, res) => {
      calls++;
      res.writeHead(calls % 3 === 0 ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ calls }));
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/weather`;
    summariseId = (await createWorkflow(t.http, SUMMARISE)).id;
  });
  afterAll(async () => {
    flaky.close();
    await t.close();
  });

  it('has three examples', () => {
    expect(policyExamples()).toHaveLength(3);
  });

  it('1: a flaky HTTP call succeeds on its third attempt', async () => {
    const run = await runExample(0, {});
    expect(run).toMatchObject({ status: 'completed', output: { body: { calls: 3 } } });
  });

  it('2: a sub-workflow reused through WorkflowNode', async () => {
    const run = await runExample(1, { doc: { title: 'graphs' } });
    expect(run.output).toEqual({ summary: 'summary of graphs' });
  });

  it('3: summarise each document with MapNode', async () => {
    const documents = Array.from({ length: 12 }, (_, i) => ({ title: `doc ${i}` }));
    const run = await runExample(2, { documents });
    expect(run.output).toEqual({
      summaries: documents.map((doc) => ({ summary: `summary of ${doc.title}` })),
      failures: [],
    });
  });
});
