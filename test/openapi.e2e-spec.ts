import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { contractViolations } from './support/contract.js';
import { createTestApp, TestApp } from './support/test-app.js';

const METHODS = ['get', 'post', 'patch', 'delete'] as const;
const SYNC = '/v1/workflows/{workflow_id}/runs/sync';

function operations(document: OpenAPIObject): [string, string, OperationObject][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map(
      (method) => [path, method, item[method]!] as [string, string, OperationObject],
    ),
  );
}

// `npm run contract` validates the built document (swagger-parser, Redocly); this checks what it says.
describe('the OpenAPI document (/docs-json)', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http.get('/docs-json')).body;
  });
  afterAll(() => t.close());

  it('has servers, tags in reading order, a summary on every operation, public health routes', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(document.tags!.map((tag) => tag.name)).toEqual([
      'workflows',
      'runs',
      'events',
      'callbacks',
      'schedules',
      'triggers',
      'secrets',
      'keys and groups',
      'audit',
      'operations',
    ]);
    for (const tag of document.tags!) expect(tag.description).toBeTruthy();
    for (const [path, method, operation] of operations(document)) {
      expect({ path, method, summary: operation.summary }).toEqual({ path, method, summary: expect.any(String) });
      expect(operation.tags).toHaveLength(1);
    }
    expect(document.paths['/health/ready'].get!.security).toEqual([]);
    expect(document.paths['/v1/workflows'].get!.security).toEqual([{ 'api-key': [] }]);
  });

  it('gives every 4xx and 5xx answer the Problem schema as application/problem+json', () => {
    const problem = document.components!.schemas!.Problem as { properties: Record<string, unknown> };
    expect(Object.keys(problem.properties)).toEqual(
      expect.arrayContaining([
        'type',
        'title',
        'status',
        'detail',
        'instance',
        'request_id',
        'errors',
        'run_id',
        'run_status',
        'error',
      ]),
    );
    for (const [path, method, operation] of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
        if (Number(status) < 400 || path.startsWith('/health')) continue;
        expect({ path, method, status, content: response.content }).toEqual({
          path,
          method,
          status,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        });
      }
      expect(Object.keys(operation.responses)).toContain('500');
    }
    const sync = document.paths[SYNC].post!.responses;
    expect(Object.keys(sync)).toEqual(
      expect.arrayContaining(['200', '202', '400', '401', '403', '404', '409', '413', '415', '422', '424', '429']),
    );
  });

  it('types lists as pages and the sync answer as the run or its output', () => {
    const schemaOf = (path: string, method: 'get' | 'post', status = '200') =>
      (document.paths[path][method]!.responses[status] as ResponseObject).content!['application/json'].schema;
    expect(schemaOf('/v1/workflows', 'get')).toEqual({ $ref: '#/components/schemas/WorkflowPage' });
    expect(schemaOf('/v1/runs/{run_id}/nodes', 'get')).toEqual({ $ref: '#/components/schemas/NodeRunList' });
    expect(schemaOf('/v1/runs/{run_id}/callbacks', 'get')).toEqual({
      $ref: '#/components/schemas/CallbackAttemptList',
    });
    expect(document.components!.schemas!.WorkflowPage).toMatchObject({
      required: expect.arrayContaining(['items', 'page', 'page_size', 'total']),
    });
    expect(schemaOf(SYNC, 'post')).toMatchObject({
      anyOf: [{ $ref: '#/components/schemas/RunResponse' }, { type: 'object' }],
    });
    expect(
      (document.components!.schemas!.RunResponse as { properties: Record<string, unknown> }).properties.error,
    ).toMatchObject({
      type: 'object',
      nullable: true,
    });
  });

  it('describes Location, ETag, Idempotency-Key, Last-Event-ID, Retry-After, the event stream and the callback', () => {
    const sync = document.paths[SYNC].post!;
    expect(Object.keys((sync.responses['202'] as ResponseObject).headers!)).toContain('Location');
    expect(sync.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]),
    );
    expect(Object.keys((sync.responses['429'] as ResponseObject).headers!)).toContain('Retry-After');
    expect(Object.keys(sync.callbacks!.runFinished)).toEqual(['{$request.body#/callback_url}']);
    const get = document.paths['/v1/workflows/{workflow_id}'].get!;
    expect(Object.keys((get.responses['200'] as ResponseObject).headers!)).toContain('ETag');
    const events = document.paths['/v1/runs/{run_id}/events'].get!;
    expect(events.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Last-Event-ID' })]),
    );
    expect(Object.keys((events.responses['200'] as ResponseObject).content!)).toEqual(['text/event-stream']);
    expect(events.responses['204']).toBeDefined();
  });

  it('the e2e contract check rejects what the document does not say', () => {
    const run = {
      method: 'GET',
      url: '/v1/runs/0b7c0000-0000-4000-8000-000000000000',
      contentType: 'application/json',
    };
    expect(contractViolations({ ...run, status: 200, body: { id: 'x' } })[0]).toContain('GET /v1/runs/0b7c');
    expect(contractViolations({ ...run, status: 418, body: {} })[0]).toContain('status not documented');
    expect(contractViolations({ ...run, status: 404, body: {} })[0]).toContain('application/json is not documented');
    expect(contractViolations({ ...run, method: 'PUT', status: 200, body: {} })[0]).toContain(
      'not in the OpenAPI document',
    );
    const problem = {
      type: 'https://runloom.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      instance: run.url,
      request_id: 'r',
    };
    expect(contractViolations({ ...run, status: 404, contentType: 'application/problem+json', body: problem })).toEqual(
      [],
    );
    expect(
      contractViolations({
        ...run,
        status: 404,
        contentType: 'application/problem+json',
        body: { ...problem, status: '404' },
      }),
    ).toHaveLength(1);
  });
});
