/**
 * A workflow's versions in a real browser (Debian's Chromium driven by playwright-core): snapshot
 * with a message, compare two versions and the draft (marks on the graph, the change list, the
 * JSON diff), restore into the draft, and a restore refused because the draft changed meanwhile.
 * Run by `npm run test:browser`; screenshots go to test-output/.
 */
import { beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { createWorkflow, edge, SEED_DEFINITION } from './support/workflows.js';

/** The seed with the prompt's template changed: what version 2 holds. */
const EXCLAIMED = structuredClone(SEED_DEFINITION);
EXCLAIMED.nodes[2].config = { template: '((q)) — ((c))!' };

/** Version 2 without the `context` input (nor its edge), and with an `echo` output added. */
const REWIRED = {
  nodes: [
    SEED_DEFINITION.nodes[0],
    { id: 'prompt', type: 'TextTemplateNode', config: { template: '((q))!' } },
    SEED_DEFINITION.nodes[3],
    { id: 'echo', type: 'OutputNode', config: { label: 'Echo' } },
  ],
  edges: [
    edge('question.value', 'prompt.q'),
    edge('prompt.text', 'answer.value'),
    edge('question.value', 'echo.value'),
  ],
};

describeInBrowser('the console: versions, diff and restore', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  let workflowId: string;
  const session = useConsoleInBrowser();
  beforeAll(async () => {
    ({ t, page, base } = session);
    workflowId = (await createWorkflow(t.http, SEED_DEFINITION, { name: 'Versioned' })).id;
  });

  const getWorkflow = async () => (await t.http.get(`/v1/workflows/${workflowId}`).set('X-API-Key', ADMIN_KEY)).body;

  /** Saves `definition` as the draft the way an editor does: PATCH with If-Match. */
  async function saveDraft(definition: object): Promise<void> {
    const { revision } = await getWorkflow();
    const res = await t.http
      .patch(`/v1/workflows/${workflowId}`)
      .set('X-API-Key', ADMIN_KEY)
      .set('If-Match', `"${revision}"`)
      .send({ definition });
    expect(res.status).toBe(200);
  }

  async function snapshot(name: string, message: string): Promise<void> {
    await page.getByLabel(/^Name/).fill(name);
    await page.getByLabel(/^Message/).fill(message);
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByRole('status').getByText(`(${name}).`).waitFor();
  }

  const compare = async (before: string, after: string) => {
    await page.getByLabel('Compare', { exact: true }).selectOption({ label: before });
    await page.getByLabel('with', { exact: true }).selectOption({ label: after });
  };

  /** The workflow's page on its Versions tab. */
  async function openVersions(): Promise<void> {
    await page.goto(`${base}/console/workflows/${workflowId}`);
    await page.getByRole('tab', { name: 'Versions' }).click();
  }

  const marked = (nodeId: string, diff: string) =>
    page.locator(`.compare [data-testid="graph-node-${nodeId}"][data-diff="${diff}"]`);

  it('snapshots with a message, then compares two versions: the changed node marked, its field named, the JSON lines', async () => {
    await openVersions();
    await page.getByText('No versions yet').waitFor();
    await snapshot('first', 'The seed, as it came');
    await saveDraft(EXCLAIMED);
    await snapshot('exclaimed', 'Louder answers');

    const versions = (await t.http.get(`/v1/workflows/${workflowId}/versions`).set('X-API-Key', ADMIN_KEY)).body.items;
    expect(versions.map((v: { number: number; description: string }) => [v.number, v.description])).toEqual([
      [2, 'Louder answers'],
      [1, 'The seed, as it came'],
    ]);
    expect(versions[1].definition).toEqual(SEED_DEFINITION);
    const row = page.getByTestId('version-1');
    await row.getByText('The seed, as it came').waitFor();

    await compare('version 1 (first)', 'version 2 (exclaimed)');
    const prompt = marked('prompt', 'changed');
    await prompt.waitFor();
    await expect(prompt.locator('.card-diff').textContent()).resolves.toBe('changed');
    expect(await page.locator('.compare [data-diff]').count()).toBe(1);
    await page.getByText('1 node changed.').waitFor();
    await page
      .getByRole('list', { name: 'What changed in prompt' })
      .getByText('config.template: "((q)) — ((c))" → "((q)) — ((c))!"')
      .waitFor();
    const lines = page.getByRole('region', { name: 'JSON diff lines' });
    // One line each way, told by its sign and in words, not by colour alone.
    const removed = lines.locator('del.diff-line');
    const added = lines.locator('ins.diff-line');
    expect([await removed.count(), await added.count()]).toEqual([1, 1]);
    await expect(removed.locator('.diff-text').textContent()).resolves.toBe('        "template": "((q)) — ((c))"');
    await expect(removed.locator('.diff-sign').textContent()).resolves.toBe('-');
    await expect(removed.locator('.visually-hidden').textContent()).resolves.toBe('removed: ');
    await expect(added.locator('.diff-text').textContent()).resolves.toBe('        "template": "((q)) — ((c))!"');
    await expect(added.locator('.diff-sign').textContent()).resolves.toBe('+');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Each version names the key that made it.
    expect(versions[1].author_key_name).toEqual(expect.any(String));
    await row.getByText(versions[1].author_key_name, { exact: true }).waitFor();
  });

  it('compares the draft with a version: a node added and one removed, with their edges', async () => {
    await saveDraft(REWIRED);
    await openVersions();
    // It opens on the newest version against the draft.
    await marked('echo', 'added').locator('.card-diff', { hasText: 'added' }).waitFor();
    await marked('context', 'removed').locator('.card-diff', { hasText: 'removed' }).waitFor();
    await marked('prompt', 'changed').waitFor();
    expect(await page.locator('.compare [data-testid="graph-node-question"]').getAttribute('data-diff')).toBeNull();
    const changes = page.getByRole('list', { name: 'List of changes' });
    await changes.getByText('Edge question.value → echo.value added').waitFor();
    await changes.getByText('Edge context.value → prompt.c removed').waitFor();
    await page.getByText('1 node added, 1 removed, 1 changed; 1 edge added, 1 removed.').waitFor();
    await page.getByRole('list', { name: "Legend of the graph's marks" }).waitFor();
    await page.locator('.compare').screenshot({ path: `${OUTPUT_DIR}/console-versions-diff.png` });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('restores the first version into the draft', async () => {
    const before = await getWorkflow();
    await page.getByRole('button', { name: 'Restore version 1 into draft…' }).click();
    await page
      .getByRole('group', { name: 'Confirm restoring version 1' })
      .getByRole('button', { name: 'Restore version 1' })
      .click();
    await page.getByText(`Restored version 1 into the draft (now revision ${before.revision + 1}).`).waitFor();
    const after = await getWorkflow();
    expect(after).toMatchObject({ revision: before.revision + 1, definition: SEED_DEFINITION });

    // The panel holds the restored draft: version 1 against it differs in nothing.
    await page.getByRole('button', { name: 'Compare version 1 with draft' }).click();
    await expect(page.getByLabel('with', { exact: true }).inputValue()).resolves.toBe('draft');
    await page.getByText('No differences.').waitFor();
    await page.getByText('The two definitions are the same text.').waitFor();
    await page.locator('.versions').screenshot({ path: `${OUTPUT_DIR}/console-versions.png` });
  });

  it('refuses a restore over a draft changed meanwhile (412), and reloads the draft on request', async () => {
    await saveDraft(REWIRED);
    const changed = await getWorkflow();
    await page.getByRole('button', { name: 'Restore version 2 into draft…' }).click();
    await page.getByRole('button', { name: 'Restore version 2', exact: true }).click();
    await page.getByRole('alert').getByText('Not restored: the draft changed since this page loaded it').waitFor();
    expect(await getWorkflow()).toMatchObject({ revision: changed.revision, definition: REWIRED });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Reload the draft' }).click();
    await page.getByText(`Reloaded the draft (revision ${changed.revision}).`).waitFor();
    await page.getByRole('button', { name: 'Restore version 2 into draft…' }).click();
    await page.getByRole('button', { name: 'Restore version 2', exact: true }).click();
    await page.getByText(`Restored version 2 into the draft (now revision ${changed.revision + 1}).`).waitFor();
    expect((await getWorkflow()).definition).toEqual(EXCLAIMED);
  });
});
