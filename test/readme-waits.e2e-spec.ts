import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readmeCodeBlocks } from './support/readme.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';
import { createWorkflow } from './support/workflows.js';

/** The definition between the README's wait-examples markers. */
const approvalExample = () => readmeCodeBlocks('wait-examples', 'json')[0];

describe("the README's approve-before-sending example", () => {
  let t: TestApp;
  let mailer: Server;
  let mailerUrl: string;
  const sent: { url: string; body: string }[] = [];
  let workflowId: string;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    mailer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        sent.push({ url: req.url!, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"queued":true}');
      });
    });
    await new Promise<void>((resolve) => mailer.listen(0, '127.0.0.1', resolve));
    mailerUrl = `http://127.0.0.1:${(mailer.address() as AddressInfo).port}`;
    workflowId = (await createWorkflow(t.http, JSON.parse(approvalExample().replaceAll('SEND_URL', mailerUrl)))).id;
  });
  afterAll(async () => {
    await new Promise((resolve) => mailer.close(resolve));
    await t.close();
  });

  /** Starts the example as the README does (sync: 202 at once) and returns the run and its resume link. */
  const start = async (newsletter: string) => {
    const created = await t.http
      .post(`/v1/workflows/${workflowId}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { newsletter } });
    expect(created.status).toBe(202);
    expect(created.body.status).toBe('waiting');
    const nodes = (await t.http.get(`/v1/runs/${created.body.id}/nodes`).set('X-API-Key', ADMIN_KEY)).body.items;
    const approval = nodes.find((node: { node_id: string }) => node.node_id === 'approval');
    return { runId: created.body.id as string, resumeUrl: approval.resume_url as string };
  };
  const finished = (runId: string) =>
    waitFor(async () => {
      const run = (await t.http.get(`/v1/runs/${runId}`).set('X-API-Key', ADMIN_KEY)).body;
      return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
    }, 10_000);

  it('sends nothing until a person approves through the link, then sends once', async () => {
    const { runId, resumeUrl } = await start('2026-12');
    await sleep(300);
    expect(sent).toEqual([]);
    const approved = await t.http.post(resumeUrl).send({ payload: { approved: true, by: 'ana' } });
    expect(approved.status).toBe(202);
    const run = await finished(runId);
    expect(run).toMatchObject({ status: 'completed', output: { sent: 200 } });
    expect(sent.map(({ url, body }) => ({ url, body: JSON.parse(body) }))).toEqual([
      { url: '/newsletters/2026-12/send', body: { approved: true, by: 'ana' } },
    ]);
  }, 30_000);

  it('a rejection skips the send and the run completes without `sent`', async () => {
    sent.length = 0;
    const { runId } = await start('2027-01');
    const rejected = await t.http
      .post(`/v1/runs/${runId}/signals/approval`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ payload: { approved: false, by: 'bo' } });
    expect(rejected.status).toBe(202);
    expect(await finished(runId)).toMatchObject({ status: 'completed', output: {} });
    expect(sent).toEqual([]);
  }, 30_000);
});
