import { randomBytes, randomUUID } from 'node:crypto';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { API_KEY_ROLES, hasRole, REQUIRED_ROLE_EXTENSION, type RequiredRole, articleOf } from '../src/common/roles.js';
import type { ApiKeyRole } from '../src/generated/prisma/client.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** A JSON document or problem; not JSON lines (an export), which are read as text. */
const JSON_ANSWER = /^application\/(problem\+)?json/;

const DEFINITION = {
  nodes: [
    { id: 'q', type: 'InputNode', config: { label: 'Question' } },
    { id: 'a', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [{ from: { node_id: 'q', output: 'value' }, to: { node_id: 'a', input: 'value' } }],
};

interface Operation {
  method: (typeof METHODS)[number];
  /** The document's path, `/v1/runs/{run_id}`. */
  path: string;
  operation: OperationObject;
  role?: RequiredRole;
}

interface Answer {
  status: number;
  contentType: string;
  body: { detail?: string; [field: string]: unknown } | undefined;
}

/** Every operation of the document the app serves, with the role it declares (none for key-less ones). */
function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      const role = (operation as OperationObject & Record<string, unknown>)[REQUIRED_ROLE_EXTENSION] as
        RequiredRole | undefined;
      return [{ method, path, operation, role }];
    }),
  );
}

/** `GET /v1/runs/:run_id` for each route the app's Express router holds. */
function routerRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
}

/**
 * The path with every parameter filled by a value that names nothing: the role is decided before
 * any lookup (the guard runs before pipes and handlers), so a bogus id still shows it.
 */
function bogusPath(op: Operation): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const parameter = (op.operation.parameters ?? []).find(
      (p) => (p as ParameterObject).in === 'path' && (p as ParameterObject).name === name,
    ) as ParameterObject | undefined;
    const format = (parameter?.schema as { format?: string } | undefined)?.format;
    return format === 'uuid' || name.endsWith('_id') ? randomUUID() : `no-such-${name.replace(/_/g, '-')}`;
  });
}

