import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { edge } from './support/workflows.js';

const SECRETS_KEY = 'a1'.repeat(32);
const HOOK_TOKEN_VALUE = 'hook-token-value-never-exported';

/** The called workflow: `Text` in, `Short` out. */
const SHORTEN = {
  nodes: [
    { id: 'text', type: 'InputNode', config: { label: 'Text', type: 'str' } },
    { id: 'cut', type: 'TransformNode', config: { expression: '$substring($, 0, 5)' } },
    { id: 'short', type: 'OutputNode', config: { label: 'Short' } },
  ],
  edges: [edge('text.value', 'cut.data'), edge('cut.result', 'short.value')],
};

/** Calls `shorten` (its version `versionId`, or its draft) and uses a secret; config keys in no usual order. */
const summarize = (
  shortenId: string,
  versionId: string | null,
  template = 'posting ((s)) with ((secrets.HOOK_TOKEN))',
) => ({
  edges: [edge('text.value', 'call.Text'), edge('call.Short', 'say.s'), edge('say.text', 'out.value')],
  nodes: [
    { type: 'InputNode', id: 'text', config: { type: 'str', label: 'Text' } },
    {
      id: 'call',
      config: { outputs: ['Short'], workflow_id: shortenId, inputs: ['Text'], workflow_version_id: versionId },
      type: 'WorkflowNode',
    },
    { id: 'say', type: 'TextTemplateNode', config: { template } },
    { id: 'out', type: 'OutputNode', config: { label: 'Said' } },
  ],
});

