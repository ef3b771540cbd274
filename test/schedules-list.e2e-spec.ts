import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

const INPUT = { 'User Question': 'scheduled?' };

describe('GET /v1/schedules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (url: string, key = ADMIN_KEY) => t.http.get(url).set('X-API-Key', key);
  async function schedule(workflowId: string, cron: string, key = ADMIN_KEY): Promise<{ id: string }> {
    const res = await t.http
      .post(`/v1/workflows/${workflowId}/schedules`)
      .set('X-API-Key', key)
      .send({ cron, timezone: 'UTC', input: INPUT });
    expect(res.status).toBe(201);
    return res.body;
  }
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((item) => item.id);

  it("lists the group's schedules across workflows, newest first, paged, and filtered by workflow_id", async () => {
    const mornings = await createWorkflow(t.http, undefined, { name: 'mornings' });
    const evenings = await createWorkflow(t.http, undefined, { name: 'evenings' });
    const first = await schedule(mornings.id, '0 7 * * *');
    const second = await schedule(evenings.id, '0 19 * * *');
    const third = await schedule(mornings.id, '30 7 * * 1-5');

    const all = await get('/v1/schedules');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, page_size: 20, total: 3 });
    expect(ids(all)).toEqual([third.id, second.id, first.id]);
    const perWorkflow = await get(`/v1/workflows/${evenings.id}/schedules`);
    expect(all.body.items[1]).toEqual(perWorkflow.body.items[0]);

    const page2 = await get('/v1/schedules?page=2&page_size=2');
    expect(page2.body).toMatchObject({ page: 2, page_size: 2, total: 3 });
    expect(ids(page2)).toEqual([first.id]);
    const filtered = await get(`/v1/schedules?workflow_id=${mornings.id.toUpperCase()}`);
    expect(filtered.body.total).toBe(2);
    expect(ids(filtered)).toEqual([third.id, first.id]);

    // A deleted workflow's schedules are no longer the group's to manage.
    await t.http.delete(`/v1/workflows/${evenings.id}`).set('X-API-Key', ADMIN_KEY);
    expect(ids(await get('/v1/schedules'))).toEqual([third.id, first.id]);
  });

  it('shows a group only its own schedules, and refuses a workflow_id that is not a UUID', async () => {
    const other = await newGroupWithKey(t.http, 'schedules-other');
    const theirs = await createWorkflow(t.http, undefined, { key: other.key });
    const their = await schedule(theirs.id, '0 12 * * *', other.key);
    expect(ids(await get('/v1/schedules', other.key))).toEqual([their.id]);
    expect(ids(await get('/v1/schedules'))).not.toContain(their.id);
    const foreign = await get(`/v1/schedules?workflow_id=${theirs.id}`);
    expect(foreign.body).toMatchObject({ items: [], total: 0 });
    expectProblem(await get('/v1/schedules?workflow_id=nope'), 422, 'validation-error');
    expectProblem(await get('/v1/schedules?page=0'), 422, 'validation-error');
  });
});
