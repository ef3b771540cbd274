/**
 * Swagger UI at /docs, driven as a newcomer drives it: Authorize with the API key, Try it out on
 * "Create a workflow" and Execute its example unedited, then each run example against the created
 * workflow, filling in only its id. Every example must answer 2xx, and every run must complete.
 * Run by `npm run test:browser`; the screenshot goes to test-output/.
 */
import { beforeAll, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { documentedExamples, operationById } from './support/openapi-examples.js';
import { ADMIN_KEY } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** What Swagger UI sent, the code its table shows, and the body it received. */
type Shown = { sent: unknown; code: string; body: Record<string, unknown> };

describeInBrowser('Swagger UI: the examples, in sequence and unedited', () => {
  const session = useConsoleInBrowser({ signIn: false });
  let page: Page;
  let document: OpenAPIObject;
  let workflowId: string;

  beforeAll(async () => {
    page = session.page;
    document = (await session.t.http.get('/docs-json')).body;
    await page.goto(`${session.base}/docs`);
  });

  /** An operation's block, expanded, in "Try it out" mode. */
  async function tryOut(tag: string, operationId: string): Promise<Locator> {
    const block = page.locator(`#operations-${tag}-${operationId}`);
    await block.locator('.opblock-summary-control').click();
    await block.getByRole('button', { name: 'Try it out' }).click();
    return block;
  }

  async function execute(block: Locator): Promise<Shown> {
    const answered = page.waitForResponse((response) => response.request().method() !== 'GET');
    await block.getByRole('button', { name: 'Execute' }).click();
    const response = await answered;
    const body = (await response.json()) as Record<string, unknown>;
    const code = await block.locator('.live-responses-table .response .response-col_status').innerText();
    return { sent: response.request().postDataJSON(), code: code.trim(), body };
  }

  it('authorizes with the API key', async () => {
    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').fill(ADMIN_KEY);
    await dialog.locator('button.authorize').click();
    await dialog.getByRole('heading', { name: 'Authorized' }).waitFor();
    await dialog.locator('button.btn-done').click();
  });

  it('creates the example workflow with the create example, unedited', async () => {
    const block = await tryOut('workflows', 'createWorkflow');
    const shown = await execute(block);
    expect(shown.sent).toEqual(documentedExamples(operationById(document, 'createWorkflow'))[0][1]);
    expect(shown.code).toBe('201');
    expect(shown.body).toMatchObject({ name: 'Beginner answers' });
    workflowId = shown.body.id as string;
  });

  it('runs every sync-run example against it, each completed', async () => {
    const block = await tryOut('runs', 'runSync');
    await block.locator('tr[data-param-name="workflow_id"] input').fill(workflowId);
    const examples = documentedExamples(operationById(document, 'runSync'));
    expect(examples.map(([name]) => name)).toEqual(
      expect.arrayContaining(['basic', 'output_only', 'node_ids', 'single_node_id']),
    );
    for (const [name, example] of examples) {
      await block.locator('select.examples-select-element').selectOption(name);
      // The output_only example is meant with its query parameter set, as its summary says.
      await block
        .locator('tr[data-param-name="output_only"] select')
        .selectOption(name === 'output_only' ? 'true' : 'false');
      const shown = await execute(block);
      expect({ name, sent: shown.sent, code: shown.code }).toEqual({ name, sent: example, code: '200' });
      if (name === 'output_only') expect(shown.body).toEqual({ Answer: 'What is a DAG? — ' });
      else expect({ name, status: shown.body.status }).toEqual({ name, status: 'completed' });
    }
    await block.locator('.live-responses-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUTPUT_DIR}/swagger-examples.png`, fullPage: false });
  });

  it('queues every async-run example against it, and each run completes', async () => {
    const block = await tryOut('runs', 'runAsync');
    await block.locator('tr[data-param-name="workflow_id"] input').fill(workflowId);
    for (const [name, example] of documentedExamples(operationById(document, 'runAsync'))) {
      await block.locator('select.examples-select-element').selectOption(name);
      const shown = await execute(block);
      expect({ name, sent: shown.sent, code: shown.code }).toEqual({ name, sent: example, code: '202' });
      const run = await waitFor(async () => {
        const res = await session.t.http.get(`/v1/runs/${shown.body.id as string}`).set('X-API-Key', ADMIN_KEY);
        return res.body.status === 'queued' || res.body.status === 'running' ? undefined : res.body;
      }, 15_000);
      expect({ name, status: run.status }).toEqual({ name, status: 'completed' });
    }
  });
});
