import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { SEED_DEFINITION } from './support/workflows.js';

describe('workflow slugs and search', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key = ADMIN_KEY) =>
    t.http
      .post('/v1/workflows')
      .set('X-API-Key', key)
      .send({ name: 'w', definition: SEED_DEFINITION, ...body });
  const list = (query: string, key = ADMIN_KEY) => t.http.get(`/v1/workflows?${query}`).set('X-API-Key', key);
  const patch = (id: string, body: Record<string, unknown>) =>
    t.http.patch(`/v1/workflows/${id}`).set('X-API-Key', ADMIN_KEY).send(body);

  it('stores an optional slug, shows it, and refuses one another workflow of the group has with 409', async () => {
    const made = await create({ name: 'Summarize', slug: 'summarize' });
    expect(made.status).toBe(201);
    expect(made.body.slug).toBe('summarize');
    const plain = await create({ name: 'no slug' });
    expect(plain.body.slug).toBeNull();

    const taken = await create({ slug: 'summarize' });
    expectProblem(taken, 409, 'slug-taken');
    expect(taken.body.detail).toContain('summarize');
    expectProblem(await patch(plain.body.id, { slug: 'summarize' }), 409, 'slug-taken');
    expect((await t.http.get(`/v1/workflows/${plain.body.id}`).set('X-API-Key', ADMIN_KEY)).body.slug).toBeNull();

    // Another group may use the same slug; a deleted workflow frees its slug.
    const other = await newGroupWithKey(t.http, 'slug-neighbours');
    expect((await create({ slug: 'summarize' }, other.key)).status).toBe(201);
    expect((await t.http.delete(`/v1/workflows/${made.body.id}`).set('X-API-Key', ADMIN_KEY)).status).toBe(204);
    const again = await patch(plain.body.id, { slug: 'summarize' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ slug: 'summarize', revision: 2 });
    const cleared = await patch(plain.body.id, { slug: null });
    expect(cleared.body).toMatchObject({ slug: null, revision: 3 });
  });

  it.each([['Upper'], ['-edge'], ['edge-'], ['under_score'], ['a'.repeat(65)], [''], [7]])(
    'answers 422 naming slug for the malformed slug %p',
    async (slug) => {
      const res = await create({ slug });
      expectProblem(res, 422, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('slug');
      if (typeof slug === 'string') {
        expectProblem(await list(`slug=${encodeURIComponent(slug)}`), 422, 'validation-error');
      }
    },
  );

  it('filters by exact slug and searches name, slug and description ignoring case', async () => {
    const team = await newGroupWithKey(t.http, 'search');
    const ids: Record<string, string> = {};
    for (const [name, slug, description] of [
      ['Daily Report', 'daily-report', null],
      ['Invoices', 'billing-sync', 'Pushes invoices to the LEDGER'],
      ['Ledger 100% check', null, null],
      ['Unrelated', 'other', 'nothing here'],
    ] as const) {
      const res = await create({ name, slug, description }, team.key);
      expect(res.status).toBe(201);
      ids[name] = res.body.id;
    }
    const names = async (query: string) => {
      const res = await list(query, team.key);
      expect(res.status).toBe(200);
      return (res.body.items as { name: string }[]).map((w) => w.name);
    };
    expect(await names('slug=billing-sync')).toEqual(['Invoices']);
    expect(await names('slug=billing')).toEqual([]);
    expect(await names('q=REPORT')).toEqual(['Daily Report']);
    expect(await names('q=billing')).toEqual(['Invoices']);
    expect(await names('q=ledger')).toEqual(['Ledger 100% check', 'Invoices']);
    // Wildcards are plain characters.
    expect(await names(`q=${encodeURIComponent('100%')}`)).toEqual(['Ledger 100% check']);
    expect(await names(`q=${encodeURIComponent('%')}`)).toEqual(['Ledger 100% check']);
    expect(await names('q=_')).toEqual([]);
    expect(await names(`q=${encodeURIComponent('\\')}`)).toEqual([]);
    const paged = await list('q=e&page_size=2', team.key);
    expect(paged.body).toMatchObject({ page: 1, page_size: 2, total: 4 });
    expect(paged.body.items).toHaveLength(2);
    // Only the caller's group is searched.
    expect((await list('q=ledger')).body.items).toEqual([]);
    expectProblem(await list(`q=${'x'.repeat(101)}`, team.key), 422, 'validation-error');
    expectProblem(await list('q=', team.key), 422, 'validation-error');
  });
});