describe('workflow export and import', () => {
  let t: TestApp;
  let target: { groupId: string; key: string };
  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEY });
    target = await newGroupWithKey(t.http, 'import-target');
  });
  afterAll(() => t.close());

  const call = (method: 'get' | 'post' | 'put' | 'patch', url: string, body?: unknown, key = ADMIN_KEY) => {
    const req = t.http[method](url).set('X-API-Key', key);
    return body === undefined ? req.send() : req.send(body as object);
  };
  const importAs = (key: string, body: unknown, dryRun = false) =>
    call('post', `/v1/workflows/import${dryRun ? '?dry_run=true' : ''}`, body, key);
  const fields = (res: { body: { errors: { field: string }[] } }) => res.body.errors.map((e) => e.field);

  /** In the admin's group: shorten (v1) and summarize (v1 calling shorten v1, v2 calling its draft), with schedules. */
  async function sourceWorkflows(prefix: string) {
    const shorten = await call('post', '/v1/workflows', {
      name: 'Shorten',
      slug: `${prefix}-shorten`,
      definition: SHORTEN,
    });
    expect(shorten.status).toBe(201);
    const shortenV1 = await call('post', `/v1/workflows/${shorten.body.id}/versions`, { description: 'first' });
    const made = await call('post', '/v1/workflows', {
      name: 'Summarize',
      slug: `${prefix}-summarize`,
      description: 'Shortens, then says it',
      definition: summarize(shorten.body.id, shortenV1.body.id),
    });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    const v1 = await call('post', `/v1/workflows/${id}/versions`, { description: 'calls v1 of shorten' });
    expect(v1.status).toBe(201);
    await call('patch', `/v1/workflows/${id}`, { definition: summarize(shorten.body.id, null) });
    expect(
      (await call('post', `/v1/workflows/${id}/versions`, { name: 'draft caller', description: null })).status,
    ).toBe(201);
    for (const schedule of [
      { cron: '0 9 * * 1-5', input: { Text: 'weekday morning' }, metadata: { team: 'ops' } },
      {
        cron: '30 7 * * *',
        timezone: 'Europe/Paris',
        input: { Text: 'v1 daily' },
        workflow_version_id: v1.body.id,
        enabled: false,
      },
    ]) {
      expect((await call('post', `/v1/workflows/${id}/schedules`, schedule)).status).toBe(201);
    }
    return { id, shortenId: shorten.body.id as string, shortenV1: shortenV1.body.id as string };
  }

  it('exports a self-contained document: calls by slug in place, secret names only, versions and schedules', async () => {
    const source = await sourceWorkflows('doc');
    await call('put', '/v1/secrets/HOOK_TOKEN', { value: HOOK_TOKEN_VALUE });
    const res = await call('get', `/v1/workflows/${source.id}/export`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(HOOK_TOKEN_VALUE);
    expect(res.text).not.toContain(source.shortenId);
    expect(Object.keys(res.body)).toEqual([
      'runloom',
      'slug',
      'name',
      'description',
      'definition',
      'versions',
      'schedules',
      'requires',
    ]);
    expect(res.body).toMatchObject({
      runloom: 'workflow/v1',
      slug: 'doc-summarize',
      name: 'Summarize',
      description: 'Shortens, then says it',
      requires: { workflows: ['doc-shorten'], secrets: ['HOOK_TOKEN'] },
    });
    // The draft, as saved, with the call written by slug in the same place among the config's keys.
    expect(JSON.stringify(res.body.definition)).toBe(
      JSON.stringify(summarize(source.shortenId, null))
        .replace(`"workflow_id":"${source.shortenId}"`, '"workflow":"doc-shorten"')
        .replace('"workflow_version_id":null', '"workflow_version":null'),
    );
    expect(
      res.body.versions.map((v: { number: number; name: string; description: string }) => [
        v.number,
        v.name,
        v.description,
      ]),
    ).toEqual([
      [1, 'v1', 'calls v1 of shorten'],
      [2, 'draft caller', null],
    ]);
    expect(res.body.versions[0].definition.nodes[1].config).toEqual({
      outputs: ['Short'],
      workflow: 'doc-shorten',
      inputs: ['Text'],
      workflow_version: 1,
    });
    expect(res.body.schedules).toEqual([
      {
        cron: '0 9 * * 1-5',
        timezone: 'UTC',
        version: null,
        input: { Text: 'weekday morning' },
        callback_url: null,
        enabled: true,
        metadata: { team: 'ops' },
      },
      {
        cron: '30 7 * * *',
        timezone: 'Europe/Paris',
        version: 1,
        input: { Text: 'v1 daily' },
        callback_url: null,
        enabled: false,
        metadata: {},
      },
    ]);
  });

  it('imports a bundle into another group: the same documents come back out, and a second import changes nothing', async () => {
    const source = await sourceWorkflows('copy');
    const exported = async (id: string, key = ADMIN_KEY) =>
      (await call('get', `/v1/workflows/${id}/export`, undefined, key)).text;
    const summarizeText = await exported(source.id);
    const shortenText = await exported(source.shortenId);
    // The caller first: the bundle is applied in dependency order all the same.
    const bundle = { workflows: [JSON.parse(summarizeText), JSON.parse(shortenText)] };

    const refused = await importAs(target.key, { workflows: [JSON.parse(summarizeText)] });
    expectProblem(refused, 422, 'validation-error');
    expect(fields(refused)).toEqual(
      expect.arrayContaining([
        'workflows[0].requires.workflows[0]',
        'workflows[0].definition.nodes[1].config.workflow',
      ]),
    );
    const secretMissing = await importAs(target.key, bundle);
    expectProblem(secretMissing, 422, 'validation-error');
    expect(secretMissing.body.errors).toEqual([
      { field: 'workflows[0].requires.secrets', message: expect.stringContaining('HOOK_TOKEN') },
    ]);
    expect((await call('get', '/v1/workflows', undefined, target.key)).body.total).toBe(0);

    expect(
      (await call('put', '/v1/secrets/HOOK_TOKEN', { value: 'the target group own value' }, target.key)).status,
    ).toBe(201);
    const dry = await importAs(target.key, bundle, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dry_run: true,
      workflows: [
        {
          slug: 'copy-shorten',
          workflow_id: null,
          action: 'created',
          changes: [
            { target: 'workflow', change: 'created' },
            { target: 'version', number: 1, change: 'created' },
          ],
        },
        {
          slug: 'copy-summarize',
          workflow_id: null,
          action: 'created',
          changes: [
            { target: 'workflow', change: 'created' },
            { target: 'version', number: 1, change: 'created' },
            { target: 'version', number: 2, change: 'created' },
            { target: 'schedule', cron: '0 9 * * 1-5', change: 'created' },
            { target: 'schedule', cron: '30 7 * * *', change: 'created' },
          ],
        },
      ],
    });
    expect((await call('get', '/v1/workflows', undefined, target.key)).body.total).toBe(0);

    const done = await importAs(target.key, bundle);
    expect(done.status).toBe(200);
    expect(done.body.dry_run).toBe(false);
    expect(done.body.workflows.map((w: { slug: string; action: string }) => [w.slug, w.action])).toEqual([
      ['copy-shorten', 'created'],
      ['copy-summarize', 'created'],
    ]);
    const [shortenCopy, summarizeCopy] = done.body.workflows.map((w: { workflow_id: string }) => w.workflow_id);
    expect(await exported(summarizeCopy, target.key)).toBe(summarizeText);
    expect(await exported(shortenCopy, target.key)).toBe(shortenText);
    const copied = await call('get', `/v1/workflows/${summarizeCopy}`, undefined, target.key);
    expect(copied.body).toMatchObject({ group_id: target.groupId, slug: 'copy-summarize', revision: 1 });
    expect(copied.body.definition.nodes[1].config.workflow_id).toBe(shortenCopy);
    const schedules = await call('get', `/v1/workflows/${summarizeCopy}/schedules`, undefined, target.key);
    expect(schedules.body.items.map((s: { next_run_at: string | null }) => s.next_run_at === null).sort()).toEqual([
      false,
      true,
    ]);
    const run = await call(
      'post',
      `/v1/workflows/${summarizeCopy}/runs/sync?output_only=true`,
      { input: { Text: 'abcdefgh' } },
      target.key,
    );
    expect(run.body).toEqual({ Said: 'posting abcde with [secret:HOOK_TOKEN]' });

    const again = await importAs(target.key, bundle);
    expect(again.body.workflows).toEqual([
      { slug: 'copy-shorten', workflow_id: shortenCopy, action: 'unchanged', changes: [] },
      { slug: 'copy-summarize', workflow_id: summarizeCopy, action: 'unchanged', changes: [] },
    ]);
    const after = await call('get', `/v1/workflows/${summarizeCopy}`, undefined, target.key);
    expect(after.body).toMatchObject({ revision: 1, updated_at: copied.body.updated_at });
    const schedulesAfter = await call('get', `/v1/workflows/${summarizeCopy}/schedules`, undefined, target.key);
    expect(schedulesAfter.body.items.map((s: { id: string }) => s.id).sort()).toEqual(
      schedules.body.items.map((s: { id: string }) => s.id).sort(),
    );
    expect((await call('get', `/v1/workflows/${summarizeCopy}/versions`, undefined, target.key)).body.total).toBe(2);
  });

  it('updates by slug: a dry run reports the changes and writes nothing, the import then makes them', async () => {
    const source = await sourceWorkflows('update');
    const shortenDoc = (await call('get', `/v1/workflows/${source.shortenId}/export`)).body;
    const doc = (await call('get', `/v1/workflows/${source.id}/export`)).body;
    const team = await newGroupWithKey(t.http, 'update-target');
    await call('put', '/v1/secrets/HOOK_TOKEN', { value: 'another long value' }, team.key);
    const first = await importAs(team.key, { workflows: [shortenDoc, doc] });
    const id = first.body.workflows[1].workflow_id as string;
    const before = (await call('get', `/v1/workflows/${id}`, undefined, team.key)).body;

    const changed = structuredClone(doc);
    changed.name = 'Summarize, renamed';
    changed.definition.nodes[2].config.template = 'now ((s))';
    changed.versions.push({ number: 3, description: 'renamed', definition: changed.definition });
    changed.schedules = [changed.schedules[1], { ...changed.schedules[0], cron: '0 10 * * 1-5' }];

    const dry = await importAs(team.key, changed, true);
    expect(dry.status).toBe(200);
    expect(dry.body.workflows).toEqual([
      {
        slug: 'update-summarize',
        workflow_id: id,
        action: 'updated',
        changes: [
          { target: 'workflow', field: 'name', change: 'updated' },
          { target: 'workflow', field: 'definition', change: 'updated' },
          { target: 'version', number: 3, change: 'created' },
          { target: 'schedule', cron: '0 9 * * 1-5', change: 'deleted' },
          { target: 'schedule', cron: '0 10 * * 1-5', change: 'created' },
        ],
      },
    ]);
    expect((await call('get', `/v1/workflows/${id}`, undefined, team.key)).body).toEqual(before);

    const done = await importAs(team.key, changed);
    expect(done.body.workflows[0].changes).toEqual(dry.body.workflows[0].changes);
    const after = (await call('get', `/v1/workflows/${id}`, undefined, team.key)).body;
    expect(after).toMatchObject({ name: 'Summarize, renamed', revision: before.revision + 1 });
    const versions = await call('get', `/v1/workflows/${id}/versions`, undefined, team.key);
    expect(versions.body.items.map((v: { number: number; name: string }) => [v.number, v.name])).toEqual([
      [3, 'v3'],
      [2, 'draft caller'],
      [1, 'v1'],
    ]);
    const schedules = await call('get', `/v1/workflows/${id}/schedules`, undefined, team.key);
    expect(schedules.body.items.map((s: { cron: string }) => s.cron).sort()).toEqual(['0 10 * * 1-5', '30 7 * * *']);
    expect((await importAs(team.key, changed)).body.workflows[0].action).toBe('unchanged');
  });

  it('lets imports of one group take turns: the same bundle sent twice at once creates each workflow once', async () => {
    const source = await sourceWorkflows('race');
    const bundle = {
      workflows: [
        (await call('get', `/v1/workflows/${source.shortenId}/export`)).body,
        (await call('get', `/v1/workflows/${source.id}/export`)).body,
      ],
    };
    const team = await newGroupWithKey(t.http, 'race-target');
    await call('put', '/v1/secrets/HOOK_TOKEN', { value: 'a long enough value' }, team.key);
    const answers = await Promise.all([importAs(team.key, bundle), importAs(team.key, bundle)]);
    expect(answers.map((res) => res.status)).toContain(200);
    for (const res of answers) {
      if (res.status !== 200) expectProblem(res, 409, 'conflict');
    }
    const listed = await call('get', '/v1/workflows?q=race-', undefined, team.key);
    expect(listed.body.items.map((w: { slug: string }) => w.slug).sort()).toEqual(['race-shorten', 'race-summarize']);
    const copy = listed.body.items.find((w: { slug: string }) => w.slug === 'race-summarize');
    expect((await call('get', `/v1/workflows/${copy.id}/versions`, undefined, team.key)).body.total).toBe(2);
    expect((await call('get', `/v1/workflows/${copy.id}/schedules`, undefined, team.key)).body.total).toBe(2);
    const again = await importAs(team.key, bundle);
    expect(again.body.workflows.map((w: { action: string }) => w.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('refuses a version that differs from the stored one, and writes nothing of the bundle', async () => {
    const source = await sourceWorkflows('conflict');
    const shortenDoc = (await call('get', `/v1/workflows/${source.shortenId}/export`)).body;
    const doc = (await call('get', `/v1/workflows/${source.id}/export`)).body;
    const changed = structuredClone(doc);
    changed.name = 'would be renamed';
    changed.versions[0].definition.nodes[2].config.template = 'rewritten history ((s))';
    changed.versions[1].description = 'another message';
    const fresh = { ...structuredClone(shortenDoc), slug: 'conflict-new-one' };
    const res = await importAs(ADMIN_KEY, { workflows: [fresh, changed] });
    expectProblem(res, 422, 'validation-error');
    expect(res.body.errors).toEqual([
      {
        field: 'workflows[1].versions[0]',
        message: expect.stringContaining('version conflict: version 1 exists with another definition'),
      },
      { field: 'workflows[1].versions[1]', message: expect.stringContaining('another description') },
    ]);
    expect((await call('get', '/v1/workflows?slug=conflict-new-one')).body.items).toEqual([]);
    expect((await call('get', `/v1/workflows/${source.id}`)).body.name).toBe('Summarize');

    const gap = structuredClone(doc);
    gap.versions.push({ number: 5, description: null, definition: gap.definition });
    const skipped = await importAs(ADMIN_KEY, gap);
    expectProblem(skipped, 422, 'validation-error');
    expect(skipped.body.errors).toEqual([
      { field: 'versions[2].number', message: expect.stringContaining('must be 3') },
    ]);
  });

  it('refuses to export a workflow that calls one without a slug, naming it', async () => {
    const plain = await call('post', '/v1/workflows', { name: 'no slug', definition: SHORTEN });
    const caller = await call('post', '/v1/workflows', {
      name: 'caller',
      slug: 'calls-unslugged',
      definition: summarize(plain.body.id, null),
    });
    const res = await call('get', `/v1/workflows/${caller.body.id}/export`);
    expectProblem(res, 422, 'validation-error');
    expect(res.body.errors).toEqual([
      {
        field: 'definition.nodes[1].config.workflow_id',
        message: expect.stringContaining(`${plain.body.id}, which has no slug`),
      },
    ]);
    // A workflow without a slug exports with slug null, which import refuses.
    const own = await call('get', `/v1/workflows/${plain.body.id}/export`);
    expect(own.body.slug).toBeNull();
    const back = await importAs(ADMIN_KEY, own.body);
    expectProblem(back, 422, 'validation-error');
    expect(back.body.errors).toEqual([{ field: 'slug', message: expect.stringContaining('required') }]);
    expectProblem(await call('get', '/v1/workflows/00000000-0000-4000-8000-000000000000/export'), 404, 'not-found');
    // Another group's workflow is not found, as everywhere.
    expectProblem(await call('get', `/v1/workflows/${caller.body.id}/export`, undefined, target.key), 404, 'not-found');
  });

  const valid = { runloom: 'workflow/v1', slug: 'malformed', name: 'm', description: null, definition: SHORTEN };
  it.each<[string, unknown, string[]]>([
    ['an array', [], ['body']],
    ['an empty object', {}, ['runloom', 'slug', 'name', 'definition']],
    ['another format', { ...valid, runloom: 'workflow/v2' }, ['runloom']],
    ['an unknown key', { ...valid, extra: 1 }, ['extra']],
    ['a malformed slug', { ...valid, slug: 'Not A Slug' }, ['slug']],
    ['an empty bundle', { workflows: [] }, ['workflows']],
    ['a bundle of non-documents', { workflows: [1, 'x'] }, ['workflows[0]', 'workflows[1]']],
    ['a slug twice in a bundle', { workflows: [valid, valid] }, ['workflows[1].slug']],
    [
      'an invalid definition',
      { ...valid, definition: { nodes: [{ id: 'x', type: 'NoSuchNode' }], edges: [] } },
      ['definition.nodes[0].type'],
    ],
    ['a definition without nodes', { ...valid, definition: { nodes: 'x', edges: [] } }, ['definition.nodes']],
    [
      'a version definition without nodes',
      { ...valid, versions: [{ number: 1, description: null, definition: { edges: [] } }] },
      ['versions[0].definition'],
    ],
    ['versions not a list', { ...valid, versions: {} }, ['versions']],
    [
      'a version without a number',
      { ...valid, versions: [{ description: null, definition: SHORTEN }] },
      ['versions[0].number'],
    ],
    [
      'a bad schedule',
      { ...valid, schedules: [{ cron: 'every day', input: {}, enabled: 'yes' }] },
      ['schedules[0].enabled', 'schedules[0].cron'],
    ],
    [
      'a schedule input the workflow refuses',
      { ...valid, schedules: [{ cron: '0 9 * * *', input: { Nope: 1 } }] },
      ['schedules[0].input'],
    ],
    [
      'a schedule of a missing version',
      { ...valid, schedules: [{ cron: '0 9 * * *', input: { Text: 'a' }, version: 4 }] },
      ['schedules[0].version'],
    ],
    ['requires not an object', { ...valid, requires: ['x'] }, ['requires']],
    [
      'a call by id',
      { ...valid, definition: summarize('00000000-0000-4000-8000-000000000000', null) },
      ['definition.nodes[1].config.workflow_id'],
    ],
  ])('answers 422 listing every problem for %s, and writes nothing', async (_, body, expected) => {
    const res = await importAs(ADMIN_KEY, body);
    expectProblem(res, 422, 'validation-error');
    for (const field of expected) expect(fields(res).some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
    expect((await call('get', '/v1/workflows?slug=malformed')).body.items).toEqual([]);
  });

  it('imports the examples of its OpenAPI document as they are', async () => {
    const document = (await t.http.get('/docs-json')).body;
    const examples = document.paths['/v1/workflows/import'].post.requestBody.content['application/json'].examples;
    const team = await newGroupWithKey(t.http, 'swagger-examples');
    const answers = [];
    for (const example of Object.values(examples) as { value: unknown }[]) {
      const res = await importAs(team.key, example.value);
      expect(res.status).toBe(200);
      answers.push(res.body.workflows[0].action);
    }
    expect(answers).toEqual(['created', 'unchanged']);
  });

  it('answers 400 for JSON that does not parse', async () => {
    const res = await t.http
      .post('/v1/workflows/import')
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send('{"runloom":');
    expectProblem(res, 400);
  });
});
