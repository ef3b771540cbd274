/**
 * The console in a real browser (Debian's Chromium driven by playwright-core): run by
 * `npm run test:browser`, once in CI. Screenshots go to test-output/.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { startFakeChatServer, type FakeChatServer } from '../src/execution/llm/testing/fake-chat-server.js';
import { seriousAccessibilityViolations } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createWorkflow, delayWorkflow, edge, SEED_DEFINITION } from './support/workflows.js';

const STEP_TIMEOUT = 15_000;

const SUMMARY = {
  nodes: [
    { id: 'article', type: 'InputNode', config: { label: 'article', type: 'str' } },
    { id: 'summarise', type: 'TextGenerationNode', config: { template: 'Summarise: ((article))', model: 'fake' } },
    { id: 'summary', type: 'OutputNode', config: { label: 'summary' } },
  ],
  edges: [
    { from: { node_id: 'article', output: 'value' }, to: { node_id: 'summarise', input: 'article' } },
    { from: { node_id: 'summarise', output: 'text' }, to: { node_id: 'summary', input: 'value' } },
  ],
};

/** start → SignalNode `approval` (its payload must say whether it is approved) → OutputNode `answer`. */
const APPROVAL = {
  nodes: [
    { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
    {
      id: 'approval',
      type: 'SignalNode',
      config: {
        name: 'approval',
        schema: {
          type: 'object',
          required: ['approved'],
          properties: { approved: { type: 'boolean' }, note: { type: 'string' } },
        },
      },
    },
    { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
  ],
  edges: [edge('start.value', 'approval.value'), edge('approval.payload', 'answer.value')],
};

describeInBrowser('the console in a browser', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  let llm: FakeChatServer;
  let receiver: WebhookReceiver;
  const requestedUrls: string[] = [];
  beforeAll(async () => {
    llm = await startFakeChatServer();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await llm?.close();
    await receiver?.close();
  });
  // The callback receiver is on loopback.
  const session = useConsoleInBrowser({
    env: () => ({ LLM_BASE_URL: llm.baseUrl, OUTBOUND_ALLOW_PRIVATE: 'true' }),
    signIn: false,
  });
  beforeAll(() => {
    ({ t, page, base } = session);
    page.on('request', (request) => requestedUrls.push(request.url()));
  });

  const api = (method: 'get' | 'post', path: string, body?: object) =>
    t.http[method](path)
      .set('X-API-Key', ADMIN_KEY)
      .send(body as object);

  async function expectAccessible(): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  it('refuses a wrong key, signs in with a right one kept for the tab only, and searches workflows', async () => {
    await createWorkflow(t.http, SEED_DEFINITION, { name: 'Beginner answers' });
    await createWorkflow(t.http, delayWorkflow(60_000), { name: 'Slow delay' });
    await page.goto(`${base}/console/`);
    await expectAccessible();
    await page.getByLabel('API key').fill('rl_WrongKey00000000000000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This API key is not valid').waitFor();

    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Beginner answers' }).waitFor();
    await page.getByLabel('Search').fill('slow');
    await page.getByRole('link', { name: 'Beginner answers' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Slow delay' }).waitFor();
    await expectAccessible();
    // The server searches slugs too (?q=), once typing pauses.
    await api('post', '/v1/workflows', { name: 'Digest', slug: 'nightly-digest', definition: SEED_DEFINITION });
    await page.getByLabel('Search').fill('NIGHTLY-dig');
    await page.getByRole('link', { name: 'Digest' }).waitFor();
    await page.getByRole('cell', { name: 'nightly-digest' }).waitFor();
    expect(requestedUrls.some((url) => url.includes('/v1/workflows?page_size=100&q=NIGHTLY-dig'))).toBe(true);

    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('runloom.apiKey'),
      local: Object.keys(localStorage).length,
    }));
    expect(stored).toEqual({ session: ADMIN_KEY, local: 0 });
  });

  it("acts in the group chosen among the key's groups", async () => {
    const other = (await api('post', '/v1/groups', { name: 'Elsewhere' })).body.id as string;
    await createWorkflow(t.http, SEED_DEFINITION, { name: 'Only in Elsewhere', groupId: other });
    await page.goto(`${base}/console/`);
    await page.getByRole('link', { name: 'Beginner answers' }).waitFor();
    await page.getByLabel('Group').selectOption({ label: 'Elsewhere' });
    await page.getByRole('link', { name: 'Only in Elsewhere' }).waitFor();
    expect(await page.getByRole('link', { name: 'Beginner answers' }).count()).toBe(0);
    await page.getByLabel('Group').selectOption({ label: 'default (default)' });
    await page.getByRole('link', { name: 'Beginner answers' }).waitFor();
  });

  it('starts a run from the form built from the InputNodes and watches its nodes complete', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Form run' });
    await page.goto(`${base}/console/workflows/${workflow.id}`);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByLabel(/^User Question/).fill('What is a DAG?');
    await expect(page.getByLabel(/^Context/).inputValue()).resolves.toBe('');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/console\/runs\/[0-9a-f-]{36}$/);
    for (const node of ['question', 'context', 'prompt', 'answer']) {
      await page.locator(`[data-testid="graph-node-${node}"][data-status="completed"]`).waitFor();
    }
    await page.getByTestId('run-output').getByText('What is a DAG? — ').waitFor();
    // By keyboard: a graph node takes focus and Enter opens its details, as does the node table's button.
    await page.getByRole('group', { name: /^answer \(OutputNode\)/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Node answer/ }).waitFor();
    await page.getByRole('button', { name: 'prompt', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.node-details').getByText('"text": "What is a DAG? — "').waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/console-run.png`, fullPage: true });
    await expectAccessible();

    const runId = page.url().split('/').pop()!;
    expect((await api('get', `/v1/runs/${runId}`)).body).toMatchObject({
      status: 'completed',
      input: { 'User Question': 'What is a DAG?' },
    });
  });

  it('shows input the API refuses (422) next to its field, then runs it synchronously', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Missing input' });
    await page.goto(`${base}/console/workflows/${workflow.id}`);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByText('missing input "User Question" (type str)').first().waitFor();
    expect(page.url()).toBe(`${base}/console/workflows/${workflow.id}`);

    // Fixed, and run synchronously: the run view opens on the finished run.
    await page.getByLabel(/^User Question/).fill('now');
    await page.getByRole('radio', { name: /Sync/ }).check();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/console\/runs\//);
    await page.getByTestId('run-output').getByText('now — ').waitFor();
  });

  it('stops a long run with the stop button', async () => {
    const workflow = await createWorkflow(t.http, delayWorkflow(600_000), { name: 'Long' });
    await page.goto(`${base}/console/workflows/${workflow.id}`);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/console\/runs\//);
    // A DelayNode of more than a minute parks the run: the node waits until its time.
    const wait = page.locator('[data-testid="graph-node-wait"][data-status="waiting"]');
    await wait.locator('.card-wait', { hasText: /^until / }).waitFor();
    await page.getByRole('heading', { level: 1, name: /waiting/ }).waitFor();
    await page.getByRole('button', { name: 'Stop run' }).click();
    await page.getByRole('heading', { name: /stopped/ }).waitFor();
    await page.getByText('Finished: showing the stored record.').waitFor();
    const runId = page.url().split('/').pop()!;
    expect((await api('get', `/v1/runs/${runId}`)).body.status).toBe('stopped');
  });

  it('shows a run waiting for a signal and sends it from the form its schema gives; a refused payload says why', async () => {
    const workflow = await createWorkflow(t.http, APPROVAL, { name: 'Approval' });
    const run = await api('post', `/v1/workflows/${workflow.id}/runs`, { input: {} });
    await page.goto(`${base}/console/runs/${run.body.id}`);
    const node = page.locator('[data-testid="graph-node-approval"][data-status="waiting"]');
    await node.getByText('for signal “approval”').waitFor();
    await page.getByRole('heading', { level: 1, name: /waiting/ }).waitFor();
    await page.getByText('Live; the run is waiting').waitFor();
    await page.getByRole('button', { name: 'approval', exact: true }).click();
    const details = page.locator('.node-details');
    await details.getByTestId('awaited-signal').getByText('approval').waitFor();
    expect(await details.getByTestId('resume-url').textContent()).toMatch(
      new RegExp(`^${base}/v1/resume/[A-Za-z0-9_-]{43}$`),
    );
    await expect(details.getByLabel(/^note/).inputValue()).resolves.toBe('');
    await page.screenshot({ path: `${OUTPUT_DIR}/console-signal.png`, fullPage: true });
    await expectAccessible();

    // Nothing chosen for the required `approved`: the API refuses the payload and the form says why.
    await details.getByRole('button', { name: 'Send signal' }).click();
    await details
      .getByRole('list', { name: 'Payload problems' })
      .getByText("must have required property 'approved'")
      .waitFor();
    expect((await api('get', `/v1/runs/${run.body.id}`)).body.status).toBe('waiting');

    await details.getByLabel(/^approved/).selectOption('true');
    await details.getByLabel(/^note/).fill('ship it');
    await details.getByRole('button', { name: 'Send signal' }).click();
    await details.getByText('Signal "approval" sent').waitFor();
    await page.locator('[data-testid="graph-node-answer"][data-status="completed"]').waitFor();
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    await page.getByTestId('run-output').getByText('"note": "ship it"').waitFor();
    expect((await api('get', `/v1/runs/${run.body.id}`)).body).toMatchObject({
      status: 'completed',
      output: { answer: { approved: true, note: 'ship it' } },
    });
  });

  it('shows a failed run: the failed node, its error, and the run error', async () => {
    const failing = {
      nodes: [
        { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
        { id: 'prompt', type: 'FailNode', config: { message: 'no answer for ((q))' } },
      ],
      edges: [{ from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } }],
    };
    const workflow = await createWorkflow(t.http, failing, { name: 'Fails' });
    const run = await api('post', `/v1/workflows/${workflow.id}/runs/sync`, { input: { 'User Question': 'why' } });
    await page.goto(`${base}/console/runs/${run.body.id}`);
    await page.locator('[data-testid="graph-node-prompt"][data-status="failed"]').waitFor();
    await page.getByTestId('run-error').getByText('prompt: no answer for why').waitFor();
    await page.getByRole('button', { name: 'prompt', exact: true }).click();
    await page.locator('.node-details [role="alert"]').getByText('no answer for why').waitFor();
  });

  it('lists callback attempts and redelivers', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Called back' });
    const run = await api('post', `/v1/workflows/${workflow.id}/runs/sync`, {
      input: { 'User Question': 'hook' },
      callback_url: receiver.url('/hook'),
    });
    await receiver.waitFor('/hook', 1);
    await page.goto(`${base}/console/runs/${run.body.id}`);
    const callbacks = page.getByRole('region', { name: 'Callbacks' });
    await waitFor(async () => {
      await callbacks.getByRole('button', { name: 'Refresh' }).click();
      return (await callbacks.getByText('delivered (200)').count()) > 0 ? true : undefined;
    }, STEP_TIMEOUT);
    await callbacks.getByRole('button', { name: 'Redeliver' }).click();
    await callbacks.getByText('Redelivery queued (chain 2).').waitFor();
    await receiver.waitFor('/hook', 2);
    await waitFor(async () => {
      await callbacks.getByRole('button', { name: 'Refresh' }).click();
      return (await callbacks.getByText('delivered (200)').count()) === 2 ? true : undefined;
    }, STEP_TIMEOUT);
  });

  it('streams LLM token deltas onto the node while it runs', async () => {
    llm.replies.push({ stream: ['Graphs ', 'without ', 'cycles', '.'], delayMs: 1000 });
    const workflow = await createWorkflow(t.http, SUMMARY, { name: 'Summaries' });
    const run = await api('post', `/v1/workflows/${workflow.id}/runs`, { input: { article: 'DAGs' } });
    await page.goto(`${base}/console/runs/${run.body.id}`);
    const node = page.getByTestId('graph-node-summarise');
    await node.locator('.card-streamed', { hasText: 'Graphs' }).waitFor();
    // Seen before the node finished: the text arrived as it streamed.
    expect(await node.getAttribute('data-status')).toBe('running');
    await page.locator('[data-testid="graph-node-summarise"][data-status="completed"]').waitFor();
    await node.locator('.card-streamed', { hasText: 'Graphs without cycles.' }).waitFor();
  });

  it('follows a debugger session: runs started elsewhere arrive live', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Debugged' });
    await page.goto(`${base}/console/debugger`);
    await page.getByLabel('Session').fill('console-e2e');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('debugger-stream-state').getByText('Listening.').waitFor();

    const started = [];
    for (const question of ['first', 'second']) {
      const answer = await api('post', `/v1/workflows/${workflow.id}/runs/sync`, {
        input: { 'User Question': question },
        debugger: 'console-e2e',
      });
      started.push(answer.body.id as string);
    }
    await api('post', `/v1/workflows/${workflow.id}/runs/sync`, { input: { 'User Question': 'elsewhere' } });
    for (const runId of started) await page.getByTestId(`session-run-${runId}`).waitFor();
    await expect(page.getByRole('heading', { name: /Runs \(\d+\)/ }).textContent()).resolves.toBe('Runs (2)');
    await page.getByTestId(`session-run-${started[0]}`).click();
    await page.locator('[data-testid="graph-node-answer"][data-status="completed"]').waitFor();
    await page.getByRole('button', { name: 'prompt', exact: true }).click();
    await page.locator('.node-details').getByText('"text": "first — "').waitFor();
    // Once the run has ended, its stored node runs add what events do not carry (the attempt).
    await page.locator('.node-details dd').first().getByText('1', { exact: true }).waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/console-debugger.png`, fullPage: true });
    await expectAccessible();
  });

  it('places the validator’s 422 errors on the node they concern', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'To fix' });
    await page.goto(`${base}/console/workflows/${workflow.id}`);
    const broken = structuredClone(SEED_DEFINITION) as { nodes: { config: Record<string, unknown> }[] };
    broken.nodes[2].config.template = 42;
    await page.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel(/^Definition JSON/).fill(JSON.stringify(broken, null, 2));
    await page.getByRole('tab', { name: 'Editor' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Not saved: 1 problem, shown on the nodes.').waitFor();
    const prompt = page.getByTestId('graph-node-prompt');
    await prompt.locator('.card-problem', { hasText: 'config.template' }).waitFor();
    expect(await page.getByTestId('graph-node-question').locator('.card-problem').count()).toBe(0);
    await page.screenshot({ path: `${OUTPUT_DIR}/console-definition-422.png`, fullPage: true });
    await expectAccessible();
    expect((await api('get', `/v1/workflows/${workflow.id}`)).body.revision).toBe(workflow.revision);

    await page.getByRole('button', { name: /^Undo/ }).click();
    await page.getByText('Saved · revision 1').waitFor();
    await waitFor(
      async () =>
        page
          .locator('.card-problem')
          .count()
          .then((n) => (n === 0 ? true : undefined)),
      5000,
    );
  });

  it('never put the API key in a URL', () => {
    expect(requestedUrls.length).toBeGreaterThan(10);
    expect(requestedUrls.filter((url) => url.includes(ADMIN_KEY) || url.includes('api_key'))).toEqual([]);
  });
});
