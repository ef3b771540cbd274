import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fallbackSandbox } from '../node-services.js';
import { startFakeChatServer, type FakeChatServer } from '../llm/testing/fake-chat-server.js';
import { builtInNodeTypes } from '../nodes/index.js';
import { recordingHooks, runWorkflow, statuses } from './testing/run-workflow.js';
import { workflow } from './testing/step-node.js';

const answer = workflow(
  {
    question: { type: 'InputNode', config: { label: 'question' } },
    llm: { type: 'TextGenerationNode', config: { template: 'Q: ((q))' } },
    shout: { type: 'CodeNode', config: { code: 'return text.toUpperCase()', inputs: ['text'] } },
    out: { type: 'OutputNode', config: { label: 'answer' } },
  },
  ['question.value -> llm.q', 'llm.text -> shout.text', 'shout.result -> out.value'],
);

describe('DagRunner with TextGenerationNode and CodeNode', () => {
  let server: FakeChatServer;
  let services: { llm: { baseUrl: string; defaultModel: string } };

  beforeAll(async () => {
    server = await startFakeChatServer();
    services = { llm: { baseUrl: server.baseUrl, defaultModel: 'm' } };
  });
  afterAll(async () => {
    await server.close();
    await fallbackSandbox().close();
  });

  it('hands RunOptions.services to the nodes and publishes the deltas through onDelta', async () => {
    server.replies.push({ stream: ['a ', 'dag'] });
    const hooks = recordingHooks();
    const result = await runWorkflow(answer, builtInNodeTypes, {
      input: { question: 'what?' },
      hooks,
      options: { services },
    });
    expect(result).toMatchObject({ status: 'completed', output: { answer: 'A DAG' } });
    expect(hooks.events.filter((event) => event.startsWith('delta'))).toEqual([
      'delta llm {"text":"a "}',
      'delta llm {"text":"dag"}',
    ]);
  });

  it('runs without services: the TextGenerationNode fails with llm_not_configured', async () => {
    const result = await runWorkflow(answer, builtInNodeTypes, { input: { question: 'what?' } });
    expect(result.error).toMatchObject({ node_id: 'llm', type: 'llm_not_configured' });
  });

  it('stopping the run aborts the provider stream at once', async () => {
    server.replies.push({ stream: ['still ', 'thinking'], hold: true });
    const controller = new AbortController();
    const hooks = recordingHooks();
    const disconnected = server.nextDisconnect();
    const run = runWorkflow(answer, builtInNodeTypes, {
      input: { question: 'what?' },
      hooks,
      options: { services, signal: controller.signal },
    });
    while (!hooks.events.includes('delta llm {"text":"thinking"}')) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const result = await run;
    await disconnected;
    expect(result.status).toBe('stopped');
    expect(statuses(result)).toMatchObject({ llm: 'stopped', shout: 'pending' });
  });
});
