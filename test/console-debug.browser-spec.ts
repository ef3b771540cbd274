/**
 * Test runs from the workflow editor in a real browser (Debian's Chromium driven by
 * playwright-core): the run form in the editor's side panel, each node's live state on the
 * canvas, a node's menu, and the pinned sample input. Screenshot: test-output/editor-run.png.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { startFakeChatServer, type FakeChatServer } from '../src/execution/llm/testing/fake-chat-server.js';
import { seriousAccessibilityViolations } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { createWorkflow, edge, SEED_DEFINITION } from './support/workflows.js';

const SUMMARY = {
  nodes: [
    { id: 'article', type: 'InputNode', config: { label: 'article', type: 'str' } },
    { id: 'summarise', type: 'TextGenerationNode', config: { template: 'Summarise: ((article))', model: 'fake' } },
    { id: 'summary', type: 'OutputNode', config: { label: 'summary' } },
  ],
  edges: [edge('article.value', 'summarise.article'), edge('summarise.text', 'summary.value')],
};

/** A FailNode retried twice, a second apart, so its second attempt can be seen while it waits. */
const FLAKY = {
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'in', type: 'any', default: null } },
    {
      id: 'boom',
      type: 'FailNode',
      config: { message: 'upstream said no' },
      retry: { max_attempts: 3, initial_interval_ms: 1500, backoff_coefficient: 1 },
    },
  ],
  edges: [edge('in.value', 'boom.value')],
};

