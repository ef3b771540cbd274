/**
 * The console's graphs in a real browser: a 50-node workflow readable at the default zoom, cards
 * with labels, summaries and handles only where ports exist, zoom-to-node from the node table, and
 * a live run's edges still drawn once its page shows the stored record. Screenshots: test-output/.
 */
import { beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { createWorkflow, delayWorkflow, edge } from './support/workflows.js';

const CHAINS = 5;
const STEPS = 8;

/** Five chains of InputNode → eight TextTemplateNodes → OutputNode: 50 nodes in ten layers. */
function fiftyNodes() {
  const nodes: object[] = [];
  const edges: object[] = [];
  for (let chain = 1; chain <= CHAINS; chain++) {
    nodes.push({ id: `in${chain}`, type: 'InputNode', config: { label: `Topic ${chain}`, type: 'str', default: 'x' } });
    let previous = `in${chain}.value`;
    for (let step = 1; step <= STEPS; step++) {
      const id = `c${chain}s${step}`;
      nodes.push({ id, type: 'TextTemplateNode', config: { template: `Step ${step} of ((text))` } });
      edges.push(edge(previous, `${id}.text`));
      previous = `${id}.text`;
    }
    nodes.push({ id: `out${chain}`, type: 'OutputNode', config: { label: `Result ${chain}` } });
    edges.push(edge(previous, `out${chain}.value`));
  }
  return { nodes, edges };
}

describeInBrowser('graphs in the console', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  const session = useConsoleInBrowser();
  beforeAll(() => {
    ({ t, page, base } = session);
  });

  /** The scale React Flow draws the graph at (its viewport's transform). */
  const zoom = () =>
    page.locator('.react-flow__viewport').evaluate((element) => new DOMMatrix(getComputedStyle(element).transform).a);

  it('draws a 50-node workflow readable at the default zoom: labels, summaries, handles only where ports exist', async () => {
    const workflow = await createWorkflow(t.http, fiftyNodes(), { name: 'Fifty nodes' });
    const runs = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
    expect(runs.status).toBe(200);
    await page.goto(`${base}/console/runs/${runs.body.id}`);
    await page.locator('[data-testid="graph-node-out5"][data-status="completed"]').waitFor({ state: 'attached' });
    const scale = await zoom();
    // Every node title, type and port name is drawn at 10 px or more at the zoom the page opens at.
    const smallest = await page
      .locator('.card-title, .card-type, .card-summary, .card-ports li')
      .evaluateAll((elements) =>
        Math.min(...elements.map((element) => parseFloat(getComputedStyle(element).fontSize))),
      );
    expect(smallest * scale).toBeGreaterThanOrEqual(10);
    expect(await page.locator('.react-flow__node').count()).toBe(50);

    const input = page.getByTestId('graph-node-in1');
    await expect(input.locator('.card-title').textContent()).resolves.toBe('Topic 1');
    await expect(input.locator('.card-summary').textContent()).resolves.toBe('input · str · default x');
    expect(await input.locator('.react-flow__handle.target').count()).toBe(0);
    expect(await input.locator('.react-flow__handle.source').count()).toBe(1);
    const output = page.getByTestId('graph-node-out1');
    await expect(output.locator('.card-title').textContent()).resolves.toBe('Result 1');
    expect(await output.locator('.react-flow__handle.source').count()).toBe(0);
    const step = page.getByTestId('graph-node-c1s1');
    await expect(step.locator('.card-summary').textContent()).resolves.toBe('Step 1 of ((text))');
    await expect(step.locator('.card-ports li').allTextContents()).resolves.toEqual(['text', 'text']);
    expect(await page.locator('.react-flow__minimap').count()).toBe(1);
    // The first layer is in view: the graph opens on its inputs.
    await expect(input.isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${OUTPUT_DIR}/graph-50-nodes.png` });

    // Zoom-to-node: the node table's button brings a node from the far right into view.
    const far = page.getByTestId('graph-node-out5');
    const pane = (await page.locator('.graph').boundingBox())!;
    const before = (await far.boundingBox())!;
    expect(before.x > pane.x + pane.width || before.y > pane.y + pane.height).toBe(true);
    await page.getByTestId('node-row-out5').getByRole('button').click();
    await page.waitForFunction(() => {
      const node = document.querySelector('[data-testid="graph-node-out5"]')!.getBoundingClientRect();
      const graph = document.querySelector('.graph')!.getBoundingClientRect();
      return (
        node.left >= graph.left && node.right <= graph.right && node.top >= graph.top && node.bottom <= graph.bottom
      );
    });
  });

  it("keeps a live run's edges once its page switches to the stored record", async () => {
    const definition = delayWorkflow(400);
    const workflow = await createWorkflow(t.http, definition, { name: 'Short delay' });
    for (let attempt = 0; attempt < 10; attempt++) {
      const started = await t.http
        .post(`/v1/workflows/${workflow.id}/runs`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: {} });
      expect(started.status).toBe(202);
      await page.goto(`${base}/console/runs/${started.body.id}`);
      await page.getByText('Finished: showing the stored record.').waitFor();
      await page.locator('[data-testid="graph-node-done"][data-status="completed"]').waitFor();
      // Past any re-measure React Flow may still do after the last render.
      await page.waitForTimeout(150);
      expect(await page.locator('.react-flow__edge').count()).toBe(definition.edges.length);
    }
  });
});
