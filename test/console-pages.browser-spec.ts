/**
 * The console's navigation pages in a real browser (Debian's Chromium driven by playwright-core):
 * workflow names on runs, Run again, the debugger link of a run, the Schedules, Triggers, Secrets,
 * API keys and Groups pages (as an admin and as a member), and every page at a phone's 375 px width. Run by
 * `npm run test:browser`; screenshots go to test-output/.
 */
import { beforeAll, expect, it } from '@jest/globals';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations, type TestBrowser } from './support/browser.js';
import { describeInBrowser, OUTPUT_DIR, useConsoleInBrowser } from './support/console-in-browser.js';
import { ADMIN_KEY, type TestApp } from './support/test-app.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1400, height: 1000 };

describeInBrowser('the console: names, run again, schedules, secrets, keys, groups, and a phone', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  let browser: TestBrowser;
  let workflow: { id: string };
  const session = useConsoleInBrowser({ env: () => ({ SECRETS_KEY: randomBytes(32).toString('base64') }) });
  beforeAll(async () => {
    ({ t, page, base, browser } = session);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    workflow = await createWorkflow(t.http, SEED_DEFINITION, { name: 'Beginner answers' });
  });

  const api = (method: 'get' | 'post', path: string, body?: object, key = ADMIN_KEY) =>
    t.http[method](path)
      .set('X-API-Key', key)
      .send(body as object);

  const runSync = async (input: string, extra: object = {}) => {
    const answer = await api('post', `/v1/workflows/${workflow.id}/runs/sync`, {
      input: { 'User Question': input },
      ...extra,
    });
    expect(answer.status).toBe(200);
    return answer.body as { id: string };
  };

  async function signIn(key: string): Promise<void> {
    await page.goto(`${base}/console/`);
    await page.getByLabel('API key').fill(key);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  }

  async function expectAccessible(): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  /** The outermost elements whose right edge passes `width` (outside any box that scrolls). */
  const elementsPast = (width: number) =>
    page.evaluate((limit) => {
      const clipped = (element: Element): boolean => {
        for (let box = element.parentElement; box; box = box.parentElement) {
          if (getComputedStyle(box).overflowX !== 'visible') return true;
        }
        return false;
      };
      const past = [...document.body.querySelectorAll('*')].filter(
        (element) => element.getBoundingClientRect().right > limit + 0.5 && !clipped(element),
      );
      return past
        .filter((element) => !past.includes(element.parentElement!))
        .map((element) => `${element.tagName.toLowerCase()}.${element.className} ${element.textContent!.slice(0, 40)}`);
    }, width);

  const nav = () => page.getByRole('navigation', { name: 'Main' });

  it('titles a run by its workflow’s name and names the workflow of every run in the runs search', async () => {
    const run = await runSync('named');
    await page.goto(`${base}/console/runs/${run.id}`);
    const title = page.getByRole('heading', { level: 1 });
    await title.getByText(`run ${run.id.slice(0, 8)}…`).waitFor();
    await title.getByRole('link', { name: 'Beginner answers' }).waitFor();
    expect(await title.getByRole('link', { name: 'Beginner answers' }).getAttribute('href')).toBe(
      `/console/workflows/${workflow.id}`,
    );
    await expectAccessible();

    await nav().getByRole('link', { name: 'Runs' }).click();
    await page.getByTestId(`run-row-${run.id}`).getByRole('link', { name: 'Beginner answers' }).waitFor();
  });

  it('opens a debugger session from a run’s link with the session’s finished runs listed, and keeps following it', async () => {
    const session = `linked-${randomBytes(4).toString('hex')}`;
    const finished = await runSync('before the page', { debugger: session });
    await page.goto(`${base}/console/runs/${finished.id}`);
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    await page.getByRole('link', { name: session, exact: true }).click();

    // Named once the console has read the workflow's name (a workflow newer than the page's list is read again).
    const entry = page.getByTestId(`session-run-${finished.id}`);
    await entry.filter({ hasText: 'Beginner answers' }).waitFor();
    expect(await entry.textContent()).toBe(`Beginner answers · ${finished.id.slice(0, 8)}`);
    await expect(page.getByRole('heading', { name: /^Runs \(/ }).textContent()).resolves.toBe('Runs (1)');
    await page.locator('[data-testid="graph-node-answer"][data-status="completed"]').waitFor();
    await expectAccessible();

    await page.getByTestId('debugger-stream-state').getByText('Listening.').waitFor();
    const later = await runSync('while watching', { debugger: session });
    await page.getByTestId(`session-run-${later.id}`).waitFor();
    await expect(page.getByRole('heading', { name: /^Runs \(/ }).textContent()).resolves.toBe('Runs (2)');
  });

  it('runs a finished run again with one click: same input, same definition, and opens the new run', async () => {
    const source = await runSync('once more');
    await page.goto(`${base}/console/runs/${source.id}`);
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    await page.getByRole('button', { name: 'Run again' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(source.id));
    await page.locator('p.hint', { hasText: `replay of ${source.id.slice(0, 8)}` }).waitFor();
    await page.getByRole('heading', { level: 1, name: /completed/ }).waitFor();
    const againId = page.url().split('/').pop()!;
    const again = (await api('get', `/v1/runs/${againId}`)).body;
    expect(again).toMatchObject({
      replay_of: source.id,
      workflow_id: workflow.id,
      input: { 'User Question': 'once more' },
    });
  });

  it('creates a schedule (its 422 next to the field), pauses, resumes and deletes it', async () => {
    const version = (await api('post', `/v1/workflows/${workflow.id}/versions`, { name: 'launch' })).body as {
      id: string;
    };
    await nav().getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schedules' }).waitFor();
    await page.getByText('No schedules yet.').waitFor();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New schedule' }) });
    await form.getByLabel('Workflow').selectOption({ label: 'Beginner answers' });
    await form.getByLabel('Cron').fill('every morning');
    await form.getByLabel('Time zone').fill('Europe/Paris');
    await form.getByLabel('Input (JSON object)').fill('{"User Question": "scheduled"}');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    const cronProblem = page.locator('#schedule-cron-problem');
    await cronProblem.waitFor();
    expect(await page.getByLabel('Cron').getAttribute('aria-describedby')).toContain('schedule-cron-problem');
    await expectAccessible();

    await form.getByLabel('Input (JSON object)').fill('{"User Question": ');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await page.locator('#schedule-input-problem', { hasText: 'is not JSON' }).waitFor();

    await form.getByLabel('Input (JSON object)').fill('{"User Question": "scheduled"}');
    await form.getByLabel('Cron').fill('0 7 * * 1-5');
    await form.getByLabel('Definition').selectOption({ label: 'Version 1: launch' });
    await form.getByLabel('Metadata of its runs key 1').fill('origin');
    await form.getByLabel('Metadata of its runs value 1').fill('console');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await form
      .getByRole('status')
      .getByText(/^Created; next run/)
      .waitFor();
    expect(await cronProblem.count()).toBe(0);

    const listed = (await api('get', '/v1/schedules')).body.items as { id: string }[];
    expect(listed).toHaveLength(1);
    const row = page.getByTestId(`schedule-${listed[0].id}`);
    await row.getByRole('link', { name: 'Beginner answers' }).waitFor();
    await row.getByText('0 7 * * 1-5').waitFor();
    await row.getByText('origin = console').waitFor();
    await row.getByRole('cell', { name: 'active' }).waitFor();
    const stored = () => api('get', `/v1/workflows/${workflow.id}/schedules/${listed[0].id}`);
    await page.screenshot({ path: `${OUTPUT_DIR}/console-schedules.png`, fullPage: true });
    expect((await stored()).body).toMatchObject({
      workflow_version_id: version.id,
      timezone: 'Europe/Paris',
      input: { 'User Question': 'scheduled' },
      enabled: true,
    });

    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByRole('cell', { name: 'paused' }).waitFor();
    expect((await stored()).body).toMatchObject({ enabled: false, next_run_at: null });
    await row.getByRole('button', { name: 'Resume' }).click();
    await row.getByRole('cell', { name: 'active' }).waitFor();
    expect((await stored()).body.enabled).toBe(true);
    await expectAccessible();

    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('group', { name: /^Delete the schedule 0 7 \* \* 1-5 of Beginner answers/ }).waitFor();
    await row.getByRole('button', { name: 'Delete schedule' }).click();
    await page.getByText('No schedules yet.').waitFor();
    expect((await stored()).status).toBe(404);
  });

  it('creates a webhook trigger (its 422 beside the mapping), shows its URL and secret once, and disables, rotates and deletes it', async () => {
    await nav().getByRole('link', { name: 'Triggers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook triggers' }).waitFor();
    await page.locator('#triggers-workflow').selectOption({ label: 'Beginner answers' });
    await page.getByText('No triggers on this workflow yet.').waitFor();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New webhook trigger' }) });
    await form.getByLabel('Name').fill('code host');
    await form.getByLabel('Verification').selectOption('github');
    const mapping = form.getByLabel(/^Input mapping/);
    await mapping.fill('{ "User Question": body.message');
    await form.getByRole('button', { name: 'Create trigger' }).click();
    await page.locator('#trigger-mapping-problem').waitFor();
    await mapping.fill('{ "User Question": body.message }');
    await form.getByRole('button', { name: 'Create trigger' }).click();

    const credentials = page.locator('section', { has: page.getByRole('heading', { name: /store these now/ }) });
    const shown = async () => {
      // A GitHub trigger has both: its URL and its secret.
      await credentials.locator('code').nth(1).waitFor();
      const [url, secret] = await credentials.locator('code').allTextContents();
      return { path: new URL(url).pathname, secret };
    };
    const first = await shown();
    await expectAccessible();
    // The URL and secret on the page are the ones that work: a delivery signed with it starts a run.
    const body = JSON.stringify({ message: 'from the console' });
    const delivered = await t.http
      .post(first.path)
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature-256', `sha256=${createHmac('sha256', first.secret).update(body).digest('hex')}`)
      .set('X-GitHub-Delivery', randomUUID())
      .send(body);
    expect(delivered.status).toBe(202);
    await credentials.getByRole('button', { name: 'Done' }).click();
    expect(await credentials.count()).toBe(0);

    const [trigger] = (await api('get', `/v1/workflows/${workflow.id}/triggers`)).body.items as { id: string }[];
    const row = page.getByTestId(`trigger-${trigger.id}`);
    await row.getByRole('cell', { name: 'enabled' }).waitFor();
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByRole('cell', { name: 'disabled' }).waitFor();
    expect((await api('get', `/v1/triggers/${trigger.id}`)).body.enabled).toBe(false);
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByRole('cell', { name: 'enabled' }).waitFor();

    await row.getByRole('button', { name: 'Rotate' }).click();
    await row.getByRole('button', { name: 'Rotate URL and secret' }).click();
    await credentials.waitFor();
    const second = await shown();
    expect(second.path).not.toBe(first.path);
    expect(second.secret).not.toBe(first.secret);
    expect((await t.http.post(first.path).set('Content-Type', 'application/json').send(body)).status).toBe(404);
    await credentials.getByRole('button', { name: 'Done' }).click();

    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Delete trigger' }).click();
    await page.getByText('No triggers on this workflow yet.').waitFor();
    expect((await api('get', `/v1/triggers/${trigger.id}`)).status).toBe(404);
  });

  it('sets a secret whose value never reaches the page, shows refusals by field, and deletes it', async () => {
    const value = `sk-live-${randomBytes(12).toString('hex')}`;
    await nav().getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Set a secret' }) });
    expect(await form.getByLabel('Value').getAttribute('type')).toBe('password');

    await form.getByLabel('Name').fill('1BAD');
    await form.getByLabel('Value').fill(value);
    await form.getByRole('button', { name: 'Set secret' }).click();
    await page.locator('#secret-name-problem', { hasText: 'letters, digits or _' }).waitFor();
    await form.getByLabel('Name').fill('API_TOKEN');
    await form.getByLabel('Value').fill('short');
    await form.getByRole('button', { name: 'Set secret' }).click();
    await page.locator('#secret-value-problem').waitFor();
    await expectAccessible();

    await form.getByLabel('Value').fill(value);
    await form.getByRole('button', { name: 'Set secret' }).click();
    await form.getByRole('status').getByText('Created API_TOKEN.').waitFor();
    await page.getByRole('cell', { name: 'API_TOKEN', exact: true }).waitFor();
    const seen = await page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      inputs: [...document.querySelectorAll('input, textarea')].map((field) => (field as HTMLInputElement).value),
    }));
    expect(seen.html).not.toContain(value);
    expect(seen.inputs).not.toContain(value);
    const listed = (await api('get', '/v1/secrets')).body.items as { name: string }[];
    expect(listed.map((secret) => secret.name)).toEqual(['API_TOKEN']);

    await page.getByRole('button', { name: 'Delete API_TOKEN' }).click();
    await page.getByRole('button', { name: 'Delete secret' }).click();
    await page.getByText('No secrets yet.').waitFor();
    expect((await api('get', '/v1/secrets')).body.items).toEqual([]);
  });

  it('creates an API key shown once with a copy button, and revokes it', async () => {
    await nav().getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New API key' }) });
    await form.getByLabel('Name').fill('ci pipeline');
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.locator('fieldset + .field-problem').waitFor();

    await form.getByRole('checkbox', { name: 'default' }).check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    const key = (await shown.textContent())!;
    expect(key).toMatch(/^rl_/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('status').getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    expect((await api('get', '/v1/me', undefined, key)).status).toBe(200);
    await expectAccessible();

    await page.reload();
    const created = (
      (await api('get', '/v1/api-keys?page_size=100')).body.items as { id: string; name: string }[]
    ).find((item) => item.name === 'ci pipeline')!;
    const row = page.getByTestId(`api-key-${created.id}`);
    await row.getByRole('cell', { name: 'default (default)' }).waitFor();
    expect(await page.content()).not.toContain(key);
    await row.getByRole('button', { name: 'Revoke ci pipeline' }).click();
    await row.getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText(/^revoked /).waitFor();
    expect((await api('get', '/v1/me', undefined, key)).status).toBe(401);
  });

  it('creates a group and changes a limit, with the API’s refusal beside the limit', async () => {
    await nav().getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByLabel('Name').fill('Marketing');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('button', { name: 'Limits of Marketing' }).click();
    const limits = page.locator('#group-limits');
    await limits.getByRole('heading', { name: 'Limits of Marketing' }).waitFor();
    await limits.getByLabel('max_schedules').fill('100000000');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await page.locator('#limit-max_schedules-problem').waitFor();
    await expectAccessible();

    await limits.getByLabel('max_schedules').fill('5');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await limits.getByRole('status').getByText('Limits saved.').waitFor();
    await limits.getByText(/^In force: 5; default 100/).waitFor();
    const groups = (await api('get', '/v1/groups?page_size=100')).body.items as { id: string; name: string }[];
    const marketing = groups.find((group) => group.name === 'Marketing')!;
    expect((await api('get', `/v1/groups/${marketing.id}`)).body.limits.max_schedules).toEqual({
      value: 5,
      default: 100,
      overridden: true,
    });
  });

  it('renames a group, shows why a group that holds something is not deleted, and deletes it with force', async () => {
    await nav().getByRole('link', { name: 'Groups' }).click();
    await page.locator('#group-form').getByLabel('Name', { exact: true }).fill('Outreach');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('button', { name: 'Limits of Outreach' }).click();
    const renameForm = page.locator('#group-rename');
    await renameForm.getByLabel('New name').fill('Outreach EMEA');
    await renameForm.getByRole('button', { name: 'Rename group' }).click();
    await page.getByRole('cell', { name: 'Outreach EMEA', exact: true }).waitFor();
    const groups = (await api('get', '/v1/groups?page_size=100')).body.items as { id: string; name: string }[];
    const outreach = groups.find((group) => group.name === 'Outreach EMEA')!;
    expect(
      (await api('post', `/v1/workflows?group_id=${outreach.id}`, { name: 'held', definition: SEED_DEFINITION }))
        .status,
    ).toBe(201);

    await page.getByRole('button', { name: 'Limits of Outreach EMEA' }).click();
    const deleteForm = page.locator('#group-delete');
    await deleteForm.getByRole('button', { name: 'Delete group' }).click();
    await deleteForm.getByText(/The group holds 1 workflows/).waitFor();
    await expectAccessible();
    await deleteForm.getByLabel(/with everything it holds/).check();
    await deleteForm.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Limits of Outreach EMEA' }).waitFor({ state: 'detached' });
    expect((await api('get', `/v1/groups/${outreach.id}`)).status).toBe(404);
  });

  it('tells a member key that keys and groups are for admins, and lets it manage secrets', async () => {
    const member = await api('post', '/v1/api-keys', { name: 'member', role: 'member', group_ids: [t.defaultGroupId] });
    await signOut();
    await signIn(member.body.key as string);
    for (const [link, what] of [
      ['API keys', 'API keys'],
      ['Groups', 'groups'],
    ]) {
      await nav().getByRole('link', { name: link }).click();
      await page.getByTestId('admin-only').getByText(`Only admin keys manage ${what}.`).waitFor();
      expect(await page.locator('form').count()).toBe(0);
      await expectAccessible();
    }
    await nav().getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('button', { name: 'Set secret' }).waitFor();
    await signOut();
    await signIn(ADMIN_KEY);
  });

  it('fits every page in 375 px: no sideways scrolling, Sign out in reach, the nav behind a Menu button', async () => {
    const run = await runSync('on a phone', { debugger: 'phone' });
    await api('post', `/v1/workflows/${workflow.id}/schedules`, { cron: '0 7 * * *', timezone: 'Europe/Paris' });
    await page.setViewportSize(PHONE);
    const pages = [
      ['/', 'Workflows'],
      [`/workflows/${workflow.id}`, 'Beginner answers'],
      ['/runs', 'Runs'],
      [`/runs/${run.id}`, /Beginner answers/],
      ['/debugger/phone', 'Debugger session phone'],
      ['/schedules', 'Schedules'],
      ['/secrets', 'Secrets'],
      ['/api-keys', 'API keys'],
      ['/groups', 'Groups'],
    ] as const;
    for (const [path, heading] of pages) {
      await page.goto(`${base}/console${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      // Tables and the graph fill in after the heading.
      await page.waitForFunction(() => !document.body.innerText.includes('Loading'));
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      // What sticks out, named, so that a failure says where to look.
      const sticking = width <= PHONE.width ? [] : await elementsPast(PHONE.width);
      expect({ path, width, sticking }).toEqual({ path, width, sticking: [] });
      expect(width).toBeLessThanOrEqual(PHONE.width);
      const signOut = page.getByRole('button', { name: 'Sign out' });
      expect(await signOut.isVisible()).toBe(true);
      const box = (await signOut.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await signOut.click({ trial: true });
      await expectAccessible();
      if (path === `/runs/${run.id}`) await page.screenshot({ path: `${OUTPUT_DIR}/console-375.png`, fullPage: true });
    }

    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await nav().getByRole('link', { name: 'Schedules' }).isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: `${OUTPUT_DIR}/console-375-menu.png` });
    await nav().getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schedules' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await page.setViewportSize(DESKTOP);
    expect(await menu.isVisible()).toBe(false);
  }, 90_000);
});
