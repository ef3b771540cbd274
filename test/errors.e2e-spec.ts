import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const DEFINITION = {
  nodes: [
    { id: 'q', type: 'InputNode', config: { label: 'Question' } },
    { id: 'a', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [{ from: { node_id: 'q', output: 'value' }, to: { node_id: 'a', input: 'value' } }],
};

/** `depth` nested objects (or arrays), built as text so no JavaScript recursion is involved. */
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('no input a client can send produces a 500', () => {
  let t: TestApp;
  let workflowId: string;
  let versionId: string;
  let revocableKeyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const created = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'target', definition: DEFINITION });
    expect(created.status).toBe(201);
    workflowId = created.body.id;
    const version = await t.http.post(`/v1/workflows/${workflowId}/versions`).set('X-API-Key', ADMIN_KEY).send({});
    versionId = version.body.id;
    const key = await t.http
      .post('/v1/api-keys')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'spare', role: 'member', group_ids: [t.defaultGroupId] });
    revocableKeyId = key.body.id;
  });
  afterAll(() => t.close());

  /** Endpoints that take a JSON body. */
  const bodyEndpoints = (): [string, string][] => [
    ['post', '/v1/workflows'],
    ['patch', `/v1/workflows/${workflowId}`],
    ['post', `/v1/workflows/${workflowId}/versions`],
    ['post', '/v1/groups'],
    ['post', '/v1/api-keys'],
  ];

  /** Every endpoint, with ids that exist, so only the request itself can be at fault. */
  const allEndpoints = (): [string, string][] => [
    ...bodyEndpoints(),
    ['get', '/v1/workflows'],
    ['get', `/v1/workflows/${workflowId}`],
    ['delete', `/v1/workflows/${MISSING_ID}`],
    ['get', `/v1/workflows/${workflowId}/versions`],
    ['get', `/v1/workflows/${workflowId}/versions/${versionId}`],
    ['get', '/v1/nodes'],
    ['get', '/v1/groups'],
    ['get', `/v1/groups/${t.defaultGroupId}`],
    ['get', '/v1/api-keys'],
    ['delete', `/v1/api-keys/${MISSING_ID}`],
  ];

  const send = (method: string, url: string): Test => {
    const agent = t.http as unknown as Record<string, (url: string) => Test>;
    return agent[method](url).set('X-API-Key', ADMIN_KEY);
  };

  describe('request bodies', () => {
    it('answers malformed JSON with 400 malformed-json on every body endpoint', async () => {
      for (const [method, url] of bodyEndpoints()) {
        for (const text of ['{"name":', '{name: "x"}', "{'a': 1}", '{"a":1,}', '\u0000', '{"a":1}{"b":2}']) {
          const res = await send(method, url).set('Content-Type', 'application/json').send(text);
          expectProblem(res, 400, 'malformed-json');
        }
      }
    });

    it.each([
      ['an empty array', '[]'],
      ['an array of objects', '[{"name":"x"}]'],
      ['a string', '"workflow"'],
      ['null', 'null'],
      ['a number', '42'],
      ['true', 'true'],
    ])('answers a JSON body that is %s with a 4xx on every body endpoint', async (_, text) => {
      for (const [method, url] of bodyEndpoints()) {
        const res = await send(method, url).set('Content-Type', 'application/json').send(text);
        expectProblem(res);
      }
    });

    it.each([
      ['text/plain', '{"name":"x"}'],
      ['application/x-www-form-urlencoded', 'name=x&definition=y'],
      ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--xyz--'],
      ['application/xml', '<name>x</name>'],
      ['application/octet-stream', '\u0001\u0002'],
    ])('answers a %s body with 415, not as if no body was sent', async (type, text) => {
      for (const [method, url] of bodyEndpoints()) {
        const res = await send(method, url).set('Content-Type', type).send(text);
        expectProblem(res, 415);
      }
    });

    it('answers an unsupported charset or content encoding with 415', async () => {
      const latin = await send('post', '/v1/groups')
        .set('Content-Type', 'application/json; charset=latin-9')
        .send('{}');
      expectProblem(latin, 415, 'unsupported-encoding');
      const zipped = await send('post', '/v1/groups')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'x-made-up')
        .send('{"name":"x"}');
      expectProblem(zipped, 415, 'unsupported-encoding');
    });

    it('answers a body over the 2 MB limit with 413 payload-too-large', async () => {
      const big = JSON.stringify({
        name: 'big',
        definition: { nodes: [], edges: [], pad: 'x'.repeat(2 * 1024 * 1024) },
      });
      for (const [method, url] of bodyEndpoints()) {
        const res = await send(method, url).set('Content-Type', 'application/json').send(big);
        expectProblem(res, 413, 'payload-too-large');
      }
    });

    it.each([
      ['objects', nestedObject],
      ['arrays', nestedArray],
    ])('answers JSON nested 10,000 levels deep (%s) with 422', async (_, nest) => {
      const deep = nest(10_000);
      for (const [method, url] of bodyEndpoints()) {
        const res = await send(method, url).set('Content-Type', 'application/json').send(deep);
        expectProblem(res);
      }
      for (const field of ['name', 'description', 'definition']) {
        const res = await send('post', '/v1/workflows')
          .set('Content-Type', 'application/json')
          .send(`{"name":"deep","definition":{"nodes":[],"edges":[]},"${field}":${deep}}`);
        expectProblem(res);
      }
      const inConfig = await send('post', '/v1/workflows')
        .set('Content-Type', 'application/json')
        .send(`{"name":"deep","definition":{"nodes":[{"id":"n","type":"CodeNode","config":${deep}}],"edges":[]}}`);
      expectProblem(inConfig, 422, 'validation-error');
      expect(inConfig.body.errors).toEqual([
        {
          field: expect.stringMatching(/^definition\.nodes\[0\]\.config/),
          message: expect.stringContaining('100 levels'),
        },
      ]);
    });

    it('accepts ordinary nesting, such as a dict default 90 levels deep', async () => {
      const res = await send('post', '/v1/workflows')
        .set('Content-Type', 'application/json')
        .send(
          `{"name":"nested","definition":{"nodes":[{"id":"i","type":"InputNode",` +
            `"config":{"label":"L","type":"dict","default":${nestedObject(90)}}}],"edges":[]}}`,
        );
      expect(res.status).toBe(201);
      await send('delete', `/v1/workflows/${res.body.id}`).expect(204);
    });
  });

  describe('prototype pollution', () => {
    const hostile = [
      '{"__proto__":{"polluted":true},"name":"x","definition":{"nodes":[],"edges":[]}}',
      '{"constructor":{"prototype":{"polluted":true}},"name":"x","definition":{"nodes":[],"edges":[]}}',
      '{"name":"x","definition":{"nodes":[],"edges":[],"__proto__":{"polluted":true}}}',
      '{"name":"x","definition":{"__proto__":{"nodes":[],"edges":[]}}}',
      '{"name":"x","definition":{"nodes":[{"id":"__proto__","type":"InputNode","config":{"__proto__":{"polluted":true}}}],"edges":[]}}',
      '{"name":"x","definition":{"nodes":[{"id":"constructor","type":"DelayNode","config":{"ms":0,"constructor":{"prototype":{"polluted":true}}}}],"edges":[]}}',
      '{"name":"x","role":"member","group_ids":["__proto__"],"__proto__":{"role":"admin"}}',
    ];

    it('rejects __proto__ anywhere and constructor where no such field exists, naming it, and pollutes nothing', async () => {
      for (const [method, url] of bodyEndpoints()) {
        for (const text of hostile) {
          const res = await send(method, url).set('Content-Type', 'application/json').send(text);
          expectProblem(res);
        }
      }
      const res = await send('post', '/v1/workflows').set('Content-Type', 'application/json').send(hostile[5]);
      expect(res.body.errors).toEqual([
        { field: 'definition.nodes[0].config.constructor', message: 'is not allowed; allowed: ms' },
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      const stored = await send('get', `/v1/workflows/${workflowId}`);
      expect(stored.body).toMatchObject({ name: 'target', revision: 1 });
    });
  });

  describe('paths and query strings', () => {
    it('answers unknown routes and methods with 404 problem+json', async () => {
      expectProblem(await send('get', '/v1/nope'), 404, 'not-found');
      expectProblem(await t.http.get('/nope'), 404, 'not-found');
      expectProblem(await send('put', '/v1/workflows'), 404, 'not-found');
      expectProblem(await send('post', `/v1/workflows/${workflowId}/versions/${versionId}`), 404, 'not-found');
      expectProblem(await send('delete', '/v1/groups'), 404, 'not-found');
    });

    it.each([
      '/v1/workflows/%E0%A4%A',
      '/v1/workflows/%',
      '/v1/workflows/%zz',
      '/v1/workflows/%00',
      '/v1/workflows/%E0%A4%A/versions',
      '/v1/workflows/%E0%A4%A/versions/%FF',
      '/v1/groups/%C0%AF',
      '/v1/api-keys/%E0%A4%A',
    ])('answers a badly encoded path %s with a 4xx', async (path) => {
      expectProblem(await send('get', path));
      expectProblem(await send('delete', path));
    });

    it.each([
      'page=99999999999999999999',
      'page=1e20',
      'page=9007199254740993',
      'page=2147483648',
      'page=Infinity',
      'page=NaN',
      'page_size=1e400',
      'page=0x10',
      'page=1&page=2',
      'page_size=%ZZ',
      'group_id=%E0%A4%A',
      'group_id=a&group_id=b',
      'group_id=',
    ])('answers ?%s with a 4xx or a page, never a 500', async (query) => {
      for (const url of ['/v1/workflows', `/v1/workflows/${workflowId}/versions`, '/v1/groups', '/v1/api-keys']) {
        const res = await send('get', `${url}?${query}`);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expectProblem(res);
      }
    });

    it('answers page numbers past 1,000,000 with 422 naming page', async () => {
      for (const page of ['99999999999999999999', '1e20', '1000001']) {
        const res = await send('get', `/v1/workflows?page=${page}`);
        expectProblem(res, 422, 'validation-error');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['page']);
      }
      const last = await send('get', '/v1/workflows?page=1000000&page_size=100');
      expect(last.status).toBe(200);
      expect(last.body.items).toEqual([]);
    });
  });

  describe('headers', () => {
    it.each([
      ['an empty X-API-Key', 'X-API-Key', ''],
      ['a blank X-API-Key', 'X-API-Key', ' '],
      ['an 8 kB X-API-Key', 'X-API-Key', 'x'.repeat(8000)],
      ['a Latin-1 X-API-Key', 'X-API-Key', 'rl_' + '\u00ff'.repeat(40)],
      ['a huge If-Match revision', 'If-Match', '"99999999999999999999"'],
      ['If-Match: *', 'If-Match', '*'],
      ['a negative If-Match revision', 'If-Match', 'W/"-1"'],
    ])('answers %s with a 4xx', async (_, name, value) => {
      const res = await t.http
        .patch(`/v1/workflows/${workflowId}`)
        .set('X-API-Key', ADMIN_KEY)
        .set(name, value)
        .send({ name: 'target' });
      expectProblem(res);
    });
  });

  describe('hostile bodies on every endpoint', () => {
    const huge = 'x'.repeat(100_000);
    const hostileBodies: [string, unknown][] = [
      ['empty object', {}],
      ['nulls everywhere', { name: null, description: null, definition: null, role: null, group_ids: null }],
      ['wrong types', { name: 1, description: [], definition: 'x', role: 7, group_ids: 'x', expires_at: 5 }],
      ['objects for strings', { name: {}, description: {}, role: {}, default_group_id: {} }],
      ['huge strings', { name: huge, description: huge, role: huge, group_ids: [huge] }],
      ['lone surrogates', { name: '\ud800', definition: { nodes: [{ id: '\udfff' }], edges: [] } }],
      [
        'nodes of every wrong shape',
        { name: 'x', definition: { nodes: [null, 1, 'x', [], {}, { id: {} }], edges: 'x' } },
      ],
      [
        'edges of every wrong shape',
        {
          name: 'x',
          definition: {
            nodes: [],
            edges: [null, 1, {}, { from: 1, to: [] }, { from: { node_id: 1 }, to: { node_id: 'x', input: {} } }],
          },
        },
      ],
      [
        'bad configs',
        {
          name: 'x',
          definition: {
            nodes: [
              { id: 'a', type: 'TransformNode', config: { expression: '$$$(' } },
              { id: 'b', type: 'ConditionNode', config: { expression: ')' } },
              { id: 'c', type: 'CodeNode', config: { code: 'while(true){}', inputs: ['x', 'x', '1'] } },
              { id: 'd', type: 'HttpRequestNode', config: { url: 'file:///etc/passwd', method: 'TRACE' } },
              { id: 'e', type: 'TextTemplateNode', config: { template: '(('.repeat(10_000) } },
              { id: 'f', type: 'InputNode', config: { type: 'int', default: 'nope', label: 'F' } },
              { id: 'g', type: 'DelayNode', config: { ms: 1e308 } },
              { id: 'h', type: 'TextGenerationNode', config: { temperature: 'hot', max_tokens: -1 } },
              { id: 'i', type: 'FailNode', config: { message: null } },
            ],
            edges: [],
          },
        },
      ],
      ['a group_id in the body', { name: 'x', group_id: 'not-a-uuid' }],
      ['a foreign group_id in the body', { name: 'x', group_id: MISSING_ID }],
      ['numeric group_id in the body', { name: 'x', group_id: 1 }],
      ['bad key groups', { name: 'x', role: 'admin', group_ids: [MISSING_ID, MISSING_ID], default_group_id: 'x' }],
      ['impossible dates', { name: 'x', role: 'member', group_ids: [MISSING_ID], expires_at: '2024-02-30T00:00:00Z' }],
      [
        'far-future dates',
        { name: 'x', role: 'member', group_ids: [MISSING_ID], expires_at: '+275761-01-01T00:00:00Z' },
      ],
      ['past dates', { name: 'x', role: 'member', group_ids: [MISSING_ID], expires_at: '1970-01-01T00:00:00Z' }],
      ['too many group ids', { name: 'x', role: 'member', group_ids: Array.from({ length: 101 }, () => MISSING_ID) }],
    ];

    it.each(hostileBodies)('answers %s with status < 500 everywhere', async (_, body) => {
      for (const [method, url] of allEndpoints()) {
        const res = await send(method, url).send(body as object);
        if (res.status >= 500) throw new Error(`${method.toUpperCase()} ${url} answered ${res.status}: ${res.text}`);
        if (res.status >= 400) expectProblem(res);
      }
    });

    it.each([
      ['NUL characters', 'a\u0000b'],
      ['an unpaired high surrogate', 'a\ud800b'],
      ['an unpaired low surrogate', '\udfff'],
    ])('answers strings with %s, which PostgreSQL cannot store, with 422', async (_, nul) => {
      const { body: disposable } = await send('post', '/v1/workflows').send({ name: 'nul', definition: DEFINITION });
      const calls = [
        send('post', '/v1/workflows').send({ name: nul, definition: DEFINITION }),
        send('post', '/v1/workflows').send({ name: 'x', description: nul, definition: DEFINITION }),
        send('post', '/v1/workflows').send({
          name: 'x',
          definition: { nodes: [{ id: 't', type: 'TextTemplateNode', config: { template: nul } }], edges: [] },
        }),
        send('post', '/v1/workflows').send({
          name: 'x',
          definition: { nodes: [{ id: 'i', type: 'InputNode', config: { label: 'L', default: nul } }], edges: [] },
        }),
        send('patch', `/v1/workflows/${disposable.id}`).send({ name: nul }),
        send('post', `/v1/workflows/${disposable.id}/versions`).send({ name: nul }),
        send('post', `/v1/workflows/${disposable.id}/versions`).send({ description: nul }),
        send('post', '/v1/groups').send({ name: nul }),
        send('post', '/v1/api-keys').send({ name: nul, role: 'member', group_ids: [t.defaultGroupId] }),
        send('post', '/v1/workflows').send({
          name: 'x',
          definition: {
            nodes: [{ id: 'i', type: 'InputNode', config: { label: 'L', type: 'dict', default: { [nul]: 1 } } }],
            edges: [],
          },
        }),
      ];
      for (const call of calls) {
        const res = await call;
        if (res.status >= 500) throw new Error(`answered ${res.status}: ${res.text}`);
        expectProblem(res, 422, 'validation-error');
      }
    });

    it('left the seeded workflow and group untouched', async () => {
      const res = await send('get', `/v1/workflows/${workflowId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'target', revision: 1, definition: DEFINITION });
      expect((await send('get', `/v1/api-keys?page_size=100`)).body.items.map((k: { id: string }) => k.id)).toContain(
        revocableKeyId,
      );
    });
  });
});
