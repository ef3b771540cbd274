import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Response } from 'supertest';
import type { AuditEventRow } from '../src/audit/audit.repository.js';
import { RetentionRepository } from '../src/runs/retention/retention.repository.js';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, SEED_DEFINITION, SIGNAL_WORKFLOW, waitWorkflow } from './support/workflows.js';

const SECRET_VALUE = `s3cr3t-${randomBytes(12).toString('hex')}`;
const ROTATED_VALUE = `s3cr3t-${randomBytes(12).toString('hex')}`;

/** The operations that change something, each exercised by a test below. */
const AUDITED_OPERATIONS = [
  'createGroup',
  'updateGroup',
  'deleteGroup',
  'rotateWebhookSecret',
  'createApiKey',
  'revokeApiKey',
  'createWorkflow',
  'updateWorkflow',
  'deleteWorkflow',
  'createVersion',
  'restoreVersion',
  'setSampleInput',
  'clearSampleInput',
  'importWorkflows',
  'createSchedule',
  'updateSchedule',
  'deleteSchedule',
  'createTrigger',
  'updateTrigger',
  'rotateTrigger',
  'deleteTrigger',
  'setSecret',
  'deleteSecret',
  'stopRun',
  'deleteRun',
  'stopRuns',
  'sendSignal',
  'resumeWaitingNode',
  'redeliverCallback',
];
/** Run creation (the run is its own record; a webhook delivery creates one) and a check that stores nothing. */
const UNAUDITED_OPERATIONS = ['runSync', 'runAsync', 'retryRun', 'replayRun', 'deliverWebhook', 'validateDefinition'];

/** A row as the database holds it (the API's items are the same with `created_at` a string). */
type AuditRow = AuditEventRow;

