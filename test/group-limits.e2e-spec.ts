import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { expectProblem } from './support/problems.js';
import { newGroupWithKey } from './support/groups.js';
import { ADMIN_KEY, contractAgent, createTestApp, startApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

const YEARLY = '0 0 1 1 *';

describe('per-group limits', () => {
  let t: TestApp;
  let groupA: string;
  let groupB: string;
  let keyB: string;
  let slowA: string;
  let slowB: string;

  beforeAll(async () => {
    t = await createTestApp({ MAX_ACTIVE_RUNS_PER_GROUP: '3', MAX_SCHEDULES_PER_GROUP: '2' });
    groupA = t.defaultGroupId;
    ({ groupId: groupB, key: keyB } = await newGroupWithKey(t.http, 'B'));
    // Long enough that the runs are still active through the checks that count them, on a loaded CI
    // machine too (at 1.5 s, one had finished before the check after six requests, once).
    slowA = (await createWorkflow(t.http, delayWorkflow(3000))).id;
    slowB = (await createWorkflow(t.http, delayWorkflow(3000), { key: keyB })).id;
  });
  afterAll(() => t.close());

  const group = (id: string) => t.http.get(`/v1/groups/${id}`).set('X-API-Key', ADMIN_KEY);
  const patch = (id: string, body: unknown, key = ADMIN_KEY) =>
    t.http
      .patch(`/v1/groups/${id}`)
      .set('X-API-Key', key)
      .send(body as object);
  const queue = (workflowId: string, key = ADMIN_KEY, idempotencyKey?: string) => {
    const request = t.http.post(`/v1/workflows/${workflowId}/runs`).set('X-API-Key', key);
    if (idempotencyKey) request.set('Idempotency-Key', idempotencyKey);
    return request.send({ input: {} });
  };
  const finished = (ids: string[], key = ADMIN_KEY) =>
    waitFor(async () => {
      const runs = await Promise.all(ids.map((id) => t.http.get(`/v1/runs/${id}`).set('X-API-Key', key)));
      return runs.every((run) => ['completed', 'failed', 'stopped'].includes(run.body.status)) || undefined;
    }, 15_000);
  const stopAll = (ids: string[]) =>
    Promise.all(ids.map((id) => t.http.post(`/v1/runs/${id}/stop`).set('X-API-Key', ADMIN_KEY)));

  function expectLimitProblem(res: Response, limit: string, status: number, value: number, current: number): void {
    expectProblem(res, status, `limit-exceeded/${limit}`);
    expect(res.body).toMatchObject({ limit, value, current });
    expect(res.body.detail).toContain(`its ${limit} limit (${value}`);
  }

  it("shows a group's limits, which of them it overrides, and its usage; only to admin keys", async () => {
    const res = await group(groupA);
    expect(res.status).toBe(200);
    expect(res.body.limits).toEqual({
      max_active_runs: { value: 3, default: 3, overridden: false },
      max_schedules: { value: 2, default: 2, overridden: false },
      max_triggers: { value: 100, default: 100, overridden: false },
      max_schedule_ticks_per_minute: { value: 600, default: 600, overridden: false },
    });
    expect(res.body.usage).toEqual({ active_runs: 0, schedules: 0, triggers: 0, schedule_ticks_last_minute: 0 });
    expectProblem(await t.http.get(`/v1/groups/${groupB}`).set('X-API-Key', keyB), 403);
    expectProblem(await patch(groupB, { limits: { max_active_runs: 100 } }, keyB), 403);
    expect((await group(groupB)).body.limits.max_active_runs).toEqual({ value: 3, default: 3, overridden: false });
  });

  it('refuses runs past max_active_runs with 429 and Retry-After, and accepts them again once runs finish', async () => {
    const first = await queue(slowA, ADMIN_KEY, 'first-of-three');
    const others = await Promise.all([queue(slowA), queue(slowA)]);
    const accepted = [first, ...others];
    for (const res of accepted) expect(res.status).toBe(202);
    const ids = accepted.map((res) => res.body.id as string);

    const refused = await queue(slowA);
    expectLimitProblem(refused, 'max_active_runs', 429, 3, 3);
    expect(refused.headers['retry-after']).toBe('5');
    const refusedSync = await t.http
      .post(`/v1/workflows/${slowA}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Idempotency-Key', 'sync-at-the-limit')
      .send({ input: {} });
    expectLimitProblem(refusedSync, 'max_active_runs', 429, 3, 3);
    expect(refusedSync.headers['retry-after']).toBe('5');
    // A repeated Idempotency-Key names the run it created: that is not a new run.
    const repeated = await queue(slowA, ADMIN_KEY, 'first-of-three');
    expect(repeated.status).toBe(202);
    expect(repeated.body.id).toBe(first.body.id);
    // Nothing was written for the refused runs.
    const listed = await t.http.get(`/v1/workflows/${slowA}/runs`).set('X-API-Key', ADMIN_KEY);
    expect(listed.body.total).toBe(3);
    // The other group is not held back by A's limit.
    expect((await queue(slowB, keyB)).status).toBe(202);
    expect((await group(groupA)).body.usage.active_runs).toBe(3);

    await finished(ids);
    expect((await group(groupA)).body.usage.active_runs).toBe(0);
    const again = await queue(slowA);
    expect(again.status).toBe(202);
    await finished([again.body.id]);
  }, 30_000);

  it('lets an admin override a limit per group, and null return it to the default', async () => {
    const changed = await patch(groupA, { limits: { max_active_runs: 1, max_schedule_ticks_per_minute: 60 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: groupA, webhook_secret: expect.stringMatching(/^whsec_/) });
    expect(changed.body.limits).toEqual({
      max_active_runs: { value: 1, default: 3, overridden: true },
      max_schedules: { value: 2, default: 2, overridden: false },
      max_triggers: { value: 100, default: 100, overridden: false },
      max_schedule_ticks_per_minute: { value: 60, default: 600, overridden: true },
    });
    expect((await group(groupB)).body.limits.max_active_runs.overridden).toBe(false);

    const one = await queue(slowA);
    expect(one.status).toBe(202);
    expectLimitProblem(await queue(slowA), 'max_active_runs', 429, 1, 1);
    // B still has the default (3), less the run the previous test left it, whatever A's override.
    expect((await queue(slowB, keyB)).status).toBe(202);

    expect((await patch(groupB, { limits: { max_active_runs: 0 } })).status).toBe(200);
    const refusedB = await queue(slowB, keyB);
    expectLimitProblem(refusedB, 'max_active_runs', 429, 0, refusedB.body.current);
    // `current` is what the group holds, not capped at the limit: at least the run just queued.
    expect(refusedB.body.current).toBeGreaterThanOrEqual(1);
    expect((await patch(groupB, { limits: { max_active_runs: null } })).body.limits.max_active_runs).toEqual({
      value: 3,
      default: 3,
      overridden: false,
    });

    const reset = await patch(groupA, { limits: { max_active_runs: null } });
    expect(reset.body.limits.max_active_runs).toEqual({ value: 3, default: 3, overridden: false });
    expect(reset.body.limits.max_schedule_ticks_per_minute.overridden).toBe(true);
    expect((await patch(groupA, {})).body.limits).toEqual(reset.body.limits);
    expect((await patch(groupA, { limits: { max_schedule_ticks_per_minute: null } })).status).toBe(200);
    await stopAll([one.body.id]);
  }, 30_000);

  it.each([
    ['limits not an object', { limits: 'many' }, 'limits'],
    ['limits an array', { limits: [1] }, 'limits'],
    ['limits null', { limits: null }, 'limits'],
    ['an unknown field', { webhook_secret: 'mine' }, 'webhook_secret'],
    ['an unknown limit', { limits: { max_runs: 5 } }, 'limits.max_runs'],
    ['a negative value', { limits: { max_active_runs: -1 } }, 'limits.max_active_runs'],
    ['a value above the bounds', { limits: { max_active_runs: 1_000_001 } }, 'limits.max_active_runs'],
    ['a string', { limits: { max_schedules: '5' } }, 'limits.max_schedules'],
    ['a fraction', { limits: { max_schedule_ticks_per_minute: 1.5 } }, 'limits.max_schedule_ticks_per_minute'],
    ['a boolean', { limits: { max_schedules: true } }, 'limits.max_schedules'],
  ])('answers 422 to %s, changing nothing', async (_, body, field) => {
    const res = await patch(groupA, body);
    expectProblem(res, 422, 'validation-error');
    expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(
      Object.values((await group(groupA)).body.limits).every((limit) => !(limit as { overridden: boolean }).overridden),
    ).toBe(true);
  });

  it('reports every bad limit at once, and 404 for a group that does not exist', async () => {
    const res = await patch(groupA, { limits: { max_active_runs: -1, max_nothing: 1, max_schedules: 5 } });
    expectProblem(res, 422, 'validation-error');
    expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'limits.max_active_runs',
      'limits.max_nothing',
    ]);
    expect((await group(groupA)).body.limits.max_schedules.overridden).toBe(false);
    expectProblem(await patch('00000000-0000-4000-8000-000000000000', { limits: { max_schedules: 5 } }), 404);
    expectProblem(await patch('not-a-group', { limits: { max_schedules: 5 } }), 404);
  });

  it('refuses a schedule past max_schedules with 409 naming the limit, per group, until one is deleted', async () => {
    const create = (workflowId: string, key = ADMIN_KEY) =>
      t.http.post(`/v1/workflows/${workflowId}/schedules`).set('X-API-Key', key).send({ cron: YEARLY, input: {} });
    const first = await create(slowA);
    expect(first.status).toBe(201);
    expect((await create(slowA)).status).toBe(201);
    const refused = await create(slowA);
    expectLimitProblem(refused, 'max_schedules', 409, 2, 2);
    expect(refused.headers['retry-after']).toBeUndefined();
    expect((await create(slowB, keyB)).status).toBe(201);
    expect((await group(groupA)).body.usage.schedules).toBe(2);

    await t.http.delete(`/v1/workflows/${slowA}/schedules/${first.body.id}`).set('X-API-Key', ADMIN_KEY).expect(204);
    // Creations of one group take turns: of five at once for the one free place, one is created.
    const racing = await Promise.all(Array.from({ length: 5 }, () => create(slowA)));
    expect(racing.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await group(groupA)).body.usage.schedules).toBe(2);
  });

  it("refuses a flood of queued runs past the limit, so the other group's run is not stuck behind it", async () => {
    // The measured attack was 3,000 queued 200 ms runs, all accepted; B's trivial run then took 6 s.
    await patch(groupA, { limits: { max_active_runs: 20 } });
    // 2 s runs: none finishes while the flood is sent, so every place is taken once.
    const flood = await createWorkflow(t.http, delayWorkflow(2000));
    const trivialB = (await createWorkflow(t.http, delayWorkflow(0), { key: keyB })).id;
    const answers: Response[] = [];
    for (let sent = 0; sent < 60; sent += 10) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, () => queue(flood.id)))));
    }
    const accepted = answers.filter((res) => res.status === 202);
    for (const res of answers.filter((r) => r.status !== 202)) {
      expectLimitProblem(res, 'max_active_runs', 429, 20, res.body.current);
      expect(res.headers['retry-after']).toBe('5');
    }
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    // Ten at a time: the creations in flight together can pass the limit by at most nine.
    expect(accepted.length).toBeLessThanOrEqual(29);

    const b = await queue(trivialB, keyB);
    expect(b.status).toBe(202);
    await finished([b.body.id], keyB);
    const run = (await t.http.get(`/v1/runs/${b.body.id}`).set('X-API-Key', keyB)).body;
    const createToFinishMs = Date.parse(run.finished_at) - Date.parse(run.created_at);
    // eslint-disable-next-line no-console -- the figure goes into docs/operations.md
    console.log(
      'flood of 60 at max_active_runs 20: accepted',
      accepted.length,
      "B's run create->finish ms",
      createToFinishMs,
    );
    expect(run.status).toBe('completed');
    expect(createToFinishMs).toBeLessThan(2000);
    await stopAll(accepted.map((res) => res.body.id));
    await patch(groupA, { limits: { max_active_runs: null } });
  }, 60_000);

  it('holds max_active_runs exactly against concurrent creations on one instance', async () => {
    await patch(groupA, { limits: { max_active_runs: 5 } });
    const results = await Promise.all(Array.from({ length: 30 }, () => queue(slowA)));
    const accepted = results.filter((res) => res.status === 202);
    for (const res of results.filter((r) => r.status !== 202))
      expectLimitProblem(res, 'max_active_runs', 429, 5, res.body.current);
    // eslint-disable-next-line no-console -- the overshoot goes into docs/operations.md
    console.log('max_active_runs 5, 30 concurrent creations: accepted', accepted.length);
    // An instance sends its creations one statement at a time (those that arrive meanwhile go
    // together in the next), and a statement counts the runs before each one in it.
    expect(accepted.length).toBe(5);
    await stopAll(accepted.map((res) => res.body.id));
    await patch(groupA, { limits: { max_active_runs: null } });
  }, 30_000);

  it('holds max_active_runs across two instances, and an override made on one applies on the other', async () => {
    const second = await startApp(t.databaseUrl, { ROLE: 'api', MAX_ACTIVE_RUNS_PER_GROUP: '3' });
    try {
      const other = contractAgent(second.getHttpServer());
      await patch(groupA, { limits: { max_active_runs: 6 } });
      const send = (http: typeof t.http) =>
        http.post(`/v1/workflows/${slowA}/runs`).set('X-API-Key', ADMIN_KEY).send({ input: {} });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? other : t.http)));
      const accepted = results.filter((res) => res.status === 202);
      for (const res of results.filter((r) => r.status !== 202)) {
        expectLimitProblem(res, 'max_active_runs', 429, 6, res.body.current);
      }
      // eslint-disable-next-line no-console -- the overshoot goes into docs/operations.md
      console.log('max_active_runs 6, 20 concurrent creations on two instances: accepted', accepted.length);
      expect(accepted.length).toBeGreaterThanOrEqual(6);
      // Only the two instances' statements in flight at the same moment miss each other's runs:
      // each accepts at most the limit.
      expect(accepted.length).toBeLessThanOrEqual(2 * 6);
      await stopAll(accepted.map((res) => res.body.id));
    } finally {
      await patch(groupA, { limits: { max_active_runs: null } });
      await second.close();
    }
  }, 30_000);
});