describe('roles on API keys', () => {
  let t: TestApp;
  let server: Server;
  let operations: Operation[];
  const keys = {} as Record<ApiKeyRole, string>;
  /** Each keyed operation's answer to each role, filled by the walk. */
  const answers = new Map<string, Record<ApiKeyRole, Answer>>();

  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEY: randomBytes(32).toString('base64') });
    operations = operationsOf((await t.http.get('/docs-json').expect(200)).body);
    server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    for (const role of API_KEY_ROLES) {
      const res = await asAdmin('post', '/v1/api-keys', { name: `${role} key`, role, group_ids: [t.defaultGroupId] });
      expect(res.status).toBe(201);
      expect(res.body.role).toBe(role);
      keys[role] = res.body.key as string;
    }
  });
  afterAll(() => t.close());

  /**
   * One request over a real connection. Streams (SSE) are cut once their status is known: a valid
   * role on a debugger session would otherwise stream until the test times out.
   */
  function send(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
    const { port } = server.address() as AddressInfo;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: method.toUpperCase(),
          path,
          agent: false,
          headers: {
            'X-API-Key': key,
            ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        },
        (response) => {
          const status = response.statusCode!;
          const contentType = response.headers['content-type'] ?? '';
          if (contentType.startsWith('text/event-stream')) {
            request.destroy();
            resolve({ status, contentType, body: undefined });
            return;
          }
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({
              status,
              contentType,
              body: JSON_ANSWER.test(contentType) && text ? JSON.parse(text) : undefined,
            }),
          );
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  const asAdmin = (method: 'get' | 'post' | 'delete', path: string, body?: object) =>
    method === 'get'
      ? t.http.get(path).set('X-API-Key', ADMIN_KEY)
      : method === 'post'
        ? t.http.post(path).set('X-API-Key', ADMIN_KEY).send(body)
        : t.http.delete(path).set('X-API-Key', ADMIN_KEY);

  it("lists every /v1 route of the app's router in the document, each with a role or as taking no key", () => {
    const documented = new Set(
      operations.map((op) => `${op.method.toUpperCase()} ${op.path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const routes = routerRoutes(t).filter((route) => route.split(' ')[1].startsWith('/v1/'));
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
    const unsure = operations.filter(
      (op) => op.path.startsWith('/v1/') && !op.role && (op.operation.security ?? [undefined]).length > 0,
    );
    expect(unsure.map((op) => `${op.method} ${op.path}`)).toEqual([]);
  });

  it('answers 403 exactly where the key is below the role an operation declares, on every operation', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.role)) {
      const path = bogusPath(op);
      const body = ['post', 'put', 'patch'].includes(op.method) ? {} : undefined;
      const byRole = {} as Record<ApiKeyRole, Answer>;
      for (const role of API_KEY_ROLES) {
        const answer = await send(op.method, path, keys[role], body);
        byRole[role] = answer;
        const allowed = hasRole(role, op.role!);
        const where = `${op.method.toUpperCase()} ${op.path} (needs ${op.role}) as ${role}: ${answer.status}`;
        if (!allowed) {
          const named =
            answer.body?.detail?.includes(`needs ${articleOf(op.role!)} ${op.role} key`) &&
            answer.body.detail.includes(role);
          if (answer.status !== 403 || !named) wrong.push(`${where} ${answer.body?.detail ?? ''}`);
        } else if ([401, 403].includes(answer.status) || answer.status >= 500) {
          wrong.push(`${where} ${answer.body?.detail ?? ''}`);
        }
      }
      answers.set(`${op.method} ${op.path}`, byRole);
    }
    expect(wrong).toEqual([]);
    expect(answers.size).toBeGreaterThan(50);
  }, 120_000);

  it('refuses with a problem naming the role needed and the role the key has', async () => {
    const res = await t.http.post(`/v1/runs/${randomUUID()}/stop`).set('X-API-Key', keys.viewer).send({});
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toBe(
      "This endpoint needs a runner key (runner, editor, member, admin); this key's role is viewer.",
    );
  });

  describe('member keys', () => {
    it('are let in and refused exactly where editor keys are', () => {
      expect(answers.size).toBeGreaterThan(0);
      const differ = [...answers].filter(
        ([, byRole]) => (byRole.member.status === 403) !== (byRole.editor.status === 403),
      );
      expect(differ.map(([operation]) => operation)).toEqual([]);
    });

    it('keep their name, and still change workflows and runs but not groups or keys', async () => {
      const me = await t.http.get('/v1/me').set('X-API-Key', keys.member);
      expect(me.body.role).toBe('member');
      const listed = await asAdmin('get', '/v1/api-keys?page_size=100');
      expect(listed.body.items.filter((key: { role: string }) => key.role === 'member')).toHaveLength(1);

      const member = (method: 'post' | 'delete', path: string, body?: object) => {
        const req = method === 'post' ? t.http.post(path).send(body) : t.http.delete(path);
        return req.set('X-API-Key', keys.member);
      };
      const workflow = await member('post', '/v1/workflows', { name: 'by a member', definition: DEFINITION });
      expect(workflow.status).toBe(201);
      const run = await member('post', `/v1/workflows/${workflow.body.id}/runs/sync`, { input: { Question: 'hi' } });
      expect(run.status).toBe(200);
      expect(run.body.output).toEqual({ Answer: 'hi' });
      expect((await member('delete', `/v1/runs/${run.body.id}`)).status).toBe(204);
      expect((await member('delete', `/v1/workflows/${workflow.body.id}`)).status).toBe(204);
      expectProblem(await member('post', '/v1/groups', { name: 'not mine' }), 403, 'forbidden');
    });
  });

  it('lets a runner start runs but not delete them or their workflow, and a viewer only read', async () => {
    const workflow = await asAdmin('post', '/v1/workflows', { name: 'shared', definition: DEFINITION });
    const as = (role: ApiKeyRole, method: 'get' | 'post' | 'delete', path: string, body?: object) => {
      const req =
        method === 'get' ? t.http.get(path) : method === 'post' ? t.http.post(path).send(body) : t.http.delete(path);
      return req.set('X-API-Key', keys[role]);
    };
    const runs = `/v1/workflows/${workflow.body.id}/runs`;
    const run = await as('runner', 'post', `${runs}/sync`, { input: { Question: 'go' } });
    expect(run.status).toBe(200);
    expectProblem(await as('runner', 'delete', `/v1/runs/${run.body.id}`), 403, 'forbidden');
    expectProblem(await as('runner', 'delete', `/v1/workflows/${workflow.body.id}`), 403, 'forbidden');
    expect((await as('viewer', 'get', `/v1/runs/${run.body.id}`)).body.output).toEqual({ Answer: 'go' });
    expect((await as('viewer', 'get', runs)).body.total).toBe(1);
    expectProblem(await as('viewer', 'post', `${runs}/sync`, { input: { Question: 'no' } }), 403, 'forbidden');
    expect((await as('editor', 'delete', `/v1/runs/${run.body.id}`)).status).toBe(204);
  });

  it("shows a viewer the group's secrets by name, never their values, and lets only an editor set one", async () => {
    const put = (role: ApiKeyRole) =>
      t.http.put('/v1/secrets/SMTP_PASSWORD').set('X-API-Key', keys[role]).send({ value: 'hunter2-smtp' });
    expectProblem(await put('viewer'), 403, 'forbidden');
    expectProblem(await put('runner'), 403, 'forbidden');
    expect((await put('editor')).status).toBe(201);
    const listed = await t.http.get('/v1/secrets').set('X-API-Key', keys.viewer);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('SMTP_PASSWORD');
    expect(JSON.stringify(listed.body)).not.toContain('hunter2-smtp');
  });

  it('rejects a role that is not one of viewer, runner, editor, member, admin with a 422 problem', async () => {
    for (const role of ['owner', 'Admin', 'EDITOR', '', 3, null, ['admin'], undefined]) {
      const res = await asAdmin('post', '/v1/api-keys', { name: 'bad', role, group_ids: [t.defaultGroupId] });
      expectProblem(res, 422, 'validation-error');
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain('role');
    }
  });
});
