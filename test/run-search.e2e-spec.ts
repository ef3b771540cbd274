import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';
import { createWorkflow, edge, failWorkflow, SEED_DEFINITION, waitWorkflow } from './support/workflows.js';

interface Run {
  id: string;
  workflow_id: string;
  status: string;
  created_at: string;
  finished_at: string | null;
  schedule_id: string | null;
  parent_run_id: string | null;
  retry_of: string | null;
  metadata: Record<string, string>;
}

const QUESTION = { 'User Question': 'searchable?' };

/** item → OutputNode `value`: a leaf the trees below call. */
const LEAF = {
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
    { id: 'out', type: 'OutputNode', config: { label: 'value' } },
  ],
  edges: [edge('item.value', 'out.value')],
};
const sorted = (ids: string[]) => [...ids].sort();
/** The fields a 422 problem names, each once (a value may break several rules). */
const fieldsOf = (problem: { errors: { field: string }[] }) => [...new Set(problem.errors.map((e) => e.field))];
const newestFirst = (a: Run, b: Run) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

describe('GET /v1/runs: one search across the workflows of a group', () => {
  let t: TestApp;
  let other: { groupId: string; key: string };
  const w: Record<'a' | 'b' | 'failing' | 'waiting' | 'leaf' | 'inner' | 'outer', string> = {} as never;
  const r: Record<'acmePro' | 'acmeFree' | 'globex' | 'failed' | 'retry' | 'waiting' | 'root' | 'foreign', Run> =
    {} as never;
  let scheduleId: string;
  /** Every run of the default group, newest first, as the per-workflow lists and run reads show them. */
  let all: Run[];

  const get = (path: string, key = ADMIN_KEY) => t.http.get(path).set('X-API-Key', key);
  const post = (path: string, body: object, key = ADMIN_KEY) => t.http.post(path).set('X-API-Key', key).send(body);
  async function search(query: string, key = ADMIN_KEY): Promise<{ items: Run[]; next_cursor: string | null }> {
    const res = await get(`/v1/runs?${query}`, key);
    expect(res.status).toBe(200);
    return res.body;
  }
  /** Every page of a search, followed through next_cursor. */
  async function searchAll(query: string, key = ADMIN_KEY): Promise<Run[]> {
    const runs: Run[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = await search(`${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, key);
      runs.push(...page.items);
      cursor = page.next_cursor;
    }
    return runs;
  }
  async function runSync(workflowId: string, body: object, key = ADMIN_KEY): Promise<Run> {
    const res = await post(`/v1/workflows/${workflowId}/runs/sync`, body, key);
    expect([200, 202]).toContain(res.status);
    return res.body;
  }
  /** The workflow's runs as its own list shows them (GET /v1/workflows/{id}/runs). */
  async function runsOf(workflowId: string, query = ''): Promise<Run[]> {
    const res = await get(`/v1/workflows/${workflowId}/runs?page_size=100${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }
  const expectIds = (runs: Run[], expected: Run[]) =>
    expect(sorted(runs.map((run) => run.id))).toEqual(sorted(expected.map((run) => run.id)));

  beforeAll(async () => {
    t = await createTestApp();
    other = await newGroupWithKey(t.http, 'other tenant');
    w.a = (await createWorkflow(t.http, SEED_DEFINITION, { name: 'a' })).id;
    w.b = (await createWorkflow(t.http, SEED_DEFINITION, { name: 'b' })).id;
    w.failing = (await createWorkflow(t.http, failWorkflow('down'), { name: 'failing' })).id;
    w.waiting = (await createWorkflow(t.http, waitWorkflow(3_600_000), { name: 'waiting' })).id;
    w.leaf = (await createWorkflow(t.http, LEAF, { name: 'leaf' })).id;
    w.inner = (
      await createWorkflow(
        t.http,
        {
          nodes: [
            { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
            { id: 'call', type: 'WorkflowNode', config: { workflow_id: w.leaf, inputs: ['item'], outputs: ['value'] } },
            { id: 'out', type: 'OutputNode', config: { label: 'value' } },
          ],
          edges: [edge('item.value', 'call.item'), edge('call.value', 'out.value')],
        },
        { name: 'inner' },
      )
    ).id;
    w.outer = (
      await createWorkflow(
        t.http,
        {
          nodes: [
            { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
            { id: 'each', type: 'MapNode', config: { workflow_id: w.inner, concurrency: 2 } },
            { id: 'out', type: 'OutputNode', config: { label: 'results' } },
          ],
          edges: [edge('items.value', 'each.items'), edge('each.results', 'out.value')],
        },
        { name: 'outer' },
      )
    ).id;

    r.acmePro = await runSync(w.a, { input: QUESTION, metadata: { customer: 'acme', plan: 'pro' } });
    r.acmeFree = await runSync(w.a, { input: QUESTION, metadata: { customer: 'acme', plan: 'free' } });
    r.globex = await runSync(w.b, { input: QUESTION, metadata: { customer: 'globex', 'region.eu': 'yes' } });
    r.failed = await runSync(w.failing, { input: {}, metadata: { customer: 'acme' } });
    const retried = await post(`/v1/runs/${r.failed.id}/retry?mode=sync`, { metadata: { customer: 'acme', try: '2' } });
    expect(retried.status).toBe(200);
    r.retry = retried.body;
    r.waiting = await runSync(w.waiting, { input: {}, metadata: { customer: 'initech' } });
    expect(r.waiting.status).toBe('waiting');
    r.root = await runSync(w.outer, { input: { items: [1, 2] } });
    expect(r.root.status).toBe('completed');
    const foreignWorkflow = await createWorkflow(t.http, SEED_DEFINITION, { key: other.key });
    r.foreign = await runSync(
      foreignWorkflow.id,
      { input: QUESTION, metadata: { customer: 'acme', plan: 'pro' } },
      other.key,
    );

    const schedule = await post(`/v1/workflows/${w.a}/schedules`, { cron: '* * * * * *', input: QUESTION });
    expect(schedule.status).toBe(201);
    scheduleId = schedule.body.id;
    await waitFor(
      async () => ((await runsOf(w.a)).some((run) => run.schedule_id === scheduleId) ? true : undefined),
      15_000,
    );
    const paused = await t.http
      .patch(`/v1/workflows/${w.a}/schedules/${scheduleId}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ enabled: false });
    expect(paused.status).toBe(200);
    // A tick already under way when the schedule was paused still writes its run.
    await sleep(1_500);

    all = (await Promise.all(Object.values(w).map((id) => runsOf(id)))).flat().sort(newestFirst);
  }, 60_000);
  afterAll(() => t.close());

  it('lists every run of the group, of every workflow and depth, newest first, and no other group’s', async () => {
    const found = await searchAll('status=queued,running,waiting,completed,failed,stopped');
    expect(found.map((run) => run.id)).toEqual(all.map((run) => run.id));
    expect((await searchAll('')).map((run) => run.id)).toEqual(found.map((run) => run.id));
    expect(found.map((run) => run.id)).not.toContain(r.foreign.id);
    // The runs as their own endpoint shows them, metadata included.
    expect(found.find((run) => run.id === r.acmePro.id)).toEqual((await get(`/v1/runs/${r.acmePro.id}`)).body);
    expect(found.find((run) => run.id === r.acmePro.id)?.metadata).toEqual({ customer: 'acme', plan: 'pro' });
  });

  it('filters by status, one or several (repeated or comma-separated)', async () => {
    expectIds((await search('status=failed')).items, [r.failed, r.retry]);
    expectIds((await search('status=waiting')).items, [r.waiting]);
    const several = all.filter((run) => ['failed', 'waiting'].includes(run.status));
    expectIds((await search('status=failed,waiting')).items, several);
    expectIds((await search('status=failed&status=waiting')).items, several);
    expectIds((await search('status=stopped')).items, []);
  });

  it('filters by workflow_id, and finds nothing for another group’s workflow', async () => {
    expectIds((await search(`workflow_id=${w.b}`)).items, [r.globex]);
    expectIds((await search(`workflow_id=${w.a}&limit=200`)).items, await runsOf(w.a));
    expectIds((await search(`workflow_id=${r.foreign.workflow_id}`)).items, []);
    expectIds((await search(`workflow_id=${w.b.toUpperCase()}`)).items, [r.globex]);
  });

  it('filters by created_after (inclusive) and created_before (exclusive)', async () => {
    const at = r.globex.created_at;
    const after = (await searchAll(`created_after=${at}`)).map((run) => run.id);
    const before = (await searchAll(`created_before=${at}`)).map((run) => run.id);
    expect(sorted(after)).toEqual(sorted(all.filter((run) => run.created_at >= at).map((run) => run.id)));
    expect(sorted(before)).toEqual(sorted(all.filter((run) => run.created_at < at).map((run) => run.id)));
    expect(after).toContain(r.globex.id);
    expect(before).toContain(r.acmePro.id);
    expect(after.length + before.length).toBe(all.length);
    const window = await searchAll(`created_after=${r.acmeFree.created_at}&created_before=${r.failed.created_at}`);
    expectIds(
      window,
      all.filter((run) => run.created_at >= r.acmeFree.created_at && run.created_at < r.failed.created_at),
    );
    expect(window.map((run) => run.id)).toEqual(expect.arrayContaining([r.acmeFree.id, r.globex.id]));
    // An offset other than Z means the same instant.
    const shifted = new Date(r.globex.created_at).getTime() + 2 * 3_600_000;
    const plusTwo = `${new Date(shifted).toISOString().slice(0, 23)}+02:00`;
    expect((await searchAll(`created_after=${encodeURIComponent(plusTwo)}`)).map((run) => run.id)).toEqual(after);
  });

  it('filters by finished_after and finished_before; unfinished runs match neither', async () => {
    const at = r.globex.finished_at!;
    const after = await searchAll(`finished_after=${at}`);
    const before = await searchAll(`finished_before=${at}`);
    expectIds(
      after,
      all.filter((run) => run.finished_at !== null && run.finished_at >= at),
    );
    expectIds(
      before,
      all.filter((run) => run.finished_at !== null && run.finished_at < at),
    );
    expect(after.map((run) => run.id)).toContain(r.globex.id);
    expect([...after, ...before].map((run) => run.id)).not.toContain(r.waiting.id);
  });

  it('filters by schedule_id', async () => {
    const scheduled = all.filter((run) => run.schedule_id === scheduleId);
    expect(scheduled.length).toBeGreaterThan(0);
    expectIds(await searchAll(`schedule_id=${scheduleId}`), scheduled);
  });

  it('filters by parent_run_id (direct children) and root_run_id (the whole tree below a root)', async () => {
    const inner = await runsOf(w.inner, `&parent_run_id=${r.root.id}`);
    const leaves = await runsOf(w.leaf);
    expect(inner).toHaveLength(2);
    expect(leaves).toHaveLength(2);
    expectIds((await search(`parent_run_id=${r.root.id}`)).items, inner);
    expectIds(
      (await search(`parent_run_id=${inner[0].id}`)).items,
      leaves.filter((run) => run.parent_run_id === inner[0].id),
    );
    expectIds((await search(`root_run_id=${r.root.id}`)).items, [...inner, ...leaves]);
    expectIds((await search(`root_run_id=${r.acmePro.id}`)).items, []);
  });

  it('filters by retry_of', async () => {
    expect(r.retry.retry_of).toBe(r.failed.id);
    expectIds((await search(`retry_of=${r.failed.id}`)).items, [r.retry]);
    expectIds((await search(`retry_of=${r.acmePro.id}`)).items, []);
  });

  it('filters by metadata.<key>=<value>, every pair given matching, also as metadata[<key>]', async () => {
    expectIds((await search('metadata.customer=acme')).items, [r.acmePro, r.acmeFree, r.failed, r.retry]);
    expectIds((await search('metadata.customer=acme&metadata.plan=pro')).items, [r.acmePro]);
    expectIds((await search('metadata.customer=acme&metadata.try=2')).items, [r.retry]);
    expectIds((await search('metadata.customer=globex&metadata.plan=pro')).items, []);
    expectIds((await search('metadata.region.eu=yes')).items, [r.globex]);
    expectIds((await search('metadata[customer]=acme&metadata[plan]=free')).items, [r.acmeFree]);
    expectIds((await search('metadata.customer=ACME')).items, []);
    expectIds((await search('metadata.customer=acme&status=failed')).items, [r.failed, r.retry]);
    expectIds(
      (await search(`metadata.customer=acme&workflow_id=${w.a}&created_after=${r.acmeFree.created_at}`)).items,
      [r.acmeFree],
    );
  });

  it('shows another group only its own runs; an admin key sees them with group_id', async () => {
    expectIds((await search('', other.key)).items, [r.foreign]);
    expectIds((await search('metadata.customer=acme&metadata.plan=pro', other.key)).items, [r.foreign]);
    expectIds((await search(`group_id=${other.groupId}`)).items, [r.foreign]);
    expectProblem(await get(`/v1/runs?group_id=${t.defaultGroupId}`, other.key), 403);
    expectIds((await search(`parent_run_id=${r.root.id}`, other.key)).items, []);
  });

  it('takes limits from 1 to 200 (default 50)', async () => {
    const first = await search('limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.items[0].id).toBe(all[0].id);
    expect(typeof first.next_cursor).toBe('string');
    expect((await search('limit=200')).items).toHaveLength(Math.min(all.length, 200));
    for (const limit of ['0', '201', '-1', '1.5', 'ten', '']) {
      const res = await get(`/v1/runs?limit=${limit}`);
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res.body)).toEqual(['limit']);
    }
  });

  it('answers 422 problems naming the parameter for every bad filter, never a 500', async () => {
    const bad: [string, string][] = [
      ['workflow_id=nope', 'workflow_id'],
      ['parent_run_id=1234', 'parent_run_id'],
      ['root_run_id=', 'root_run_id'],
      ['schedule_id=x', 'schedule_id'],
      ['retry_of=00000000-0000-0000-0000-00000000000g', 'retry_of'],
      [`workflow_id=${w.a}&workflow_id=${w.b}`, 'workflow_id'],
      ['created_after=yesterday', 'created_after'],
      ['created_after=2026-02-30T00:00:00Z', 'created_after'],
      ['created_before=2026-12-03T10:00:00', 'created_before'],
      ['finished_after=2026-W49', 'finished_after'],
      ['finished_before=1733220000', 'finished_before'],
      ['status=done', 'status'],
      ['status=failed,', 'status'],
      ['status=', 'status'],
      ['metadata.Customer=acme', 'metadata'],
      [`metadata.${'k'.repeat(65)}=v`, 'metadata'],
      [`metadata.note=${'v'.repeat(257)}`, 'metadata'],
      [Array.from({ length: 17 }, (_, i) => `metadata.k${i}=v`).join('&'), 'metadata'],
      ['metadata.customer=acme&metadata.customer=globex', 'metadata'],
      ['metadata=acme', 'metadata'],
      ['metadata.customer=%00', 'metadata.customer'],
      ['metadata.=x', 'metadata'],
      ['cursor=garbage!', 'cursor'],
      [`cursor=${Buffer.from('1733220000000.not-a-uuid').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(`99999999999999999.${r.acmePro.id}`).toString('base64url')}`, 'cursor'],
      ['order=asc', 'order'],
      ['constructor=x', 'constructor'],
      ['metadata.constructor=x', 'metadata.constructor'],
      ['metadata[prototype]=x', 'metadata.prototype'],
    ];
    for (const [query, field] of bad) {
      const res = await get(`/v1/runs?${query}`);
      expectProblem(res, 422, 'validation-error');
      expect({ query, fields: fieldsOf(res.body) }).toEqual({ query, fields: [field] });
    }
  });

  it('pages with next_cursor: no run twice, none left out, while runs are created between pages', async () => {
    const filter = `workflow_id=${w.b}`;
    const made: Run[] = [];
    for (let i = 0; i < 53; i++) made.push(await runSync(w.b, { input: QUESTION, metadata: { batch: 'paging' } }));
    const expected = (await searchAll(filter)).map((run) => run.id);
    expect(expected).toHaveLength(54);

    const seen: string[] = [];
    let page = await search(`${filter}&limit=7`);
    for (;;) {
      seen.push(...page.items.map((run) => run.id));
      // Newer runs of the same workflow come before the first page, never into a later one.
      await runSync(w.b, { input: QUESTION });
      if (page.next_cursor === null) break;
      page = await search(`${filter}&limit=7&cursor=${page.next_cursor}`);
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);

    // The default page is 50; the last page has no cursor.
    const first = await search('metadata.batch=paging');
    expect(first.items).toHaveLength(50);
    const rest = await search(`metadata.batch=paging&cursor=${first.next_cursor}`);
    expect(rest.items).toHaveLength(3);
    expect(rest.next_cursor).toBeNull();
    expect([...first.items, ...rest.items].map((run) => run.id)).toEqual(
      [...made].sort(newestFirst).map((run) => run.id),
    );
  }, 60_000);
});
