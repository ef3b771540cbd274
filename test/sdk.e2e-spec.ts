import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CallbackVerificationError,
  Runloom,
  RunloomError,
  verifyCallback,
  type RunEvent,
} from '../clients/typescript/src/index.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { delayWorkflow, SEED_DEFINITION, SIGNAL_WORKFLOW } from './support/workflows.js';

// The SDK (clients/typescript) against the real server listening on loopback.
describe('the TypeScript SDK against a live server', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let client: Runloom;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    client = new Runloom({ baseUrl: `http://127.0.0.1:${port}`, apiKey: ADMIN_KEY });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const createWorkflow = (definition: object, name = 'sdk workflow') =>
    client.workflows.create({ name, definition: definition as Record<string, unknown> });

  it('creates, reads, updates and lists workflows', async () => {
    const workflow = await createWorkflow(SEED_DEFINITION, 'Beginner answers');
    expect(await client.workflows.get(workflow.id)).toEqual(workflow);
    const renamed = await client.workflows.update(workflow.id, { name: 'Answers' }, { ifMatch: workflow.revision });
    expect(renamed).toMatchObject({ name: 'Answers', revision: workflow.revision + 1 });
    const stale = await client.workflows
      .update(workflow.id, { name: 'x' }, { ifMatch: workflow.revision })
      .catch((e) => e);
    expect(stale).toBeInstanceOf(RunloomError);
    expect(stale.status).toBe(412);
    const page = await client.workflows.list({ page_size: 100 });
    expect(page.items.map((item) => item.id)).toContain(workflow.id);
  });

  it('finds a workflow by slug and search, exports it and imports it again (a dry run first, then nothing to change)', async () => {
    const workflow = await client.workflows.create({
      name: 'Exported answers',
      slug: 'exported-answers',
      definition: SEED_DEFINITION as Record<string, unknown>,
    });
    expect((await client.workflows.list({ slug: 'exported-answers' })).items.map((w) => w.id)).toEqual([workflow.id]);
    expect((await client.workflows.list({ q: 'EXPORTED' })).items.map((w) => w.id)).toContain(workflow.id);
    const document = await client.workflows.export(workflow.id);
    expect(document).toMatchObject({ runloom: 'workflow/v1', slug: 'exported-answers', definition: SEED_DEFINITION });
    const planned = await client.workflows.import(document, { dryRun: true });
    expect(planned).toMatchObject({ dry_run: true, workflows: [{ slug: 'exported-answers', action: 'unchanged' }] });
    const renamed = await client.workflows.import({ ...document, name: 'Imported answers' });
    expect(renamed.workflows[0]).toMatchObject({ workflow_id: workflow.id, action: 'updated' });
    expect((await client.workflows.get(workflow.id)).name).toBe('Imported answers');
    const refused = await client.workflows.import({ ...document, slug: null }).catch((e) => e);
    expect(refused).toBeInstanceOf(RunloomError);
    expect(refused.status).toBe(422);
  });

  it('runSync answers the finished run; a typed request reads its node runs', async () => {
    const workflow = await createWorkflow(SEED_DEFINITION);
    const run = await client.runSync(workflow.id, { 'User Question': 'What is a DAG?' }, { metadata: { via: 'sdk' } });
    expect(run).toMatchObject({
      status: 'completed',
      output: { Answer: 'What is a DAG? — ' },
      metadata: { via: 'sdk' },
    });
    const nodes = await client.request('GET', '/v1/runs/{run_id}/nodes', { path: { run_id: run.id } });
    expect(nodes.items.map((node) => node.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });

  it('runAsync: events() streams every event to the final one, wait() answers the run, listRuns finds it', async () => {
    const workflow = await createWorkflow(delayWorkflow(300));
    const handle = await client.runAsync(workflow.id, { start: 'go' }, { metadata: { batch: 'b1' } });

    const events: RunEvent[] = [];
    for await (const event of handle.events()) events.push(event);
    const run = await handle.wait({ timeoutMs: 10_000 });

    expect(events.map((event) => event.type)).toContain('node.completed');
    expect(events.at(-1)!.type).toBe('run.completed');
    expect(events.every((event) => event.data.run_id === handle.id)).toBe(true);
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(run).toMatchObject({ id: handle.id, status: 'completed', output: { done: 'go' } });
    // Resumed after the final event: nothing more.
    const after = [];
    for await (const event of handle.events({ after: events.at(-1)!.id })) after.push(event);
    expect(after).toEqual([]);

    const found = [];
    for await (const listed of client.listRuns({ metadata: { batch: 'b1' }, limit: 1 })) found.push(listed.id);
    expect(found).toEqual([handle.id]);
  });

  it('a refused request is a RunloomError with the problem fields and errors[]', async () => {
    const error = await createWorkflow({ nodes: [{ id: 'x', type: 'NoSuchNode', config: {} }], edges: [] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RunloomError);
    const problem = error as RunloomError;
    expect(problem.status).toBe(422);
    expect(problem.type).toMatch(/^https:\/\/runloom\.dev\/problems\//);
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(problem.errors[0]).toEqual({ field: expect.any(String), message: expect.any(String) });
    expect(problem.requestId).toEqual(expect.any(String));

    const missing = await client
      .run('00000000-0000-4000-8000-000000000000')
      .get()
      .catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('stop() stops a running run; wait() then answers it stopped', async () => {
    const workflow = await createWorkflow(delayWorkflow(20_000));
    const handle = await client.runAsync(workflow.id, {});
    await handle.stop();
    expect(await handle.wait({ timeoutMs: 10_000 })).toMatchObject({ status: 'stopped' });
  });

  it('signal() resumes a run waiting at a SignalNode with its payload', async () => {
    const workflow = await createWorkflow(SIGNAL_WORKFLOW);
    const handle = await client.runAsync(workflow.id, { start: 1 });
    const accepted = await handle.signal('approval', { approved: true });
    expect(accepted).toMatchObject({ run_id: handle.id, name: 'approval' });
    expect(await handle.wait({ timeoutMs: 10_000 })).toMatchObject({
      status: 'completed',
      output: { answer: { approved: true } },
    });
  });

  it('verifyCallback accepts the server’s signed callback and refuses it tampered', async () => {
    const group = await client.request('GET', '/v1/groups/{group_id}', { path: { group_id: t.defaultGroupId } });
    const secret = String(group.webhook_secret);
    const workflow = await createWorkflow(SEED_DEFINITION);
    const run = await client.runSync(workflow.id, { 'User Question': 'hi' }, { callback_url: receiver.url('/sdk') });

    const [request] = await receiver.waitFor('/sdk', 1);
    const payload = await verifyCallback({ secret, headers: request!.headers, body: request!.body });
    expect(payload).toMatchObject({ type: 'run.completed', data: { id: run.id, status: 'completed' } });
    await expect(
      verifyCallback({ secret, headers: request!.headers, body: request!.body.replace('completed', 'failed') }),
    ).rejects.toBeInstanceOf(CallbackVerificationError);
  });
});
