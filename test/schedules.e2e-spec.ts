import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { call } from './support/api-call.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { sleep, waitFor } from './support/wait.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';

const INPUT = { 'User Question': 'scheduled?', Context: 'cron' };

interface ScheduledRun {
  id: string;
  schedule_id: string | null;
  scheduled_for: string | null;
}

describe('a schedule ticking every second with two instances running', () => {
  let databaseUrl: string;
  let drop: () => Promise<void>;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    ({ url: databaseUrl, drop } = await createTestDatabase());
    servers.push(await startServerProcess(databaseUrl), await startServerProcess(databaseUrl));
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await drop();
  });

  it('starts exactly one run per tick, and nothing once paused', async () => {
    const [a, b] = servers.map((server) => server.base);
    const workflow = (await call(a, 'POST', '/v1/workflows', { name: 'ticker', definition: SEED_DEFINITION })).body;
    const created = await call(a, 'POST', `/v1/workflows/${workflow.id}/schedules`, {
      cron: '* * * * * *',
      timezone: 'Europe/Paris',
      input: INPUT,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ cron: '* * * * * *', enabled: true, last_run_id: null });
    const scheduleId = created.body.id as string;
    const runs = async () =>
      ((await call(b, 'GET', `/v1/workflows/${workflow.id}/runs?page_size=100`)).body.items as ScheduledRun[]).filter(
        (run) => run.schedule_id === scheduleId,
      );
    await waitFor(async () => ((await runs()).length >= 4 ? true : undefined), 15_000);
    const paused = await call(b, 'PATCH', `/v1/workflows/${workflow.id}/schedules/${scheduleId}`, { enabled: false });
    expect(paused.body).toMatchObject({ enabled: false, next_run_at: null });

    const started = await runs();
    const ticks = started.map((run) => Date.parse(run.scheduled_for!)).sort((x, y) => x - y);
    expect(new Set(ticks).size).toBe(ticks.length); // never two runs for one tick
    expect(ticks.every((tick) => tick % 1000 === 0)).toBe(true);
    // Consecutive ticks: none skipped while both instances were up.
    expect((ticks.at(-1)! - ticks[0]) / 1000 + 1).toBe(ticks.length);

    await sleep(2_000);
    expect((await runs()).length).toBe(started.length);
    const schedule = (await call(a, 'GET', `/v1/workflows/${workflow.id}/schedules/${scheduleId}`)).body;
    expect(started.map((run) => run.id)).toContain(schedule.last_run_id);
    const finished = await waitFor(async () => {
      const run = (await call(a, 'GET', `/v1/runs/${schedule.last_run_id}`)).body;
      return run.status === 'completed' ? run : undefined;
    }, 10_000);
    expect(finished).toMatchObject({ schedule_id: scheduleId, input: INPUT });
  });
});

describe('schedules API', () => {
  let t: TestApp;
  let db: pg.Client;
  let workflowId: string;
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
    t.http[method](path).set('X-API-Key', ADMIN_KEY);

  beforeAll(async () => {
    t = await createTestApp();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    workflowId = (await createWorkflow(t.http)).id;
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('creates, lists, reads, changes and deletes schedules, showing next_run_at in the time zone', async () => {
    const created = await api('post', `/v1/workflows/${workflowId}/schedules`).send({
      cron: '0 7 * * *',
      timezone: 'America/New_York',
      input: INPUT,
      callback_url: 'http://127.0.0.1:9/hook',
    });
    expect(created.status).toBe(201);
    const next = new Date(created.body.next_run_at);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        hourCycle: 'h23',
        minute: '2-digit',
      }).format(next),
    ).toBe('07:00');
    const id = created.body.id;

    const list = await api('get', `/v1/workflows/${workflowId}/schedules`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id, timezone: 'America/New_York' }] });
    expect((await api('get', `/v1/workflows/${workflowId}/schedules/${id}`)).body.callback_url).toBe(
      'http://127.0.0.1:9/hook',
    );

    const changed = await api('patch', `/v1/workflows/${workflowId}/schedules/${id}`).send({
      cron: '30 6 * * *',
      timezone: 'UTC',
    });
    expect(changed.status).toBe(200);
    expect(new Date(changed.body.next_run_at).getUTCHours()).toBe(6);
    expect(new Date(changed.body.next_run_at).getUTCMinutes()).toBe(30);

    expect((await api('delete', `/v1/workflows/${workflowId}/schedules/${id}`)).status).toBe(204);
    expect((await api('get', `/v1/workflows/${workflowId}/schedules/${id}`)).status).toBe(404);
  });

  it.each([
    [{ cron: '* * * * * * *', input: INPUT }, 'cron'],
    [{ cron: '* * *', input: INPUT }, 'cron'],
    [{ cron: '61 * * * *', input: INPUT }, 'cron'],
    [{ cron: '0 0 30 2 *', input: INPUT }, 'cron'],
    [{ cron: '0 7 * * *', timezone: 'Mars/Olympus', input: INPUT }, 'timezone'],
    [{ cron: '0 7 * * *', input: { nope: 1 } }, 'nope'],
    [{ cron: '0 7 * * *' }, 'input'],
    [{ cron: '0 7 * * *', input: INPUT, enabled: 'yes' }, 'enabled'],
  ])('refuses %j with 422 naming the problem', async (body, field) => {
    const res = await api('post', `/v1/workflows/${workflowId}/schedules`).send(body);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('answers 404 for a workflow or schedule of another group, and 422 for a null cron', async () => {
    const group = (await api('post', '/v1/groups').send({ name: 'elsewhere' })).body;
    const theirs = await createWorkflow(t.http, SEED_DEFINITION, { groupId: group.id });
    const res = await api('post', `/v1/workflows/${theirs.id}/schedules`).send({ cron: '0 7 * * *', input: INPUT });
    expect(res.status).toBe(404);
    const mine = await api('post', `/v1/workflows/${workflowId}/schedules`).send({ cron: '0 7 * * *', input: INPUT });
    expect(
      (await api('get', `/v1/workflows/${workflowId}/schedules/${mine.body.id}?group_id=${group.id}`)).status,
    ).toBe(404);
    expect(
      (await api('patch', `/v1/workflows/${workflowId}/schedules/${mine.body.id}`).send({ cron: null })).status,
    ).toBe(422);
  });

  it('after downtime, starts one run for all the missed ticks and moves on to the next tick', async () => {
    const created = await api('post', `/v1/workflows/${workflowId}/schedules`).send({
      cron: '0 * * * *',
      input: INPUT,
    });
    const missedFrom = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000);
    await db.query('UPDATE schedules SET next_run_at = $2 WHERE id = $1', [created.body.id, missedFrom]);
    const schedule = await waitFor(async () => {
      const body = (await api('get', `/v1/workflows/${workflowId}/schedules/${created.body.id}`)).body;
      return body.last_run_id ? body : undefined;
    }, 10_000);
    expect(Date.parse(schedule.next_run_at)).toBeGreaterThan(Date.now());
    await sleep(500);
    const runs = (await api('get', `/v1/workflows/${workflowId}/runs?page_size=100`)).body.items.filter(
      (run: ScheduledRun) => run.schedule_id === created.body.id,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0].scheduled_for).toBe(missedFrom.toISOString());
  });
});
