import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response, Test } from 'supertest';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

const DEFINITION = {
  nodes: [
    { id: 'q', type: 'InputNode', config: { label: 'Question' } },
    { id: 'a', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [{ from: { node_id: 'q', output: 'value' }, to: { node_id: 'a', input: 'value' } }],
};
const NON_EXISTENT_GROUP = '00000000-0000-4000-8000-0000000000aa';

type Role = 'admin' | 'member';
/**
 * Where a request acts: `own` is the key's default group (no group_id), `allowed` another of its
 * groups, `foreign` an existing group outside its list, `missing` a uuid naming no group,
 * `malformed` a group_id that is not a uuid.
 */
type Target = 'own' | 'allowed' | 'foreign' | 'missing' | 'malformed';
type Kind = 'tenant read' | 'tenant write' | 'admin';

interface Scope {
  /** The group the request names, or undefined for the key's default. */
  groupId?: string;
  /** A workflow (with one version) in that group, when the group exists. */
  workflowId: string;
  versionId: string;
  /** A fresh member key of group C, for the revoke endpoint. */
  keyId?: string;
}

interface Endpoint {
  name: string;
  kind: Kind;
  success: number;
  /** The request, not yet sent: the cell adds the key. */
  call(scope: Scope): Test;
  /** Whether the cell must first create a key for `scope.keyId`. */
  needsKey?: boolean;
  /** On success: that the request acted in `home`, the group it named (or the key's default). */
  check?(res: Response, seeded: { home: string; workflowId: string; versionId: string }): void;
}

const actedIn = (res: Response, seeded: { home: string }) => expect(res.body.group_id).toBe(seeded.home);
const onWorkflow = (res: Response, seeded: { workflowId: string }) =>
  expect(res.body.workflow_id).toBe(seeded.workflowId);

/** The status each endpoint kind answers, per role and target (docs/security.md). */
const EXPECTED: Record<Kind, Record<Role, Record<Target, number | 'success'>>> = {
  'tenant read': {
    admin: { own: 'success', allowed: 'success', foreign: 'success', missing: 404, malformed: 422 },
    member: { own: 'success', allowed: 'success', foreign: 403, missing: 403, malformed: 422 },
  },
  'tenant write': {
    admin: { own: 'success', allowed: 'success', foreign: 'success', missing: 404, malformed: 422 },
    member: { own: 'success', allowed: 'success', foreign: 403, missing: 403, malformed: 422 },
  },
  admin: {
    admin: { own: 'success', allowed: 'success', foreign: 'success', missing: 404, malformed: 422 },
    member: { own: 403, allowed: 403, foreign: 403, missing: 403, malformed: 403 },
  },
};

describe('auth and scoping', () => {
  let t: TestApp;
  /** Group A is the keys' default, B their second allowed group, C a group neither may use. */
  let groupA: string;
  let groupB: string;
  let groupC: string;
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await createTestApp();
    groupA = t.defaultGroupId;
    groupB = await newGroup('B');
    groupC = await newGroup('C');
    keys.admin = (await newKey('admin', [groupA, groupB])).key;
    keys.member = (await newKey('member', [groupA, groupB])).key;
  });
  afterAll(() => t.close());

  const asAdmin = <T extends Test>(req: T): T => req.set('X-API-Key', ADMIN_KEY) as T;

  async function newGroup(name: string): Promise<string> {
    const res = await asAdmin(t.http.post('/v1/groups')).send({ name });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function newKey(role: Role, groupIds: string[]): Promise<{ id: string; key: string }> {
    const res = await asAdmin(t.http.post('/v1/api-keys')).send({ name: `${role} key`, role, group_ids: groupIds });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Creates a workflow with one version in `groupId` through the bootstrap admin key. */
  async function seedWorkflow(groupId: string, name = 'seeded'): Promise<{ workflowId: string; versionId: string }> {
    const created = await asAdmin(t.http.post(`/v1/workflows?group_id=${groupId}`)).send({
      name,
      definition: DEFINITION,
    });
    expect(created.status).toBe(201);
    const version = await asAdmin(t.http.post(`/v1/workflows/${created.body.id}/versions?group_id=${groupId}`)).send(
      {},
    );
    expect(version.status).toBe(201);
    return { workflowId: created.body.id, versionId: version.body.id };
  }

  function groupQuery(scope: Scope, prefix: '?' | '&' = '?'): string {
    return scope.groupId === undefined ? '' : `${prefix}group_id=${encodeURIComponent(scope.groupId)}`;
  }

  const endpoints: Endpoint[] = [
    {
      name: 'GET /v1/workflows/{id}',
      kind: 'tenant read',
      success: 200,
      call: (s) => t.http.get(`/v1/workflows/${s.workflowId}${groupQuery(s)}`),
      check: actedIn,
    },
    {
      name: 'GET /v1/workflows',
      kind: 'tenant read',
      success: 200,
      call: (s) => t.http.get(`/v1/workflows?page_size=100${groupQuery(s, '&')}`),
      check: (res, seeded) => {
        const items = res.body.items as { id: string; group_id: string }[];
        expect(items.every((w) => w.group_id === seeded.home)).toBe(true);
        expect(items.map((w) => w.id)).toContain(seeded.workflowId);
      },
    },
    {
      name: 'GET /v1/workflows/{id}/versions',
      kind: 'tenant read',
      success: 200,
      call: (s) => t.http.get(`/v1/workflows/${s.workflowId}/versions${groupQuery(s)}`),
      check: (res, seeded) => expect(res.body.items.map((v: { id: string }) => v.id)).toEqual([seeded.versionId]),
    },
    {
      name: 'GET /v1/workflows/{id}/versions/{version_id}',
      kind: 'tenant read',
      success: 200,
      call: (s) => t.http.get(`/v1/workflows/${s.workflowId}/versions/${s.versionId}${groupQuery(s)}`),
      check: onWorkflow,
    },
    {
      name: 'POST /v1/workflows',
      kind: 'tenant write',
      success: 201,
      call: (s) => t.http.post(`/v1/workflows${groupQuery(s)}`).send({ name: 'new', definition: DEFINITION }),
      check: actedIn,
    },
    {
      name: 'PATCH /v1/workflows/{id}',
      kind: 'tenant write',
      success: 200,
      call: (s) => t.http.patch(`/v1/workflows/${s.workflowId}${groupQuery(s)}`).send({ name: 'renamed' }),
      check: (res, seeded) => {
        actedIn(res, seeded);
        expect(res.body).toMatchObject({ name: 'renamed', revision: 2 });
      },
    },
    {
      name: 'DELETE /v1/workflows/{id}',
      kind: 'tenant write',
      success: 204,
      call: (s) => t.http.delete(`/v1/workflows/${s.workflowId}${groupQuery(s)}`),
    },
    {
      name: 'POST /v1/workflows/{id}/versions',
      kind: 'tenant write',
      success: 201,
      call: (s) => t.http.post(`/v1/workflows/${s.workflowId}/versions${groupQuery(s)}`).send({}),
      check: (res, seeded) => {
        onWorkflow(res, seeded);
        expect(res.body.number).toBe(2);
      },
    },
    {
      name: 'GET /v1/groups',
      kind: 'admin',
      success: 200,
      call: (s) => t.http.get(`/v1/groups${groupQuery(s)}`),
    },
    {
      name: 'POST /v1/groups',
      kind: 'admin',
      success: 201,
      call: (s) => t.http.post(`/v1/groups${groupQuery(s)}`).send({ name: `made in the matrix ${randomUUID()}` }),
    },
    {
      name: 'GET /v1/groups/{id}',
      kind: 'admin',
      success: 200,
      call: (s) => t.http.get(`/v1/groups/${groupC}${groupQuery(s)}`),
    },
    {
      name: 'PATCH /v1/groups/{id}',
      kind: 'admin',
      success: 200,
      call: (s) => t.http.patch(`/v1/groups/${groupC}${groupQuery(s)}`).send({ limits: { max_schedules: 50 } }),
    },
    {
      name: 'GET /v1/api-keys',
      kind: 'admin',
      success: 200,
      call: (s) => t.http.get(`/v1/api-keys${groupQuery(s)}`),
    },
    {
      name: 'POST /v1/api-keys',
      kind: 'admin',
      success: 201,
      call: (s) =>
        t.http.post(`/v1/api-keys${groupQuery(s)}`).send({ name: 'matrix', role: 'member', group_ids: [groupC] }),
    },
    {
      name: 'DELETE /v1/api-keys/{id}',
      kind: 'admin',
      success: 204,
      needsKey: true,
      call: (s) => t.http.delete(`/v1/api-keys/${s.keyId}${groupQuery(s)}`),
    },
  ];

  const roles: Role[] = ['admin', 'member'];
  const targets: Target[] = ['own', 'allowed', 'foreign', 'missing', 'malformed'];
  const cells = roles.flatMap((role) =>
    targets.flatMap((target) =>
      endpoints.map((endpoint) => {
        const expected = EXPECTED[endpoint.kind][role][target];
        return [role, target, endpoint.name, expected === 'success' ? endpoint.success : expected] as const;
      }),
    ),
  );

  function groupFor(target: Target): string | undefined {
    return { own: undefined, allowed: groupB, foreign: groupC, missing: NON_EXISTENT_GROUP, malformed: 'not-a-uuid' }[
      target
    ];
  }

  it.each(cells)('%s key, %s group: %s → %i', async (role, target, endpointName, status) => {
    const endpoint = endpoints.find((e) => e.name === endpointName)!;
    const groupId = groupFor(target);
    // A fresh workflow per cell, in the group acted in (group A stands in where none exists).
    const home = groupId === undefined || ![groupA, groupB, groupC].includes(groupId) ? groupA : groupId;
    const seeded = await seedWorkflow(home);
    const keyId = endpoint.needsKey ? (await newKey('member', [groupC])).id : undefined;
    const res = await endpoint.call({ groupId, keyId, ...seeded }).set('X-API-Key', keys[role]);
    expect({ status: res.status, body: res.body }).toEqual(expect.objectContaining({ status }));
    if (status >= 400) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.status).toBe(status);
    }
    if (status === 422) expect(res.body.errors).toEqual([{ field: 'group_id', message: expect.any(String) }]);
    if (status < 300) endpoint.check?.(res, { home, ...seeded });
  });

  describe('resources of other groups', () => {
    let inA: { workflowId: string; versionId: string };
    let inB: { workflowId: string; versionId: string };
    let keyA: string;
    let keyB: string;

    beforeAll(async () => {
      inA = await seedWorkflow(groupA, 'only in A');
      inB = await seedWorkflow(groupB, 'only in B');
      keyA = (await newKey('member', [groupA])).key;
      keyB = (await newKey('member', [groupB])).key;
    });

    const reads = (id: string, versionId: string) => [
      () => t.http.get(`/v1/workflows/${id}`),
      () => t.http.patch(`/v1/workflows/${id}`).send({ name: 'hijacked' }),
      () => t.http.delete(`/v1/workflows/${id}`),
      () => t.http.post(`/v1/workflows/${id}/versions`).send({}),
      () => t.http.get(`/v1/workflows/${id}/versions`),
      () => t.http.get(`/v1/workflows/${id}/versions/${versionId}`),
      () => t.http.get(`/v1/workflows/${id}/runs`),
    ];

    it('answers 404, not 403, for a workflow of group A read with a key of group B, versions included', async () => {
      for (const call of reads(inA.workflowId, inA.versionId)) {
        const res = await call().set('X-API-Key', keyB);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.type).toBe('https://runloom.dev/problems/not-found');
      }
      // A's version reached through B's own workflow is just as invisible.
      const mixed = await t.http
        .get(`/v1/workflows/${inB.workflowId}/versions/${inA.versionId}`)
        .set('X-API-Key', keyB);
      expect(mixed.status).toBe(404);
      // Nothing changed in A.
      const stillThere = await t.http.get(`/v1/workflows/${inA.workflowId}`).set('X-API-Key', keyA);
      expect(stillThere.status).toBe(200);
      expect(stillThere.body).toMatchObject({ name: 'only in A', revision: 1 });
      const versions = await t.http.get(`/v1/workflows/${inA.workflowId}/versions`).set('X-API-Key', keyA);
      expect(versions.body.total).toBe(1);
    });

    it('answers 404 when an admin names the wrong group for an existing workflow', async () => {
      for (const call of reads(inA.workflowId, inA.versionId)) {
        const res = await call().query({ group_id: groupB }).set('X-API-Key', ADMIN_KEY);
        expect(res.status).toBe(404);
      }
    });

    it('never lists workflows of other groups', async () => {
      const listed = async (key: string, query = '') =>
        (await t.http.get(`/v1/workflows?page_size=100${query}`).set('X-API-Key', key)).body.items as {
          id: string;
          group_id: string;
        }[];
      const seenByB = await listed(keyB);
      expect(seenByB.every((w) => w.group_id === groupB)).toBe(true);
      expect(seenByB.map((w) => w.id)).toContain(inB.workflowId);
      expect(seenByB.map((w) => w.id)).not.toContain(inA.workflowId);
      const seenByA = await listed(keyA);
      expect(seenByA.every((w) => w.group_id === groupA)).toBe(true);
      expect(seenByA.map((w) => w.id)).not.toContain(inB.workflowId);
      const seenByAdminInC = await listed(ADMIN_KEY, `&group_id=${groupC}`);
      expect(seenByAdminInC.every((w) => w.group_id === groupC)).toBe(true);
    });

    it("shows a two-group member each group's workflows only when that group is named", async () => {
      const list = async (query: string) => {
        const res = await t.http.get(`/v1/workflows?page_size=100${query}`).set('X-API-Key', keys.member);
        expect(res.status).toBe(200);
        return res.body as { items: { id: string; group_id: string }[]; total: number };
      };
      const byDefault = await list('');
      const inGroupA = await list(`&group_id=${groupA}`);
      const inGroupB = await list(`&group_id=${groupB}`);
      expect(byDefault).toEqual(inGroupA);
      expect(inGroupA.items.every((w) => w.group_id === groupA)).toBe(true);
      expect(inGroupB.items.every((w) => w.group_id === groupB)).toBe(true);
      expect(inGroupA.items.map((w) => w.id)).toContain(inA.workflowId);
      expect(inGroupA.items.map((w) => w.id)).not.toContain(inB.workflowId);
      expect(inGroupB.items.map((w) => w.id)).toContain(inB.workflowId);
      expect(inGroupB.items.map((w) => w.id)).not.toContain(inA.workflowId);
      expect(inGroupA.total).toBe(inGroupA.items.length);
      const b = await t.http.get(`/v1/workflows/${inB.workflowId}`).set('X-API-Key', keys.member);
      expect(b.status).toBe(404);
      const bNamed = await t.http
        .get(`/v1/workflows/${inB.workflowId}?group_id=${groupB}`)
        .set('X-API-Key', keys.member);
      expect(bNamed.status).toBe(200);
    });
  });

  describe('key state', () => {
    it('401s a revoked key at once, on every kind of endpoint', async () => {
      const { workflowId } = await seedWorkflow(groupA);
      for (const role of ['admin', 'member'] as const) {
        const key = await newKey(role, [groupA]);
        expect((await t.http.get(`/v1/workflows/${workflowId}`).set('X-API-Key', key.key)).status).toBe(200);
        expect((await asAdmin(t.http.delete(`/v1/api-keys/${key.id}`))).status).toBe(204);
        const calls = [
          t.http.get(`/v1/workflows/${workflowId}`),
          t.http.get('/v1/workflows'),
          t.http.post('/v1/workflows').send({ name: 'x', definition: DEFINITION }),
          t.http.patch(`/v1/workflows/${workflowId}`).send({ name: 'x' }),
          t.http.delete(`/v1/workflows/${workflowId}`),
          t.http.get('/v1/groups'),
          t.http.get('/v1/nodes'),
        ];
        for (const call of calls) {
          const res = await call.set('X-API-Key', key.key);
          expect(res.status).toBe(401);
          expect(res.body.detail).toContain('revoked');
        }
      }
      expect((await asAdmin(t.http.get(`/v1/workflows/${workflowId}`))).status).toBe(200);
    });

    it('401s missing and unknown keys before looking at group_id', async () => {
      for (const query of ['', `?group_id=${groupC}`, '?group_id=nope']) {
        expect((await t.http.get(`/v1/workflows${query}`)).status).toBe(401);
        expect((await t.http.get(`/v1/workflows${query}`).set('X-API-Key', 'rl_nope')).status).toBe(401);
      }
    });
  });
});
