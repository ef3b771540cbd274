import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow, edge, SEED_DEFINITION } from './support/workflows.js';

/** The seed workflow with the template typed as far as `((q)) and ((ctx`, and a node of no known type. */
const HALF_TYPED = {
  nodes: [
    ...SEED_DEFINITION.nodes.filter((node) => node.id !== 'prompt'),
    { id: 'prompt', type: 'TextTemplateNode', config: { template: '((q)) and ((extra)) ((ctx' } },
    { id: 'mystery', type: 'NoSuchNode', config: {} },
    { id: 'broken', type: 'TextTemplateNode', config: { template: 42 } },
  ],
  edges: [...SEED_DEFINITION.edges, edge('question.value', 'answer.value')],
};

describe('POST /v1/workflows/validate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const validate = (body: object, key = ADMIN_KEY) =>
    t.http.post('/v1/workflows/validate').set('X-API-Key', key).send(body);

  it('finds a sound definition valid and gives every node its connectors, storing nothing', async () => {
    const before = await t.http.get('/v1/workflows').set('X-API-Key', ADMIN_KEY);
    const res = await validate({ definition: SEED_DEFINITION });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.errors).toEqual([]);
    expect(Object.keys(res.body.connectors)).toEqual(['question', 'context', 'prompt', 'answer']);
    expect(res.body.connectors.prompt.inputs.map((input: { name: string }) => input.name)).toEqual(['q', 'c']);
    expect(res.body.connectors.question).toMatchObject({ inputs: [], outputs: [{ name: 'value' }] });
    expect(res.body.connectors.answer).toMatchObject({ inputs: [{ name: 'value', required: true }], outputs: [] });
    const after = await t.http.get('/v1/workflows').set('X-API-Key', ADMIN_KEY);
    expect(after.body.total).toBe(before.body.total);
  });

  it("reports exactly a save's 422 errors, and connectors only for nodes of a known type with a sound config", async () => {
    const saved = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'half typed', definition: HALF_TYPED });
    expectProblem(saved, 422, 'validation-error');
    const res = await validate({ definition: HALF_TYPED });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors).toEqual(saved.body.errors);
    expect(res.body.errors).toContainEqual({
      field: 'definition.nodes[5].config.template',
      message: expect.any(String),
    });
    expect(res.body.errors).toContainEqual({ field: 'definition.nodes[4].type', message: expect.any(String) });
    expect(Object.keys(res.body.connectors)).toEqual(['question', 'context', 'answer', 'prompt']);
    // The template's inputs follow its placeholders as typed; the unfinished `((ctx` is not one yet.
    expect(res.body.connectors.prompt.inputs.map((input: { name: string }) => input.name)).toEqual(['q', 'extra']);
  });

  it('with workflow_id, reports a draft calling its own workflow as a save does', async () => {
    const own = await createWorkflow(t.http, { nodes: [], edges: [] });
    const selfCall = { nodes: [{ id: 'self', type: 'WorkflowNode', config: { workflow_id: own.id } }], edges: [] };
    const saved = await t.http
      .patch(`/v1/workflows/${own.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ definition: selfCall });
    expectProblem(saved, 422, 'validation-error');
    const res = await validate({ definition: selfCall, workflow_id: own.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, errors: saved.body.errors });
    expect(res.body.connectors.self).toBeDefined();
  });

  it('answers problems for a definition that is not an object, and for a workflow_id not in the group', async () => {
    for (const definition of [[], 'nodes', null, 3])
      expectProblem(await validate({ definition }), 422, 'validation-error');
    expectProblem(await validate({}), 422, 'validation-error');
    expectProblem(await validate({ definition: SEED_DEFINITION, workflow_id: 'nope' }), 422, 'validation-error');
    const other = await newGroupWithKey(t.http, 'validate-other');
    const theirs = await createWorkflow(t.http, SEED_DEFINITION, { key: other.key });
    expectProblem(await validate({ definition: SEED_DEFINITION, workflow_id: theirs.id }), 404, 'not-found');
    const mine = await validate({ definition: SEED_DEFINITION, workflow_id: theirs.id }, other.key);
    expect(mine.body.valid).toBe(true);
  });
});