describe('the audit log', () => {
  let t: TestApp;
  let db: pg.Client;
  let adminKeyId: string;
  /** Every credential the tests see: none may appear in any audit row. */
  const credentials = new Set<string>([ADMIN_KEY, SECRET_VALUE, ROTATED_VALUE]);

  beforeAll(async () => {
    t = await createTestApp({
      ROLE: 'all',
      SECRETS_KEY: randomBytes(32).toString('base64'),
      OUTBOUND_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: '1h',
    });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    adminKeyId = (await call('get', '/v1/me')).body.key_id;
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const call = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: unknown, key = ADMIN_KEY) => {
    const request = t.http[method](path).set('X-API-Key', key);
    return body === undefined ? request : request.send(body as object);
  };
  const allRows = async (): Promise<AuditRow[]> =>
    (await db.query<AuditRow>('SELECT * FROM audit_events ORDER BY created_at, id')).rows;

  /** Makes a change and answers the audit rows it wrote. */
  async function rowsOf(make: () => PromiseLike<Response>): Promise<{ res: Response; rows: AuditRow[] }> {
    const seen = new Set((await allRows()).map((row) => row.id));
    const res = await make();
    const rows = (await allRows()).filter((row) => !seen.has(row.id));
    return { res, rows };
  }

  /** The change answers `status` and writes exactly one row, by the admin key unless said otherwise, like `expected`. */
  async function audited(
    status: number,
    expected: Partial<AuditRow>,
    make: () => PromiseLike<Response>,
  ): Promise<{ res: Response; row: AuditRow }> {
    const { res, rows } = await rowsOf(make);
    expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ status });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'api_key', key_id: adminKeyId, key_name: expect.any(String), ...expected });
    expectNoCredential(rows[0]);
    return { res, row: rows[0] };
  }

  /** The change fails with `status` and writes no row. */
  async function refused(status: number, make: () => PromiseLike<Response>): Promise<void> {
    const { res, rows } = await rowsOf(make);
    expectProblem(res, status);
    expect(rows).toEqual([]);
  }

  function expectNoCredential(value: unknown): void {
    const text = JSON.stringify(value);
    for (const credential of credentials) expect(text).not.toContain(credential);
  }

  const runOf = async (id: string) => (await call('get', `/v1/runs/${id}`)).body;
  const statusIs = (id: string, statuses: string[]) =>
    waitFor(async () => {
      const run = await runOf(id);
      return statuses.includes(run.status) ? run : undefined;
    }, 15_000);
  const queuedRun = async (workflowId: string, body: Record<string, unknown> = { input: {} }) => {
    const created = await call('post', `/v1/workflows/${workflowId}/runs`, body);
    expect(created.status).toBe(202);
    return created.body.id as string;
  };

  it('covers every mutating operation of the API: each is audited (and exercised below) or is run creation or a check', async () => {
    const document = (await t.http.get('/docs-json')).body as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const mutating = Object.values(document.paths).flatMap((item) =>
      ['post', 'put', 'patch', 'delete'].filter((method) => item[method]).map((method) => item[method].operationId),
    );
    expect(mutating.sort()).toEqual([...AUDITED_OPERATIONS, ...UNAUDITED_OPERATIONS].sort());
  });

  it('records groups, their webhook secret rotations and API keys, never a secret, hash or token', async () => {
    const group = await audited(201, { action: 'group.created', target_type: 'group' }, () =>
      call('post', '/v1/groups', { name: 'audited' }),
    );
    const groupId = group.res.body.id as string;
    credentials.add(group.res.body.webhook_secret);
    expect(group.row).toMatchObject({
      group_id: groupId,
      target_id: groupId,
      before: null,
      after: { name: 'audited' },
    });

    const renamed = await audited(200, { action: 'group.updated', target_id: groupId }, () =>
      call('patch', `/v1/groups/${groupId}`, { name: 'audited 2', limits: { max_schedules: 5 } }),
    );
    expect(renamed.row.before).toMatchObject({ name: 'audited' });
    expect(renamed.row.after).toMatchObject({ name: 'audited 2', limits: { max_schedules: 5 } });

    const rotated = await audited(200, { action: 'group.webhook_secret_rotated', target_id: groupId }, () =>
      call('post', `/v1/groups/${groupId}/webhook-secret/rotate`),
    );
    credentials.add(rotated.res.body.webhook_secret);
    expectNoCredential(rotated.row);

    const key = await audited(201, { action: 'api_key.created', target_type: 'api_key', group_id: groupId }, () =>
      call('post', '/v1/api-keys', { name: 'robot', role: 'member', group_ids: [groupId] }),
    );
    credentials.add(key.res.body.key);
    const hash = (await db.query('SELECT hash FROM api_keys WHERE id = $1', [key.res.body.id])).rows[0].hash;
    credentials.add(hash);
    expect(key.row).toMatchObject({ target_id: key.res.body.id, after: { name: 'robot', role: 'member' } });

    const revoked = await audited(204, { action: 'api_key.revoked', target_id: key.res.body.id }, () =>
      call('delete', `/v1/api-keys/${key.res.body.id}`),
    );
    expect(revoked.row.before).toMatchObject({ revoked_at: null });
    expect(revoked.row.after).toMatchObject({ revoked_at: expect.any(String) });
    // Revoking it again changes nothing and records nothing.
    expect((await rowsOf(() => call('delete', `/v1/api-keys/${key.res.body.id}`))).rows).toEqual([]);

    await refused(404, () => call('patch', `/v1/groups/${randomUuid()}`, { name: 'nobody' }));
    await refused(409, () => call('post', '/v1/groups', { name: 'AUDITED 2' }));

    const deleted = await audited(204, { action: 'group.deleted', target_id: groupId }, () =>
      call('delete', `/v1/groups/${groupId}?force=true`),
    );
    expect(deleted.row.before).toMatchObject({ name: 'audited 2', holdings: expect.any(Object) });
    // The row outlives its group.
    expect((await db.query('SELECT 1 FROM audit_events WHERE group_id = $1', [groupId])).rowCount).toBeGreaterThan(0);
  });

  it('records workflows, versions, restores, sample inputs and imports; a refused change records nothing', async () => {
    const made = await audited(201, { action: 'workflow.created', target_type: 'workflow' }, () =>
      call('post', '/v1/workflows', { name: 'audited', slug: 'audited', definition: SEED_DEFINITION }),
    );
    const id = made.res.body.id as string;
    expect(made.row).toMatchObject({
      group_id: t.defaultGroupId,
      target_id: id,
      after: { name: 'audited', revision: 1, definition: { sha256: expect.any(String), nodes: 4 } },
    });

    await refused(422, () => call('post', '/v1/workflows', { name: 'bad', definition: { nodes: [{ id: 'x' }] } }));
    await refused(404, () => call('patch', `/v1/workflows/${randomUuid()}`, { name: 'nobody' }));
    await refused(412, () =>
      t.http.patch(`/v1/workflows/${id}`).set('X-API-Key', ADMIN_KEY).set('If-Match', '7').send({ name: 'x' }),
    );

    const updated = await audited(200, { action: 'workflow.updated', target_id: id }, () =>
      call('patch', `/v1/workflows/${id}`, { name: 'renamed' }),
    );
    expect(updated.row.before).toMatchObject({ name: 'audited', revision: 1 });
    expect(updated.row.after).toMatchObject({ name: 'renamed', revision: 2 });

    const version = await audited(201, { action: 'workflow_version.created', target_type: 'workflow_version' }, () =>
      call('post', `/v1/workflows/${id}/versions`, { name: 'first' }),
    );
    expect(version.row).toMatchObject({ target_id: version.res.body.id, after: { workflow_id: id, number: 1 } });

    await audited(200, { action: 'workflow_version.restored', target_id: id }, () =>
      call('post', `/v1/workflows/${id}/versions/${version.res.body.id}/restore`),
    );
    await audited(200, { action: 'workflow.sample_input_set', target_id: id }, () =>
      call('put', `/v1/workflows/${id}/sample-input`, { input: { 'User Question': 'hi', api_key: SECRET_VALUE } }),
    );
    await audited(204, { action: 'workflow.sample_input_cleared', target_id: id }, () =>
      call('delete', `/v1/workflows/${id}/sample-input`),
    );

    const document = (await call('get', `/v1/workflows/${id}/export`)).body;
    const imported = await audited(200, { action: 'workflow.created', target_type: 'workflow' }, () =>
      call('post', '/v1/workflows/import', { ...document, slug: 'audited-copy' }),
    );
    expect(imported.row.after).toMatchObject({ via: 'import', slug: 'audited-copy', new_versions: [1] });

    await audited(204, { action: 'workflow.deleted', target_id: id }, () => call('delete', `/v1/workflows/${id}`));
    await refused(404, () => call('delete', `/v1/workflows/${id}`));
  });

  it("records webhook triggers: their settings and what was rotated, never their URL's token or their secret", async () => {
    const workflow = await createWorkflow(t.http);
    const created = await audited(201, { action: 'trigger.created', target_type: 'trigger' }, () =>
      call('post', `/v1/workflows/${workflow.id}/triggers`, {
        name: 'github',
        input_mapping: 'body',
        verification: { type: 'github' },
      }),
    );
    const trigger = created.res.body as { id: string; url: string; secret: string };
    credentials.add(trigger.secret);
    credentials.add(trigger.url.split('/').pop()!);
    expectNoCredential(created.row);
    expect(created.row).toMatchObject({ target_id: trigger.id, after: { name: 'github', enabled: true } });
    const disabled = await audited(200, { action: 'trigger.updated', target_id: trigger.id }, () =>
      call('patch', `/v1/triggers/${trigger.id}`, { enabled: false }),
    );
    expect(disabled.row).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    await refused(422, () => call('patch', `/v1/triggers/${trigger.id}`, { input_mapping: '$$$(' }));
    const rotated = await audited(200, { action: 'trigger.rotated', target_id: trigger.id }, () =>
      call('post', `/v1/triggers/${trigger.id}/rotate`, {}),
    );
    credentials.add(rotated.res.body.secret);
    credentials.add(rotated.res.body.url.split('/').pop());
    expect(rotated.row.after).toEqual({ rotated: ['token', 'secret'] });
    expectNoCredential(rotated.row);
    await audited(204, { action: 'trigger.deleted', target_id: trigger.id }, () =>
      call('delete', `/v1/triggers/${trigger.id}`),
    );
    await refused(404, () => call('delete', `/v1/triggers/${trigger.id}`));
  });

  it('records schedules and secrets (their names, never their values)', async () => {
    const workflow = await createWorkflow(t.http);
    const schedules = `/v1/workflows/${workflow.id}/schedules`;
    const created = await audited(201, { action: 'schedule.created', target_type: 'schedule' }, () =>
      call('post', schedules, { cron: '0 9 * * *', input: { 'User Question': 'hi' } }),
    );
    const scheduleId = created.res.body.id as string;
    expect(created.row).toMatchObject({ target_id: scheduleId, after: { cron: '0 9 * * *', enabled: true } });
    const paused = await audited(200, { action: 'schedule.updated', target_id: scheduleId }, () =>
      call('patch', `${schedules}/${scheduleId}`, { enabled: false }),
    );
    expect(paused.row).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    await refused(422, () => call('patch', `${schedules}/${scheduleId}`, { cron: 'never' }));
    await audited(204, { action: 'schedule.deleted', target_id: scheduleId }, () =>
      call('delete', `${schedules}/${scheduleId}`),
    );
    await refused(404, () => call('delete', `${schedules}/${scheduleId}`));

    const set = await audited(201, { action: 'secret.created', target_type: 'secret', target_id: 'API_TOKEN' }, () =>
      call('put', '/v1/secrets/API_TOKEN', { value: SECRET_VALUE }),
    );
    expect(set.row.after).toEqual({ name: 'API_TOKEN' });
    await audited(200, { action: 'secret.updated', target_id: 'API_TOKEN' }, () =>
      call('put', '/v1/secrets/API_TOKEN', { value: ROTATED_VALUE }),
    );
    await audited(204, { action: 'secret.deleted', target_id: 'API_TOKEN' }, () =>
      call('delete', '/v1/secrets/API_TOKEN'),
    );
    await refused(404, () => call('delete', '/v1/secrets/API_TOKEN'));
  });

  it('records run stops, deletions, bulk stops, signals, resumes and redeliveries, but not run creation', async () => {
    const waiting = await createWorkflow(t.http, waitWorkflow(600_000));
    const creation = await rowsOf(() => call('post', `/v1/workflows/${waiting.id}/runs`, { input: {} }));
    expect(creation.res.status).toBe(202);
    expect(creation.rows).toEqual([]);
    const runId = creation.res.body.id as string;

    const stopped = await audited(200, { action: 'run.stopped', target_type: 'run', target_id: runId }, () =>
      call('post', `/v1/runs/${runId}/stop`),
    );
    expect([200, 202]).toContain(stopped.res.status);
    await statusIs(runId, ['stopped']);
    await refused(409, () => call('post', `/v1/runs/${runId}/stop`));

    const deleted = await audited(204, { action: 'run.deleted', target_id: runId }, () =>
      call('delete', `/v1/runs/${runId}`),
    );
    expect(deleted.row.before).toMatchObject({ workflow_id: waiting.id, status: 'stopped' });
    await refused(404, () => call('delete', `/v1/runs/${runId}`));

    const many = [await queuedRun(waiting.id), await queuedRun(waiting.id)];
    const bulk = await audited(200, { action: 'runs.bulk_stopped', target_type: 'runs', target_id: null }, () =>
      call('post', '/v1/runs/stop', { workflow_id: waiting.id }),
    );
    expect(bulk.res.body).toEqual({ stopped: 2 });
    expect((bulk.row.after!.run_ids as string[]).sort()).toEqual([...many].sort());
    expect(bulk.row.after!.filter).toEqual({ workflow_id: waiting.id });
    // Nothing left to stop: no change, no row.
    expect((await rowsOf(() => call('post', '/v1/runs/stop', { workflow_id: waiting.id }))).rows).toEqual([]);

    const signalled = await createWorkflow(t.http, SIGNAL_WORKFLOW);
    const first = await queuedRun(signalled.id, { input: { start: 1 } });
    await statusIs(first, ['waiting']);
    // Refused while the run still waits: once `approval` arrives it may finish at once (then 409).
    await refused(422, () => call('post', `/v1/runs/${first}/signals/nobody`, { payload: {} }));
    const sent = await audited(202, { action: 'run.signal_sent', target_id: first }, () =>
      call('post', `/v1/runs/${first}/signals/approval`, { payload: { ok: true, password: SECRET_VALUE } }),
    );
    expect(sent.row.after).toEqual({
      signal_id: sent.res.body.id,
      name: 'approval',
      payload: { ok: true, password: '[redacted]' },
    });

    const second = await queuedRun(signalled.id, { input: { start: 2 } });
    await statusIs(second, ['waiting']);
    const link = await waitFor(async () => {
      const nodes = (await call('get', `/v1/runs/${second}/nodes`)).body.items as {
        node_id: string;
        resume_url: string;
      }[];
      return nodes.find((node) => node.node_id === 'approval')?.resume_url ?? undefined;
    }, 10_000);
    credentials.add(link.split('/').at(-1)!);
    const resumed = await audited(
      202,
      { actor: 'resume_link', key_id: null, key_name: null, action: 'run.resumed', target_id: second },
      () => t.http.post(link).send({ payload: { ok: true } }),
    );
    expect(resumed.row.after).toMatchObject({ name: 'approval', node_id: 'approval', payload: { ok: true } });
    await refused(410, () => t.http.post(link).send({ payload: { ok: true } }));

    const called = await call('post', `/v1/workflows/${(await createWorkflow(t.http)).id}/runs/sync`, {
      input: { 'User Question': 'hi' },
      callback_url: 'http://127.0.0.1:9/callback',
    });
    expect(called.status).toBe(200);
    await audited(202, { action: 'run.callback_redelivered', target_id: called.body.id, after: { chain: 2 } }, () =>
      call('post', `/v1/runs/${called.body.id}/callbacks/redeliver`),
    );
  });

  it('records a retention purge as retention.purged by the system, with its counts', async () => {
    const workflow = await createWorkflow(t.http);
    const done = await call('post', `/v1/workflows/${workflow.id}/runs/sync`, { input: { 'User Question': 'old' } });
    expect(done.body.status).toBe('completed');
    await db.query(`UPDATE runs SET finished_at = now() - interval '400 days' WHERE id = $1`, [done.body.id]);
    const { rows } = await rowsOf(async () => {
      await t.app.get(RetentionRepository).purgeFinishedBefore(new Date(Date.now() - 30 * 86_400_000), 100);
      return { status: 200 } as Response;
    });
    expect(rows).toEqual([
      expect.objectContaining({
        actor: 'system',
        key_id: null,
        key_name: null,
        group_id: t.defaultGroupId,
        action: 'retention.purged',
        target_type: 'runs',
        after: expect.objectContaining({ runs: 1, node_runs: expect.any(Number), run_events: expect.any(Number) }),
      }),
    ]);
    expect((await runOf(done.body.id)).status).toBe(404);
  });

  it('commits a change and its row together: when the row cannot be written, the change does not happen', async () => {
    const workflow = await createWorkflow(t.http);
    // This file's database is its own: a CHECK refusing some actions stands in for a failing insert.
    await db.query(`ALTER TABLE audit_events ADD CONSTRAINT refuse_some
      CHECK (action NOT IN ('workflow.deleted', 'secret.created', 'run.signal_sent', 'run.deleted', 'run.stopped')) NOT VALID`);
    try {
      expect((await call('delete', `/v1/workflows/${workflow.id}`)).status).toBe(500);
      expect((await call('get', `/v1/workflows/${workflow.id}`)).status).toBe(200);

      expect((await call('put', '/v1/secrets/NEVER', { value: SECRET_VALUE })).status).toBe(500);
      expect((await db.query(`SELECT 1 FROM secrets WHERE name = 'NEVER'`)).rowCount).toBe(0);

      const signalled = await createWorkflow(t.http, SIGNAL_WORKFLOW);
      const runId = await queuedRun(signalled.id, { input: { start: 1 } });
      await statusIs(runId, ['waiting']);
      expect((await call('post', `/v1/runs/${runId}/signals/approval`, { payload: 1 })).status).toBe(500);
      expect((await db.query('SELECT 1 FROM run_signals WHERE run_id = $1', [runId])).rowCount).toBe(0);

      expect((await call('post', `/v1/runs/${runId}/stop`)).status).toBe(500);
      expect((await runOf(runId)).status).toBe('waiting');
      expect((await db.query('SELECT stop_requested_at FROM runs WHERE id = $1', [runId])).rows[0]).toEqual({
        stop_requested_at: null,
      });

      const done = await call('post', `/v1/workflows/${workflow.id}/runs/sync`, { input: { 'User Question': 'x' } });
      expect((await call('delete', `/v1/runs/${done.body.id}`)).status).toBe(500);
      expect((await runOf(done.body.id)).status).toBe('completed');
    } finally {
      await db.query('ALTER TABLE audit_events DROP CONSTRAINT refuse_some');
    }
  });

  describe('GET /v1/audit and its export', () => {
    const list = (query: string, key = ADMIN_KEY) => call('get', `/v1/audit${query}`, undefined, key);

    it('lists the acting group newest first, by action or prefix, target, key and time, a page at a time', async () => {
      const everything = (await list('?limit=200')).body;
      expect(everything.items.length).toBeGreaterThan(20);
      expect(everything.items.every((item: AuditRow) => item.group_id === t.defaultGroupId)).toBe(true);
      const times = everything.items.map((item: { created_at: string }) => item.created_at);
      expect(times).toEqual([...times].sort().reverse());
      expectNoCredential(everything);

      const prefixed = (await list('?action=workflow.')).body.items as AuditRow[];
      expect(prefixed.length).toBeGreaterThan(3);
      expect(prefixed.every((item) => item.action.startsWith('workflow.'))).toBe(true);
      const exact = (await list('?action=secret.created')).body.items as AuditRow[];
      expect(exact.map((item) => item.action)).toEqual(['secret.created']);

      const target = exact[0];
      const byTarget = (await list(`?target_type=secret&target_id=API_TOKEN`)).body.items as AuditRow[];
      expect(byTarget.map((item) => item.action)).toEqual(['secret.deleted', 'secret.updated', 'secret.created']);
      expect((await list(`?key_id=${adminKeyId}&action=secret.`)).body.items).toHaveLength(3);
      expect((await list(`?key_id=${randomUuid()}`)).body.items).toEqual([]);

      const at = target.created_at as unknown as string;
      const since = (await list(`?since=${encodeURIComponent(at)}&action=secret.`)).body.items as AuditRow[];
      expect(since.map((item) => item.action)).toContain('secret.created');
      const until = (await list(`?until=${encodeURIComponent(at)}&action=secret.`)).body.items as AuditRow[];
      expect(until.map((item) => item.action)).not.toContain('secret.created');

      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await list(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        walked.push(...page.body.items.map((item: AuditRow) => item.id));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(walked).toEqual(everything.items.map((item: AuditRow) => item.id));
    });

    it("shows a group's keys only their group's events", async () => {
      const other = await newGroupWithKey(t.http, 'audit other');
      await createWorkflow(t.http, SEED_DEFINITION, { key: other.key });
      // The group's creation and its key's are the group's events too.
      const theirs = (await list('', other.key)).body.items as AuditRow[];
      expect(theirs.map((item) => item.action)).toEqual(['workflow.created', 'api_key.created', 'group.created']);
      expect(theirs.every((item) => item.group_id === other.groupId)).toBe(true);
      expectProblem(await list(`?group_id=${t.defaultGroupId}`, other.key), 403);
      const byAdmin = (await list(`?group_id=${other.groupId}`)).body.items as AuditRow[];
      expect(byAdmin.map((item) => item.action)).toContain('workflow.created');
    });

    const exported = async (query: string) => {
      const res = await call('get', `/v1/audit/export${query}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      return res.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditRow);
    };

    it('exports every matching event as JSON lines, newest first, as the list shows them', async () => {
      expect(await exported('?action=secret.')).toEqual((await list('?action=secret.')).body.items);
      expect(await exported('')).toEqual((await list('?limit=200')).body.items);
    });

    it('exports more events than one batch reads (500), each once, in order', async () => {
      const other = await newGroupWithKey(t.http, 'audit bulk');
      // 1234 rows a millisecond apart, several sharing a millisecond, so the keyset's id tiebreak is used.
      await db.query(
        `INSERT INTO audit_events (created_at, actor, group_id, action, target_type, target_id)
         SELECT now() - (n / 3) * interval '1 millisecond', 'system', $1, 'test.filled', 'test', n::text
         FROM generate_series(1, 1234) AS n`,
        [other.groupId],
      );
      const lines = await exported(`?action=test.&group_id=${other.groupId}`);
      expect(lines).toHaveLength(1234);
      expect(new Set(lines.map((line) => line.target_id)).size).toBe(1234);
      // Newest first: created_at descending, then id descending (uuids compare as their hex text).
      const order = lines.map((line) => `${String(line.created_at)} ${line.id}`);
      expect(order).toEqual([...order].sort().reverse());
    });

    it('answers bad filters with a 422 problem, never a 500', async () => {
      for (const query of [
        '?action=Workflow',
        '?action=workflow.*',
        '?target_type=a%20b',
        '?key_id=nope',
        '?since=yesterday',
        '?until=2026-13-01',
        '?cursor=abc',
        '?limit=0',
        '?limit=201',
        '?other=1',
      ]) {
        expectProblem(await list(query), 422);
      }
      expectProblem(await call('get', '/v1/audit/export?since=soon'), 422);
    });
  });
});

function randomUuid(): string {
  return randomUUID();
}
