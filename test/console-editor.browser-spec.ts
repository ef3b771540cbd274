/**
 * The workflow editor in a real browser (Debian's Chromium driven by playwright-core): the README's
 * seed workflow built from an empty canvas with the mouse and the forms, refused connections,
 * undo/redo, a 422 on its node and field, a conflicting save, the JSON tab's exact round trip.
 * Screenshots go to test-output/.
 */
import { beforeAll, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';

const STEP_TIMEOUT = 15_000;

/** A definition without the editor's `position`s, to compare with what was meant. */
function withoutPositions(definition: { nodes: Record<string, unknown>[]; edges: unknown[] }) {
  return { nodes: definition.nodes.map(({ position: _position, ...node }) => node), edges: definition.edges };
}

describeInBrowser('the workflow editor in a browser', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  const dialogs: string[] = [];
  const session = useConsoleInBrowser();
  beforeAll(() => {
    ({ t, page, base } = session);
    // Leaving with unsaved edits asks first; the tests answer yes where they mean to leave.
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
  });

  const stored = async (workflowId: string) =>
    (await t.http.get(`/v1/workflows/${workflowId}`).set('X-API-Key', ADMIN_KEY)).body;

  /** Waits until the canvas draws `count` edges. */
  const edgeCount = (count: number) =>
    waitFor(async () => ((await page.locator('.react-flow__edge').count()) === count ? true : undefined), STEP_TIMEOUT);

  const canvas = () => page.locator('.editor-canvas');
  const card = (nodeId: string) => page.getByTestId(`graph-node-${nodeId}`);
  const panel = () => page.getByRole('complementary', { name: 'Selected node' });
  const notice = () => page.locator('.editor-notice');

  /** Drags a palette entry onto the canvas, at a fraction of its width and height. */
  async function dropType(type: string, x: number, y: number): Promise<void> {
    const box = (await canvas().boundingBox())!;
    await page.getByTestId(`palette-${type}`).dragTo(canvas().locator('.react-flow__pane'), {
      targetPosition: { x: box.width * x, y: box.height * y },
    });
  }

  /** Drags with the mouse from one handle to another. */
  async function drag(from: Locator, to: Locator): Promise<void> {
    const start = (await from.boundingBox())!;
    const end = (await to.boundingBox())!;
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await page.mouse.down();
    await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
    await page.mouse.up();
  }

  const output = (nodeId: string, port: string) =>
    card(nodeId).locator(`.react-flow__handle.source[data-handleid="${port}"]`);
  const input = (nodeId: string, port: string) =>
    card(nodeId).locator(`.react-flow__handle.target[data-handleid="${port}"]`);

  /** Connects two ports and waits for the edge to be drawn. */
  async function connect(from: string, to: string): Promise<void> {
    const [fromNode, fromPort] = from.split('.');
    const [toNode, toPort] = to.split('.');
    const edges = await page.locator('.react-flow__edge').count();
    await drag(output(fromNode, fromPort), input(toNode, toPort));
    await edgeCount(edges + 1).catch(async (error: unknown) => {
      await page.screenshot({ path: `${OUTPUT_DIR}/editor-connect-failed.png`, fullPage: true });
      throw error;
    });
  }

  /** Creates a workflow of the seed definition and opens it in the editor, its edges drawn. */
  async function openSeedWorkflow(name: string): Promise<{ id: string; revision: number }> {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { name });
    await page.goto(`${base}/console/workflows/${workflow.id}`);
    await edgeCount(SEED_DEFINITION.edges.length);
    return workflow;
  }

  async function renameSelected(id: string): Promise<void> {
    await panel().getByLabel(/^id/).fill(id);
    await card(id).waitFor();
  }

  it('builds the seed workflow from an empty canvas with the mouse and the forms, and saves it', async () => {
    await page.getByText('New workflow').click();
    await page.getByLabel('Name').fill('Built in the editor');
    await page.getByLabel('Description (optional)').fill('the README seed, drawn');
    await page.getByLabel('Slug (optional').fill('drawn-seed');
    await page.getByRole('button', { name: 'Create and open the editor' }).click();
    await page.waitForURL(/\/console\/workflows\/[0-9a-f-]{36}$/);
    const workflowId = page.url().split('/').pop()!;
    await page.getByText('slug drawn-seed').waitFor();
    await canvas().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(0);

    await dropType('InputNode', 0.15, 0.15);
    await renameSelected('question');
    await panel()
      .getByLabel(/^label/)
      .fill('User Question');
    await panel().getByLabel(/^type/).selectOption('str');

    await dropType('InputNode', 0.15, 0.6);
    await renameSelected('context');
    await panel()
      .getByLabel(/^label/)
      .fill('Context');
    await panel().getByLabel(/^type/).selectOption('str');
    await panel()
      .getByRole('textbox', { name: /^default JSON/ })
      .fill('""');

    // By keyboard: "Add" puts a type at a free spot.
    await page.getByRole('button', { name: 'Add TextTemplateNode' }).click();
    await renameSelected('prompt');
    await panel()
      .getByLabel(/^template/)
      .fill('((q)) — ((c))');
    // Live validation turns the placeholders into input handles.
    await input('prompt', 'c').waitFor();

    await dropType('OutputNode', 0.8, 0.4);
    await renameSelected('answer');
    await panel()
      .getByLabel(/^label/)
      .fill('Answer');

    await connect('question.value', 'prompt.q');
    await connect('context.value', 'prompt.c');
    await connect('prompt.text', 'answer.value');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.getByText('● Unsaved changes').waitFor();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as revision 2.').waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/editor.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const saved = await stored(workflowId);
    expect(withoutPositions(saved.definition)).toEqual(SEED_DEFINITION);
    for (const node of saved.definition.nodes)
      expect(node.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });

    // Read back after a reload: the same graph, where it was drawn.
    await page.reload();
    for (const node of ['question', 'context', 'prompt', 'answer']) await card(node).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
    await page.getByText('Saved · revision 2').waitFor();
  });

  it('refuses a connection with its reason, and undoes and redoes edits', async () => {
    await openSeedWorkflow('Refusals');

    await drag(output('question', 'value'), input('answer', 'value'));
    await notice().getByText('input `value` of `answer` is already fed by `prompt.text`').waitFor();
    await drag(output('question', 'value'), output('context', 'value'));
    await notice()
      .getByText(/`question.value` and `context.value` are both outputs/)
      .waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(3);

    // Delete a node with the keyboard: its edges go with it; undo brings both back, redo removes them again.
    await card('prompt').click();
    await page.keyboard.press('Delete');
    await card('prompt').waitFor({ state: 'detached' });
    expect(await page.locator('.react-flow__edge').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await card('prompt').waitFor();
    await edgeCount(3);
    await page.keyboard.press('Control+Shift+z');
    await card('prompt').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Undo/ }).click();
    await card('prompt').waitFor();

    // A drag is one step: one undo puts the node back where it was.
    const before = (await card('answer').boundingBox())!;
    await drag(card('answer').locator('.card-title'), canvas().locator('.react-flow__pane'));
    await page.getByText('● Unsaved changes').waitFor();
    await page.keyboard.press('Control+z');
    await page.getByText('● Unsaved changes').waitFor({ state: 'detached' });
    expect((await card('answer').boundingBox())!.x).toBeCloseTo(before.x, 0);

    // Leaving with unsaved edits asks first.
    await page.getByRole('button', { name: /^Redo/ }).click();
    await page.getByText('● Unsaved changes').waitFor();
    dialogs.length = 0;
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    expect(dialogs).toEqual(['This workflow has unsaved changes. Leave without saving?']);
  });

  it('shows what a save refuses (422) on the node and on the field', async () => {
    const workflow = await openSeedWorkflow('Refused save');
    await card('context').click();
    await panel()
      .getByLabel(/^label/)
      .fill('User Question');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/^Not saved: 1 problem/).waitFor();
    const message = 'duplicate InputNode label "User Question": node "question" has it too';
    await card('context').getByText(`config.label: ${message}`).waitFor();
    // Under the field it concerns, which says so to assistive technology.
    const labelField = page.getByRole('textbox', { name: /^label/ });
    await panel().locator('.config-field', { has: labelField }).getByText(message).waitFor();
    expect(await panel().locator(labelField).getAttribute('aria-invalid')).toBe('true');
    expect((await stored(workflow.id)).revision).toBe(workflow.revision);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('shows both versions when someone saved first: "keep mine" saves over theirs, "take theirs" drops mine', async () => {
    const workflow = await openSeedWorkflow('Conflict');
    await card('prompt').click();
    await panel()
      .getByLabel(/^template/)
      .fill('((q)) / ((c)) mine');

    const theirs = structuredClone(SEED_DEFINITION);
    theirs.nodes[3].config.label = 'Reply';
    const patched = await t.http
      .patch(`/v1/workflows/${workflow.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .set('If-Match', `"${workflow.revision}"`)
      .send({ definition: theirs });
    expect(patched.status).toBe(200);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Someone saved this workflow first' });
    await dialog.waitFor();
    await dialog.getByText('"label": "Reply"').first().waitFor();
    await dialog.getByText('((q)) / ((c)) mine').first().waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/editor-conflict.png` });
    await dialog.getByRole('button', { name: /^Keep mine/ }).click();
    await page.getByText(`Saved as revision ${workflow.revision + 2}.`).waitFor();
    const after = await stored(workflow.id);
    expect(after.definition.nodes[2].config.template).toBe('((q)) / ((c)) mine');
    expect(after.definition.nodes[3].config.label).toBe('Answer');

    // Again, and this time "take theirs": their definition replaces the edits, nothing left to save.
    await panel()
      .getByLabel(/^template/)
      .fill('((q)) and ((c)), only mine');
    const again = await t.http
      .patch(`/v1/workflows/${workflow.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .set('If-Match', `"${after.revision}"`)
      .send({ definition: theirs });
    expect(again.status).toBe(200);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('button', { name: /^Take theirs/ }).click();
    await card('answer').getByText('Reply').waitFor();
    await page.getByText(`Saved · revision ${again.body.revision}`).waitFor();
    expect((await stored(workflow.id)).revision).toBe(again.body.revision);
  });

  it('shows the definition exactly as stored in the JSON tab, and takes edits back to the canvas', async () => {
    // Keys in an unusual order: the API keeps it, and so does the JSON tab.
    const sent =
      '{"edges":[{"to":{"input":"value","node_id":"out"},"from":{"output":"value","node_id":"in"}}],' +
      '"nodes":[{"type":"InputNode","id":"in","position":{"y":40,"x":0},"config":{"type":"str","label":"In"}},' +
      '{"config":{"label":"Out"},"id":"out","type":"OutputNode"}]}';
    const created = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send(`{"name":"Key order","definition":${sent}}`);
    expect(created.status).toBe(201);
    await page.goto(`${base}/console/workflows/${created.body.id}`);
    await card('out').waitFor();
    await page.getByRole('tab', { name: 'JSON' }).click();
    const text = page.getByLabel(/^Definition JSON/);
    expect(await text.inputValue()).toBe(JSON.stringify(JSON.parse(sent), null, 2));

    await text.fill('{"nodes": [');
    await page.getByRole('tab', { name: 'Editor' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Not valid JSON/)
      .waitFor();
    expect(await text.inputValue()).toBe('{"nodes": [');

    await text.fill(JSON.stringify(JSON.parse(sent), null, 2).replace('"Out"', '"Result"'));
    await page.getByRole('tab', { name: 'Editor' }).click();
    await card('out').getByText('Result').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as revision 2.').waitFor();
    const raw = await t.http.get(`/v1/workflows/${created.body.id}`).set('X-API-Key', ADMIN_KEY);
    expect(JSON.stringify(raw.body.definition)).toBe(sent.replace('"Out"', '"Result"'));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
