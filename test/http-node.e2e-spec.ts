import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createWorkflow } from './support/workflows.js';

function fetchWorkflow(url: string) {
  return {
    nodes: [
      { id: 'city', type: 'InputNode', config: { label: 'city' } },
      {
        id: 'call',
        type: 'HttpRequestNode',
        config: { method: 'POST', url, body: '{"city": "((c))"}', headers: { 'Content-Type': 'application/json' } },
      },
      { id: 'status', type: 'OutputNode', config: { label: 'status' } },
      { id: 'body', type: 'OutputNode', config: { label: 'body' } },
    ],
    edges: [
      { from: { node_id: 'city', output: 'value' }, to: { node_id: 'call', input: 'c' } },
      { from: { node_id: 'call', output: 'status' }, to: { node_id: 'status', input: 'value' } },
      { from: { node_id: 'call', output: 'body' }, to: { node_id: 'body', input: 'value' } },
    ],
  };
}

describe('HttpRequestNode through a run', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    receiver.respond('/weather', (request) => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ echoed: JSON.parse(request.body), sunny: true }),
    }));
  });
  afterAll(() => receiver.close());

  describe('with OUTBOUND_ALLOW_PRIVATE=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    });
    afterAll(() => t.close());

    it('calls the server and outputs status and parsed body', async () => {
      const workflow = await createWorkflow(t.http, fetchWorkflow(receiver.url('/weather')));
      const res = await t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync?output_only=true`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { city: 'Lisbon' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 200, body: { echoed: { city: 'Lisbon' }, sunny: true } });
    });
  });

  describe('with the outbound guard on (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('fails the node with http_refused_address and never reaches the server', async () => {
      const before = receiver.on('/weather').length;
      const workflow = await createWorkflow(t.http, fetchWorkflow(receiver.url('/weather')));
      const res = await t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { city: 'Lisbon' } });
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatchObject({ node_id: 'call', type: 'http_refused_address' });
      expect(receiver.on('/weather').length).toBe(before);
    });
  });
});
