import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { SEED_DEFINITION } from './support/workflows.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** The seed workflow the README runs (examples/seed-workflow.ts), verbatim. */
const BEGINNER_ANSWERS = { name: 'Beginner answers', description: 'optional', definition: SEED_DEFINITION };

const edge = (from: string, to: string) => {
  const [fromId, output] = from.split('.');
  const [toId, input] = to.split('.');
  return { from: { node_id: fromId, output }, to: { node_id: toId, input } };
};

/** A small valid definition whose single TextTemplateNode says `text`. */
const templateDefinition = (text: string) => ({
  nodes: [
    { id: 't', type: 'TextTemplateNode', config: { template: text } },
    { id: 'out', type: 'OutputNode', config: { label: 'Out' } },
  ],
  edges: [edge('t.text', 'out.value')],
});

interface StoredWorkflow {
  id: string;
  group_id: string;
  description: string | null;
  definition: unknown;
  updated_at: string;
}

const fieldsOf = (res: Response): string[] => (res.body.errors as { field: string }[]).map((e) => e.field);

describe('workflows API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (url: string) => t.http.get(url).set('X-API-Key', ADMIN_KEY);
  const post = (url: string, body?: object) =>
    t.http
      .post(url)
      .set('X-API-Key', ADMIN_KEY)
      .send(body ?? {});
  const patch = (url: string, body: object) => t.http.patch(url).set('X-API-Key', ADMIN_KEY).send(body);
  const del = (url: string) => t.http.delete(url).set('X-API-Key', ADMIN_KEY);

  async function createWorkflow(overrides: Record<string, unknown> = {}, query = ''): Promise<StoredWorkflow> {
    const res = await post(`/v1/workflows${query}`, { ...BEGINNER_ANSWERS, ...overrides });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function newGroup(name: string): Promise<string> {
    const res = await post('/v1/groups', { name });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  describe('POST /v1/workflows', () => {
    it('stores the seed workflow of the README and echoes it with revision 1 in the default group', async () => {
      const res = await post('/v1/workflows', BEGINNER_ANSWERS);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        group_id: t.defaultGroupId,
        name: BEGINNER_ANSWERS.name,
        description: BEGINNER_ANSWERS.description,
        slug: null,
        definition: BEGINNER_ANSWERS.definition,
        sample_input: null,
        revision: 1,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(Date.parse(res.body.created_at)).toBeGreaterThan(Date.now() - 60_000);
      const stored = await get(`/v1/workflows/${res.body.id}`);
      expect(stored.body).toEqual(res.body);
    });

    it('makes description optional (null)', async () => {
      const { description: _omitted, ...withoutDescription } = BEGINNER_ANSWERS;
      const res = await post('/v1/workflows', withoutDescription);
      expect(res.status).toBe(201);
      expect(res.body.description).toBeNull();
    });

    it('creates in the group named by ?group_id', async () => {
      const groupId = await newGroup('create-elsewhere');
      const created = await createWorkflow({}, `?group_id=${groupId}`);
      expect(created.group_id).toBe(groupId);
    });

    it('422s missing name and definition, naming each field', async () => {
      const res = await post('/v1/workflows', {});
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['name', 'definition']));
    });

    it.each([
      ['empty name', { name: '' }, 'name'],
      ['name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
      ['numeric name', { name: 42 }, 'name'],
      ['description over 2000 characters', { description: 'x'.repeat(2001) }, 'description'],
      ['definition that is an array', { definition: [] }, 'definition'],
      ['definition that is a string', { definition: 'nodes' }, 'definition'],
      ['unknown top-level field', { owner: 'me' }, 'owner'],
      ['a second unknown top-level field', { revision: 7 }, 'revision'],
    ])('422s a %s', async (_, overrides, field) => {
      const res = await post('/v1/workflows', { ...BEGINNER_ANSWERS, ...overrides });
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toContain(field);
    });
  });

  describe('GET /v1/workflows', () => {
    let groupId: string;
    const ids: string[] = [];

    beforeAll(async () => {
      groupId = await newGroup('listing');
      for (let i = 1; i <= 5; i++) ids.push((await createWorkflow({ name: `wf ${i}` }, `?group_id=${groupId}`)).id);
    });

    it('lists newest first as {items, page, page_size, total}', async () => {
      const res = await get(`/v1/workflows?group_id=${groupId}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'page_size', 'total']);
      expect(res.body).toMatchObject({ page: 1, page_size: 20, total: 5 });
      expect(res.body.items.map((w: { id: string }) => w.id)).toEqual([...ids].reverse());
      expect(res.body.items[0]).toMatchObject({ name: 'wf 5', group_id: groupId, revision: 1 });
      expect(res.body.items[0].definition).toEqual(BEGINNER_ANSWERS.definition);
    });

    it('pages', async () => {
      const pages = await Promise.all(
        [1, 2, 3].map((page) => get(`/v1/workflows?group_id=${groupId}&page=${page}&page_size=2`)),
      );
      for (const res of pages) expect(res.status).toBe(200);
      expect(pages.map((res) => res.body.items.map((w: { id: string }) => w.id))).toEqual([
        [ids[4], ids[3]],
        [ids[2], ids[1]],
        [ids[0]],
      ]);
      expect(pages[2].body).toMatchObject({ page: 3, page_size: 2, total: 5 });
      const beyond = await get(`/v1/workflows?group_id=${groupId}&page=9&page_size=2`);
      expect(beyond.status).toBe(200);
      expect(beyond.body).toMatchObject({ items: [], page: 9, total: 5 });
    });

    it('accepts page_size 1 and 100', async () => {
      expect((await get(`/v1/workflows?group_id=${groupId}&page_size=1`)).body.items).toHaveLength(1);
      expect((await get(`/v1/workflows?group_id=${groupId}&page_size=100`)).body.items).toHaveLength(5);
    });

    it.each([
      ['page_size', '0'],
      ['page_size', '101'],
      ['page_size', 'abc'],
      ['page_size', '2.5'],
      ['page', '0'],
      ['page', '-1'],
      ['page', 'abc'],
    ])('422s %s=%s', async (param, value) => {
      const res = await get(`/v1/workflows?${param}=${value}`);
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toContain(param);
    });

    it('422s unknown query parameters', async () => {
      const res = await get('/v1/workflows?sort=name');
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toContain('sort');
    });
  });

  describe('GET /v1/workflows/{workflow_id}', () => {
    it('returns the workflow with its revision as ETag', async () => {
      const created = await createWorkflow();
      const res = await get(`/v1/workflows/${created.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created);
      expect(res.headers.etag).toBe('"1"');
    });

    it('404s an unknown id and a non-uuid id', async () => {
      expectProblem(await get(`/v1/workflows/${MISSING_ID}`), 404, 'not-found');
      expectProblem(await get('/v1/workflows/not-a-uuid'), 404, 'not-found');
    });
  });

  describe('PATCH /v1/workflows/{workflow_id}', () => {
    it('changes each field alone and bumps the revision each time', async () => {
      const created = await createWorkflow();
      const url = `/v1/workflows/${created.id}`;

      const renamed = await patch(url, { name: 'Renamed' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        name: 'Renamed',
        description: created.description,
        definition: created.definition,
        revision: 2,
      });
      expect(renamed.headers.etag).toBe('"2"');

      const described = await patch(url, { description: 'now with words' });
      expect(described.body).toMatchObject({ name: 'Renamed', description: 'now with words', revision: 3 });

      const cleared = await patch(url, { description: null });
      expect(cleared.body).toMatchObject({ description: null, revision: 4 });

      const definition = templateDefinition('hello');
      const redefined = await patch(url, { definition });
      expect(redefined.body).toMatchObject({ name: 'Renamed', description: null, definition, revision: 5 });

      const stored = await get(url);
      expect(stored.body).toEqual(redefined.body);
      expect(Date.parse(stored.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));
    });

    it('answers an empty patch with the workflow unchanged', async () => {
      const created = await createWorkflow();
      const res = await patch(`/v1/workflows/${created.id}`, {});
      expect(res.status).toBe(200);
      expect(res.body.revision).toBe(1);
    });

    it('honours a matching If-Match, in plain and ETag form', async () => {
      const created = await createWorkflow();
      const url = `/v1/workflows/${created.id}`;
      const plain = await patch(url, { name: 'one' }).set('If-Match', '1');
      expect(plain.status).toBe(200);
      expect(plain.body.revision).toBe(2);
      const quoted = await patch(url, { name: 'two' }).set('If-Match', plain.headers.etag);
      expect(quoted.status).toBe(200);
      expect(quoted.body.revision).toBe(3);
    });

    it('412s a stale If-Match with the current revision and leaves the workflow alone', async () => {
      const created = await createWorkflow();
      const url = `/v1/workflows/${created.id}`;
      await patch(url, { name: 'moved on' }).expect(200);
      const stale = await patch(url, { name: 'lost update' }).set('If-Match', '"1"');
      expectProblem(stale, 412, 'stale-revision');
      expect(stale.body.revision).toBe(2);
      const unreadable = await patch(url, { name: 'lost update' }).set('If-Match', 'garbage');
      expectProblem(unreadable, 412, 'stale-revision');
      const stored = await get(url);
      expect(stored.body).toMatchObject({ name: 'moved on', revision: 2 });
    });

    it('422s an invalid definition with paths and keeps the draft unchanged', async () => {
      const created = await createWorkflow();
      const url = `/v1/workflows/${created.id}`;
      const res = await patch(url, {
        name: 'should not stick',
        definition: {
          nodes: [
            { id: 't', type: 'TextTemplateNode', config: { template: '((1bad))' } },
            { id: 'out', type: 'OutputNode', config: { label: 'Out' } },
          ],
          edges: [edge('t.text', 'out.nope')],
        },
      });
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining(['definition.nodes[0].config.template', 'definition.edges[0].to.input']),
      );
      const stored = await get(url);
      expect(stored.body).toEqual(created);
    });

    it('422s unknown and malformed fields', async () => {
      const created = await createWorkflow();
      const url = `/v1/workflows/${created.id}`;
      const res = await patch(url, { name: '', description: 5, definition: 'x', revision: 9 });
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['name', 'description', 'definition', 'revision']));
      expect((await get(url)).body).toEqual(created);
    });

    it('404s an unknown workflow', async () => {
      expectProblem(await patch(`/v1/workflows/${MISSING_ID}`, { name: 'x' }), 404, 'not-found');
      expectProblem(await patch('/v1/workflows/abc', { name: 'x' }), 404, 'not-found');
    });
  });

  describe('DELETE /v1/workflows/{workflow_id}', () => {
    it('answers 204, then the workflow is gone everywhere', async () => {
      const created = await createWorkflow();
      const url = `/v1/workflows/${created.id}`;
      await post(`${url}/versions`).expect(201);
      const res = await del(url);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await get(url), 404, 'not-found');
      expectProblem(await patch(url, { name: 'zombie' }), 404, 'not-found');
      expectProblem(await get(`${url}/versions`), 404, 'not-found');
      expectProblem(await post(`${url}/versions`), 404, 'not-found');
      const list = await get('/v1/workflows?page_size=100');
      expect(list.body.items.map((w: { id: string }) => w.id)).not.toContain(created.id);
    });

    it('404s the second delete and unknown ids', async () => {
      const created = await createWorkflow();
      expect((await del(`/v1/workflows/${created.id}`)).status).toBe(204);
      expectProblem(await del(`/v1/workflows/${created.id}`), 404, 'not-found');
      expectProblem(await del(`/v1/workflows/${MISSING_ID}`), 404, 'not-found');
      expectProblem(await del('/v1/workflows/nope'), 404, 'not-found');
    });
  });

  describe('versions', () => {
    it('numbers versions 1, 2, 3 with uuid ids and default names v<n>', async () => {
      const wf = await createWorkflow();
      const url = `/v1/workflows/${wf.id}/versions`;
      const first = await post(url);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        id: expect.stringMatching(UUID),
        workflow_id: wf.id,
        number: 1,
        name: 'v1',
        description: null,
        definition: BEGINNER_ANSWERS.definition,
        author_key_id: (await get('/v1/me')).body.key_id,
        author_key_name: expect.any(String),
        created_at: expect.any(String),
      });
      const second = await post(url, { name: 'release', description: 'the second' });
      expect(second.body).toMatchObject({ number: 2, name: 'release', description: 'the second' });
      const third = await post(url);
      expect(third.body).toMatchObject({ number: 3, name: 'v3' });
      expect(new Set([first.body.id, second.body.id, third.body.id]).size).toBe(3);
    });

    it('gives concurrent snapshots distinct numbers 1..5', async () => {
      const wf = await createWorkflow();
      const responses = await Promise.all(Array.from({ length: 5 }, () => post(`/v1/workflows/${wf.id}/versions`)));
      for (const res of responses) expect(res.status).toBe(201);
      expect(responses.map((res) => res.body.number).sort()).toEqual([1, 2, 3, 4, 5]);
      const list = await get(`/v1/workflows/${wf.id}/versions`);
      expect(list.body.total).toBe(5);
    });

    it('keeps versions immutable when the draft changes', async () => {
      const wf = await createWorkflow();
      const version = (await post(`/v1/workflows/${wf.id}/versions`)).body;
      await patch(`/v1/workflows/${wf.id}`, { name: 'changed', definition: templateDefinition('changed') }).expect(200);
      const again = await get(`/v1/workflows/${wf.id}/versions/${version.id}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(version);
      expect(again.body.definition).toEqual(BEGINNER_ANSWERS.definition);
      const next = await post(`/v1/workflows/${wf.id}/versions`);
      expect(next.body.definition).toEqual(templateDefinition('changed'));
    });

    it('lists versions newest first and reads one', async () => {
      const wf = await createWorkflow();
      const made = [];
      for (let i = 0; i < 3; i++) made.push((await post(`/v1/workflows/${wf.id}/versions`)).body);
      const list = await get(`/v1/workflows/${wf.id}/versions`);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ page: 1, page_size: 20, total: 3 });
      expect(list.body.items.map((v: { number: number }) => v.number)).toEqual([3, 2, 1]);
      expect(list.body.items[2]).toEqual(made[0]);
      const paged = await get(`/v1/workflows/${wf.id}/versions?page=2&page_size=2`);
      expect(paged.body.items.map((v: { number: number }) => v.number)).toEqual([1]);
      const one = await get(`/v1/workflows/${wf.id}/versions/${made[1].id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(made[1]);
    });

    it('404s a version of another workflow, unknown versions and non-uuid ids', async () => {
      const a = await createWorkflow();
      const b = await createWorkflow();
      const ofB = (await post(`/v1/workflows/${b.id}/versions`)).body;
      expectProblem(await get(`/v1/workflows/${a.id}/versions/${ofB.id}`), 404, 'not-found');
      expectProblem(await get(`/v1/workflows/${a.id}/versions/${MISSING_ID}`), 404, 'not-found');
      expectProblem(await get(`/v1/workflows/${a.id}/versions/v1`), 404, 'not-found');
      expectProblem(await get(`/v1/workflows/${MISSING_ID}/versions/${ofB.id}`), 404, 'not-found');
      expectProblem(await get(`/v1/workflows/${MISSING_ID}/versions`), 404, 'not-found');
      expectProblem(await post(`/v1/workflows/${MISSING_ID}/versions`), 404, 'not-found');
    });

    it('422s bad version bodies', async () => {
      const wf = await createWorkflow();
      const res = await post(`/v1/workflows/${wf.id}/versions`, { name: '', number: 7, definition: {} });
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['name', 'number', 'definition']));
      expect((await get(`/v1/workflows/${wf.id}/versions`)).body.total).toBe(0);
    });
  });

  describe('definition validation', () => {
    it('lists every problem of a broken definition, each with its path', async () => {
      const res = await post('/v1/workflows', {
        name: 'broken',
        definition: {
          nodes: [
            { id: 'in', type: 'InputNode', config: { label: 'Q' } },
            { id: 'in2', type: 'InputNode', config: { label: 'Q' } },
            { id: 't', type: 'TextTemplateNode', config: { template: 42 } },
            { id: 'x', type: 'NoSuchNode' },
            { id: 'in', type: 'DelayNode', config: { ms: 0 } },
            { id: 'bad id!', type: 'DelayNode', config: { ms: 0 } },
            { id: 'a', type: 'DelayNode', config: { ms: 0 } },
            { id: 'b', type: 'DelayNode', config: { ms: 0 } },
            { id: 'out', type: 'OutputNode', config: { label: 'A' } },
            { id: 'slow', type: 'DelayNode', config: { ms: -1 } },
          ],
          edges: [
            edge('in.value', 'out.nope'),
            edge('in.value', 'out.value'),
            edge('in2.value', 'out.value'),
            edge('a.value', 'b.value'),
            edge('b.value', 'a.value'),
            edge('ghost.value', 'slow.value'),
          ],
        },
      });
      expectProblem(res, 422, 'validation-error');
      const problems = res.body.errors as { field: string; message: string }[];
      const at = (field: string) => problems.filter((p) => p.field === field).map((p) => p.message);
      expect(at('definition.nodes[1].config.label').join()).toContain('duplicate InputNode label "Q"');
      expect(at('definition.nodes[2].config.template')).toHaveLength(1);
      expect(at('definition.nodes[3].type').join()).toContain('unknown node type "NoSuchNode"');
      expect(at('definition.nodes[4].id').join()).toContain('duplicate node id "in"');
      expect(at('definition.nodes[5].id').join()).toContain('A-Z');
      expect(at('definition.nodes[9].config.ms')).toHaveLength(1);
      expect(at('definition.edges[0].to.input').join()).toContain('has no input "nope"');
      expect(at('definition.edges[2].to.input').join()).toContain('already fed by edges[1]');
      expect(at('definition.edges[4]').join()).toMatch(/cycle: a → b → a/);
      expect(at('definition.edges[5].from.node_id').join()).toContain('no node "ghost"');
      expect(problems.length).toBeGreaterThanOrEqual(10);
      expect((await get('/v1/workflows?page_size=100')).body.items.map((w: { name: string }) => w.name)).not.toContain(
        'broken',
      );
    });

    it('names every node of a longer cycle', async () => {
      const res = await post('/v1/workflows', {
        name: 'loop',
        definition: {
          nodes: ['p', 'q', 'r'].map((id) => ({ id, type: 'DelayNode', config: { ms: 0 } })),
          edges: [edge('p.value', 'q.value'), edge('q.value', 'r.value'), edge('r.value', 'p.value')],
        },
      });
      expectProblem(res, 422, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'definition.edges[2]', message: 'cycle: p → q → r → p' }]);
    });

    it('reports missing nodes/edges arrays and unknown definition keys', async () => {
      const res = await post('/v1/workflows', { name: 'empty', definition: { vertices: [] } });
      expectProblem(res, 422, 'validation-error');
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining(['definition.vertices', 'definition.nodes', 'definition.edges']),
      );
    });

    it('accepts an empty definition', async () => {
      const res = await post('/v1/workflows', { name: 'empty', definition: { nodes: [], edges: [] } });
      expect(res.status).toBe(201);
    });

    it('413s a definition over 1 MB (under the 2 MB body limit)', async () => {
      const res = await post('/v1/workflows', {
        name: 'huge',
        definition: templateDefinition('x'.repeat(1024 * 1024 + 1)),
      });
      expectProblem(res, 413, 'definition-too-large');
      expect(res.body.detail).toMatch(/1048576/);
    });

    it('413s an oversized definition on PATCH too, leaving the draft alone', async () => {
      const wf = await createWorkflow();
      const res = await patch(`/v1/workflows/${wf.id}`, { definition: templateDefinition('y'.repeat(1_100_000)) });
      expectProblem(res, 413, 'definition-too-large');
      expect((await get(`/v1/workflows/${wf.id}`)).body).toEqual(wf);
    });

    it('422s more than 1,000 nodes', async () => {
      const nodes = Array.from({ length: 1001 }, (_, i) => ({ id: `n${i}`, type: 'DelayNode', config: { ms: 0 } }));
      const res = await post('/v1/workflows', { name: 'wide', definition: { nodes, edges: [] } });
      expectProblem(res, 422, 'validation-error');
      expect(res.body.errors).toEqual([
        { field: 'definition.nodes', message: expect.stringContaining('at most 1000') },
      ]);
      const justRight = await post('/v1/workflows', {
        name: 'wide',
        definition: { nodes: nodes.slice(0, 1000), edges: [] },
      });
      expect(justRight.status).toBe(201);
    });
  });

  describe('GET /v1/nodes', () => {
    it('lists the built-in types with config schema and connectors, and the node policy schema', async () => {
      const res = await get('/v1/nodes');
      expect(res.status).toBe(200);
      const types = res.body.items.map((n: { type: string }) => n.type);
      expect([...types].sort()).toEqual(
        [
          'CodeNode',
          'ConditionNode',
          'DelayNode',
          'FailNode',
          'HttpRequestNode',
          'InputNode',
          'OutputNode',
          'SignalNode',
          'TextGenerationNode',
          'TextTemplateNode',
          'TransformNode',
          'WaitNode',
          'WorkflowNode',
          'MapNode',
        ].sort(),
      );
      expect(Object.keys(res.body.node_policy_schema.properties)).toEqual([
        'retry',
        'timeout_ms',
        'on_error',
        'default_outputs',
      ]);
      for (const item of res.body.items) {
        expect(typeof item.description).toBe('string');
        expect(item.config_schema).toMatchObject({ type: 'object' });
        expect(Array.isArray(item.inputs)).toBe(true);
        expect(Array.isArray(item.outputs)).toBe(true);
      }
      const byType = Object.fromEntries(res.body.items.map((n: { type: string }) => [n.type, n]));
      expect(byType.InputNode.outputs.map((c: { name: string }) => c.name)).toEqual(['value']);
      expect(byType.OutputNode.inputs.map((c: { name: string }) => c.name)).toEqual(['value']);
      expect(byType.ConditionNode.outputs.map((c: { name: string }) => c.name).sort()).toEqual(['false', 'true']);
      expect(byType.TextTemplateNode.connectors_from_config).toEqual(expect.any(String));
    });

    it('needs an API key', async () => {
      expectProblem(await t.http.get('/v1/nodes'), 401, 'unauthorized');
    });
  });

  describe('OpenAPI document', () => {
    it('describes the workflow paths and the X-API-Key scheme', async () => {
      const res = await t.http.get('/docs-json');
      expect(res.status).toBe(200);
      const paths = Object.keys(res.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/v1/workflows',
          '/v1/workflows/{workflow_id}',
          '/v1/workflows/{workflow_id}/versions',
          '/v1/workflows/{workflow_id}/versions/{version_id}',
          '/v1/nodes',
        ]),
      );
      const workflows = res.body.paths['/v1/workflows'];
      expect(Object.keys(workflows)).toEqual(expect.arrayContaining(['get', 'post']));
      expect(Object.keys(res.body.paths['/v1/workflows/{workflow_id}'])).toEqual(
        expect.arrayContaining(['get', 'patch', 'delete']),
      );
      const schemes = res.body.components.securitySchemes as Record<string, Record<string, string>>;
      const [schemeName, scheme] = Object.entries(schemes).find(([, s]) => s.type === 'apiKey')!;
      expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
      expect(workflows.post.security).toEqual([{ [schemeName]: [] }]);
    });

    it('documents every node type, with its config schema, in the /v1/nodes response', async () => {
      const res = await t.http.get('/docs-json');
      const example = res.body.paths['/v1/nodes'].get.responses['200'].content['application/json'].schema.example;
      const types = (example.items as { type: string; config_schema: object }[]).map((item) => item.type);
      expect(types).toHaveLength(14);
      expect(types).toEqual(expect.arrayContaining(['HttpRequestNode', 'TextGenerationNode', 'CodeNode']));
      for (const item of example.items as { config_schema: { type: string } }[])
        expect(item.config_schema.type).toBe('object');
    });
  });
});
