/**
 * The console's recovery and search of runs in a real browser (Debian's Chromium driven by
 * playwright-core): Retry and Replay on a run page, and the Runs page with its filters, Load more
 * and Stop matching. Run by `npm run test:browser`; screenshots go to test-output/.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createWorkflow, delayWorkflow, edge, SEED_DEFINITION } from './support/workflows.js';

const STEP_TIMEOUT = 15_000;
const ROWS = 'tbody tr[data-testid^="run-row-"]';

/** question → prompt (a template) → call (POST to a provider that may be down) → answer. */
function providerWorkflow(providerUrl: string) {
  return {
    nodes: [
      { id: 'question', type: 'InputNode', config: { label: 'question', type: 'str' } },
      { id: 'prompt', type: 'TextTemplateNode', config: { template: 'Answer this: ((q))' } },
      {
        id: 'call',
        type: 'HttpRequestNode',
        config: { method: 'POST', url: providerUrl, body: '((text))', fail_on_error_status: true },
      },
      { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
    ],
    edges: [edge('question.value', 'prompt.q'), edge('prompt.text', 'call.text'), edge('call.body', 'answer.value')],
  };
}

const FAILING = {
  nodes: [
    { id: 'order', type: 'InputNode', config: { label: 'order', type: 'str' } },
    { id: 'refund', type: 'FailNode', config: { message: 'no refund for ((o))' } },
  ],
  edges: [edge('order.value', 'refund.o')],
};

describeInBrowser('the console: retry, replay and the runs page', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver?.close());
  // The provider is on loopback.
  const session = useConsoleInBrowser({ env: () => ({ OUTBOUND_ALLOW_PRIVATE: 'true' }) });
  beforeAll(() => {
    ({ t, page, base } = session);
  });

  const api = (method: 'get' | 'post', path: string, body?: object) =>
    t.http[method](path)
      .set('X-API-Key', ADMIN_KEY)
      .send(body as object);

  async function expectAccessible(): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  /** The run ids the runs table shows, top to bottom. */
  async function shownRunIds(): Promise<string[]> {
    const ids = await page.locator(ROWS).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
    return ids.map((id) => id!.slice('run-row-'.length));
  }

  /** Waits until the table shows `count` rows (the list is replaced after each search). */
  async function waitForRows(count: number): Promise<string[]> {
    return waitFor(async () => {
      const ids = await shownRunIds();
      return ids.length === count && !(await page.getByText('Loading…').count()) ? ids : undefined;
    }, STEP_TIMEOUT);
  }

  it('offers Retry on a failed run; with the defaults it reuses what succeeded and opens the new run', async () => {
    // The provider is down for the first call, back for the next.
    receiver.respond('/provider', (_, index) =>
      index === 0
        ? { status: 503, body: 'provider down' }
        : { status: 200, headers: { 'content-type': 'application/json' }, body: '{"text":"42"}' },
    );
    const workflow = await createWorkflow(t.http, providerWorkflow(receiver.url('/provider')), {
      name: 'Ask provider',
    });
    const failed = await api('post', `/v1/workflows/${workflow.id}/runs/sync`, {
      input: { question: 'life?' },
      metadata: { customer: 'initech' },
    });
    expect(failed.body).toMatchObject({ status: 'failed', error: { node_id: 'call' } });

    await page.goto(`${base}/console/runs/${failed.body.id}`);
    await page.locator('[data-testid="graph-node-call"][data-status="failed"]').waitFor();
    await page.getByRole('list', { name: 'Metadata' }).getByText('customer = initech').waitFor();
    await page.getByRole('button', { name: 'Replay', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    const form = page.getByRole('form', { name: 'Retry this run' });
    await form.getByRole('checkbox', { name: 'prompt' }).waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/console-retry-form.png`, fullPage: true });
    await expectAccessible();
    await form.getByRole('button', { name: 'Start retry' }).click();

    await page.waitForURL(
      (url) => /\/console\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(failed.body.id),
    );
    const retryId = page.url().split('/').pop()!;
    await page.locator('[data-testid="graph-node-call"][data-status="completed"]').waitFor();
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    // The template ran in the failed run; the retry took its output over.
    await page.locator('[data-testid="graph-node-prompt"][data-status="reused"]').waitFor();
    await page.locator('[data-testid="graph-node-question"][data-status="reused"]').waitFor();
    const promptRow = page.getByTestId('node-row-prompt');
    await promptRow.getByText('reused', { exact: true }).waitFor();
    expect(await promptRow.getByTestId('reused-from').getAttribute('href')).toBe(`/console/runs/${failed.body.id}`);
    const about = page.locator('p.hint', { hasText: `retry of ${failed.body.id.slice(0, 8)}` });
    const source = about.getByRole('link', { name: failed.body.id.slice(0, 8), exact: true });
    expect(await source.getAttribute('href')).toBe(`/console/runs/${failed.body.id}`);
    await page.getByTestId('run-output').getByText('"text": "42"').waitFor();
    // The retry keeps the source's metadata (the form started from it and nothing was changed).
    await page.getByRole('list', { name: 'Metadata' }).getByText('customer = initech').waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/console-retried-run.png`, fullPage: true });
    await expectAccessible();

    const retry = (await api('get', `/v1/runs/${retryId}`)).body;
    expect(retry).toMatchObject({
      status: 'completed',
      retry_of: failed.body.id,
      input: { question: 'life?' },
      metadata: { customer: 'initech' },
    });
    const nodes = (await api('get', `/v1/runs/${retryId}/nodes`)).body.items as { node_id: string; status: string }[];
    expect(Object.fromEntries(nodes.map((node) => [node.node_id, node.status]))).toMatchObject({
      prompt: 'reused',
      call: 'completed',
    });
    expect(receiver.on('/provider').map((request) => request.body)).toEqual([
      'Answer this: life?',
      'Answer this: life?',
    ]);
  });

  it('offers Replay only on a completed run; the form shows what the API refuses, then replays with metadata', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Replayed' });
    const done = await api('post', `/v1/workflows/${workflow.id}/runs/sync`, { input: { 'User Question': 'again' } });
    expect(done.body.status).toBe('completed');
    await page.goto(`${base}/console/runs/${done.body.id}`);
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(0);
    const form = page.getByRole('form', { name: 'Replay this run' });
    expect(await form.getByRole('checkbox').count()).toBe(0);

    await form.getByLabel('Input overrides').fill('{');
    await form.getByRole('button', { name: 'Start replay' }).click();
    await form.getByRole('alert').getByText('Input overrides: not valid JSON').waitFor();

    await form.getByLabel('Input overrides').fill('{"Context": "replayed"}');
    await form.getByLabel('Metadata key 1').fill('Not A Key');
    await form.getByLabel('Metadata value 1').fill('x');
    await form.getByRole('button', { name: 'Start replay' }).click();
    await form.getByRole('list', { name: 'Replay problems' }).getByText('metadata').first().waitFor();
    await expectAccessible();
    expect(page.url()).toBe(`${base}/console/runs/${done.body.id}`);

    await form.getByLabel('Metadata key 1').fill('batch');
    await form.getByRole('button', { name: 'Add pair' }).click();
    await form.getByLabel('Metadata key 2').fill('reason');
    await form.getByLabel('Metadata value 2').fill('check');
    await form.getByLabel('Metadata value 1').fill('b7');
    await form.getByRole('button', { name: 'Start replay' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(done.body.id));
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    await page.locator('p.hint', { hasText: `replay of ${done.body.id.slice(0, 8)}` }).waitFor();
    const chips = page.getByRole('list', { name: 'Metadata' });
    await chips.getByText('batch = b7').waitFor();
    await chips.getByText('reason = check').waitFor();
    await page.getByTestId('run-output').getByText('again — replayed').waitFor();
    const replayId = page.url().split('/').pop()!;
    expect((await api('get', `/v1/runs/${replayId}`)).body).toMatchObject({
      replay_of: done.body.id,
      retry_of: null,
      metadata: { batch: 'b7', reason: 'check' },
      input: { 'User Question': 'again', Context: 'replayed' },
    });
    // Nothing was taken over: a replay executes every node again.
    const nodes = (await api('get', `/v1/runs/${replayId}/nodes`)).body.items as { status: string }[];
    expect(nodes.map((node) => node.status)).not.toContain('reused');
  });

  it('lists the runs of every workflow, narrows them by status and metadata kept in the address, and loads more', async () => {
    const orders = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Orders' });
    const refunds = await createWorkflow(t.http, FAILING, { name: 'Refunds' });
    for (let i = 0; i < 52; i++) {
      const run = await api('post', `/v1/workflows/${orders.id}/runs/sync`, {
        input: { 'User Question': `order ${i}` },
        metadata: { customer: i % 2 ? 'acme' : 'globex' },
      });
      expect(run.body.status).toBe('completed');
    }
    const refundIds: string[] = [];
    for (const order of ['o1', 'o2']) {
      const run = await api('post', `/v1/workflows/${refunds.id}/runs/sync`, {
        input: { order },
        metadata: { customer: 'acme' },
      });
      expect(run.body.status).toBe('failed');
      refundIds.push(run.body.id);
    }
    const everyRun = (await api('get', '/v1/runs?limit=200')).body.items as { id: string; status: string }[];
    expect(everyRun.length).toBeGreaterThanOrEqual(54);
    expect(everyRun.length).toBeLessThan(100);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    const firstPage = await waitForRows(50);
    // Newest first: the refunds came last.
    expect(firstPage.slice(0, 2)).toEqual([...refundIds].reverse());
    await page.locator(ROWS).getByRole('link', { name: 'Refunds' }).first().waitFor();
    await page.locator(ROWS).getByRole('link', { name: 'Orders' }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Stop matching runs…' }).isDisabled()).toBe(true);
    await expectAccessible();

    await page.getByRole('button', { name: 'Load more' }).click();
    const all = await waitForRows(everyRun.length);
    expect(all).toEqual(everyRun.map((run) => run.id));
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    const filters = page.getByRole('form', { name: 'Run filters' });
    await filters.getByRole('checkbox', { name: 'failed' }).check();
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/console/runs?status=failed`);
    const failed = everyRun.filter((run) => run.status === 'failed').map((run) => run.id);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(await waitForRows(failed.length)).toEqual(failed);

    await filters.getByLabel('Metadata key 1').fill('customer');
    await filters.getByLabel('Metadata value 1').fill('acme');
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/console/runs?status=failed&metadata.customer=acme`);
    expect(await waitForRows(2)).toEqual([...refundIds].reverse());
    await page.screenshot({ path: `${OUTPUT_DIR}/console-runs-filtered.png`, fullPage: true });
    await expectAccessible();

    // Reloaded from its address, the view is the same.
    await page.reload();
    expect(await waitForRows(2)).toEqual([...refundIds].reverse());
    expect(await filters.getByRole('checkbox', { name: 'failed' }).isChecked()).toBe(true);
    await expect(filters.getByLabel('Metadata value 1').inputValue()).resolves.toBe('acme');

    // Every status, the same customer: 26 orders and the 2 refunds; then the workflow narrows it to the refunds.
    await filters.getByRole('checkbox', { name: 'failed' }).uncheck();
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/console/runs?metadata.customer=acme`);
    await waitForRows(28);
    await filters.getByLabel('Workflow').selectOption({ label: 'Refunds' });
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/console/runs?workflow_id=${refunds.id}&metadata.customer=acme`);
    expect(await waitForRows(2)).toEqual([...refundIds].reverse());

    // A time is typed in the browser's local time and sent as an instant (ISO 8601 with its offset).
    await filters.getByLabel('Created after').fill('2099-01-01T00:00');
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/created_after=209[89]-\d\d-\d\dT\d\d%3A\d\d%3A00.000Z/);
    await page.getByText('No run matches these filters.').waitFor();
    await expect(filters.getByLabel('Created after').inputValue()).resolves.toBe('2099-01-01T00:00');

    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(`${base}/console/runs`);
    await waitForRows(50);
  });

  it('stops the live runs the filters match, after a confirmation, and says how many', async () => {
    const slow = await createWorkflow(t.http, delayWorkflow(600_000), { name: 'Slow' });
    const start = async (batch: string) =>
      (await api('post', `/v1/workflows/${slow.id}/runs`, { input: {}, metadata: { batch } })).body.id as string;
    const matching = [await start('b1'), await start('b1'), await start('b1')];
    const other = await start('b2');

    await page.goto(`${base}/console/runs?metadata.batch=b1`);
    await waitForRows(3);
    await page.getByRole('button', { name: 'Stop matching runs…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm stopping' });
    await confirm.getByText('Stop every queued, running or waiting run').waitFor();
    await expectAccessible();
    await confirm.getByRole('button', { name: 'Stop them' }).click();
    await page.getByRole('status').getByText('Stopped 3 runs.').waitFor();
    for (const runId of matching) {
      await waitFor(
        async () => ((await api('get', `/v1/runs/${runId}`)).body.status === 'stopped' ? true : undefined),
        STEP_TIMEOUT,
      );
    }
    expect((await api('get', `/v1/runs/${other}`)).body.status).not.toBe('stopped');

    // Again: nothing matching is live any more.
    await page.getByRole('button', { name: 'Stop matching runs…' }).click();
    await confirm.getByRole('button', { name: 'Stop them' }).click();
    await page.getByRole('status').getByText('Stopped 0 runs.').waitFor();

    // Cancelled, nothing is sent.
    await page.goto(`${base}/console/runs?metadata.batch=b2`);
    await waitForRows(1);
    await page.getByRole('button', { name: 'Stop matching runs…' }).click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await api('get', `/v1/runs/${other}`)).body.status).not.toBe('stopped');
    await api('post', `/v1/runs/${other}/stop`);
  });
});