describeInBrowser('test runs from the workflow editor', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  let llm: FakeChatServer;
  beforeAll(async () => {
    llm = await startFakeChatServer();
  });
  afterAll(() => llm?.close());
  const session = useConsoleInBrowser({ env: () => ({ LLM_BASE_URL: llm.baseUrl }) });
  beforeAll(() => {
    ({ t, page, base } = session);
  });

  const panel = () => page.getByTestId('test-run-panel');
  const card = (nodeId: string) => page.getByTestId(`graph-node-${nodeId}`);
  const withStatus = (nodeId: string, status: string) =>
    page.locator(`[data-testid="graph-node-${nodeId}"][data-status="${status}"]`);

  async function openEditor(definition: object, name: string): Promise<string> {
    const workflow = await createWorkflow(t.http, definition, { name });
    await page.goto(`${base}/console/workflows/${workflow.id}`);
    await panel().waitFor();
    return workflow.id;
  }

  async function expectAccessible(): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  /** Opens a node's menu with its "⋯" button (a right-click opens the same menu) and picks `item`. */
  async function fromNodeMenu(nodeId: string, item: string): Promise<void> {
    await card(nodeId).click({ button: 'right' });
    await page.getByRole('menuitem', { name: item }).click();
  }

  /** The card's folded inputs and outputs, unfolded. */
  async function expandData(node: Locator): Promise<Locator> {
    const data = node.locator('details', { has: page.locator('summary', { hasText: 'Data' }) });
    if ((await data.getAttribute('open')) === null) await data.locator('summary').click();
    return data;
  }

  it('runs the seed workflow from the canvas: every node completes with its output on it', async () => {
    await openEditor(SEED_DEFINITION, 'Beginner answers');
    await expect(panel().getByTestId('test-run-target').textContent()).resolves.toBe('Runs the whole workflow.');
    // Refused input is said next to its field, and nothing runs.
    await panel().getByRole('button', { name: 'Start run' }).click();
    await panel().locator('#test-input-question-error', { hasText: 'missing input "User Question"' }).waitFor();
    expect(await card('question').getAttribute('data-status')).toBeNull();
    await panel()
      .getByLabel(/^User Question/)
      .fill('What is a DAG?');
    await panel().getByRole('button', { name: 'Start run' }).click();
    for (const node of ['question', 'context', 'prompt', 'answer']) await withStatus(node, 'completed').waitFor();

    const data = await expandData(card('prompt'));
    await data.getByText('inputs').waitFor();
    await data.getByText('"q": "What is a DAG?"').waitFor();
    await data.getByText('"text": "What is a DAG? — "').waitFor();
    await panel().getByTestId('test-run-output').getByText('What is a DAG? — ').waitFor();

    const runLink = panel().getByRole('link', { name: 'Open the run page' });
    expect(await runLink.getAttribute('href')).toMatch(/^\/console\/runs\/[0-9a-f-]{36}$/);
    const sessionLink = panel().getByRole('link', { name: 'Open the debugger session' });
    expect(await sessionLink.getAttribute('href')).toMatch(/^\/console\/debugger\/editor-[0-9a-f-]{36}$/);
    await expectAccessible();
    // With no node selected, the side shows the test run (its output) under the hint.
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 12 } });
    await panel().getByTestId('test-run-output').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUTPUT_DIR}/editor-run.png`, fullPage: true });

    // The session holds the run: its page lists it.
    await sessionLink.click();
    // A session page that follows only what comes next offers to replay the session's earlier runs.
    const replay = page.getByRole('checkbox', { name: /earlier runs/ });
    if ((await replay.count()) > 0) await replay.check();
    await page.locator('[data-testid^="session-run-"]').first().waitFor();
  });

  it('saves unsaved edits before running them, since the API runs the stored draft', async () => {
    const workflowId = await openEditor(SEED_DEFINITION, 'Edited then run');
    await card('prompt').click();
    await page.getByLabel(/^template/).fill('((q)) + ((c))');
    await panel().getByTestId('unsaved-note').waitFor();
    await panel()
      .getByLabel(/^User Question/)
      .fill('Edited');
    await panel().getByRole('button', { name: 'Save and run' }).click();
    await withStatus('answer', 'completed').waitFor();
    await panel().getByTestId('test-run-output').getByText('"Answer": "Edited + "').waitFor();
    await panel().getByRole('button', { name: 'Start run' }).waitFor();
    const stored = await t.http.get(`/v1/workflows/${workflowId}`).set('X-API-Key', ADMIN_KEY);
    expect(stored.body.definition.nodes[2].config.template).toBe('((q)) + ((c))');
  });

  it('streams the LLM tokens onto its node as they come', async () => {
    llm.replies.push({ stream: ['Graphs ', 'without ', 'cycles', '.'], delayMs: 800 });
    await openEditor(SUMMARY, 'Summaries');
    await panel()
      .getByLabel(/^article/)
      .fill('DAGs');
    await panel().getByRole('button', { name: 'Start run' }).click();
    await card('summarise').getByText('Graphs', { exact: false }).first().waitFor();
    // Seen before the node finished: the text arrived as it streamed.
    expect(await card('summarise').getAttribute('data-status')).toBe('running');
    await withStatus('summarise', 'completed').waitFor();
    await withStatus('summary', 'completed').waitFor();
    await card('summarise').getByText('Graphs without cycles.').first().waitFor();
  });

  it('shows a retried node as attempt n of m, then its error and attempts once it failed', async () => {
    await openEditor(FLAKY, 'Flaky');
    await panel().getByRole('button', { name: 'Start run' }).click();
    await card('boom')
      .getByText(/attempt 2 of 3/)
      .waitFor();
    expect(await card('boom').getAttribute('data-status')).toBe('running');
    await withStatus('boom', 'failed').waitFor({ timeout: 10_000 });
    await card('boom')
      .getByText(/attempt 3 of 3/)
      .waitFor();
    await card('boom').getByText('upstream said no').first().waitFor();
    await panel().getByTestId('test-run-error').getByText('boom: upstream said no').waitFor();
    await expectAccessible();
  });

  it('runs one node alone from its menu, with a form of its input connectors', async () => {
    await openEditor(SEED_DEFINITION, 'One node');
    await fromNodeMenu('prompt', 'Run this node');
    await panel().getByText('Runs node prompt alone').waitFor();
    await panel().getByLabel(/^q/).fill('"Alone"');
    await panel().getByLabel(/^c/).fill('"by itself"');
    await expectAccessible();
    await panel().getByRole('button', { name: 'Start run' }).click();
    await withStatus('prompt', 'completed').waitFor();
    await (await expandData(card('prompt'))).getByText('"text": "Alone — by itself"').waitFor();
    // Nothing else ran, and nothing else claims to have.
    expect(await card('question').getAttribute('data-status')).toBeNull();
    expect(await card('answer').getAttribute('data-status')).toBeNull();

    // "Run up to here" runs the node and what it needs: the InputNodes, not the OutputNode.
    await fromNodeMenu('prompt', 'Run up to here');
    await panel()
      .getByLabel(/^User Question/)
      .fill('Upstream');
    await panel().getByRole('button', { name: 'Start run' }).click();
    await withStatus('question', 'completed').waitFor();
    await withStatus('prompt', 'completed').waitFor();
    expect(await card('answer').getAttribute('data-status')).toBeNull();
  });

  it("runs from a node on, synchronously, all by keyboard from the card's actions button", async () => {
    await openEditor(SEED_DEFINITION, 'From here');
    await page.getByRole('button', { name: 'Actions for prompt' }).press('Enter');
    await page.getByRole('button', { name: 'Run from here' }).press('Enter');
    await panel().getByText('Runs from prompt on').waitFor();
    // The form the menu asked for is where the keyboard goes next.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('test-run-title');
    await panel()
      .getByLabel(/^User Question/)
      .fill('Keyboard');
    await panel().getByRole('radio', { name: 'Sync', exact: true }).check();
    await panel()
      .getByLabel(/^User Question/)
      .press('Enter');
    await panel().getByTestId('test-run-output').getByText('"Answer": "Keyboard — "').waitFor();
    for (const node of ['question', 'context', 'prompt', 'answer']) await withStatus(node, 'completed').waitFor();
  });

  it('pins the form as the sample input, starts from it after a reload, and unpins it', async () => {
    const workflowId = await openEditor(SEED_DEFINITION, 'Pinned');
    await panel()
      .getByLabel(/^User Question/)
      .fill('A pinned question');
    await panel().getByRole('button', { name: 'Pin as sample input' }).click();
    await panel().getByText('Pinned: the form starts from these values.').waitFor();
    const stored = await t.http.get(`/v1/workflows/${workflowId}`).set('X-API-Key', ADMIN_KEY);
    expect(stored.body.sample_input).toEqual({ 'User Question': 'A pinned question' });

    await page.reload();
    await expect(
      panel()
        .getByLabel(/^User Question/)
        .inputValue(),
    ).resolves.toBe('A pinned question');
    await panel().getByRole('button', { name: 'Unpin' }).click();
    await panel().getByText('Unpinned: the form starts from the defaults.').waitFor();
    await page.reload();
    await expect(
      panel()
        .getByLabel(/^User Question/)
        .inputValue(),
    ).resolves.toBe('');
    await expectAccessible();
  });
});
