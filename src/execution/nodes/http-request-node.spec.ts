import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { MAX_RESPONSE_BYTES } from '../http/http-exchange.js';
import { HttpRequestNode, type HttpRequestNodeConfig } from './http-request-node.js';
import { testNodeContext } from './test-node-context.js';

describe('HttpRequestNode', () => {
  it('has one required input per placeholder across url, header values and body', () => {
    const config = {
      method: 'POST' as const,
      url: 'https://api.example.com/((path))?q=((q))',
      headers: { Authorization: 'Bearer ((token))', 'X-Q': '((q))' },
      body: '{"path": "((path))", "n": ((n))}',
    };
    expect(HttpRequestNode.inputs(config).map((i) => [i.name, i.required])).toEqual([
      ['path', true],
      ['q', true],
      ['token', true],
      ['n', true],
    ]);
    expect(HttpRequestNode.outputs(config).map((o) => o.name)).toEqual(['status', 'headers', 'body']);
  });

  it('accepts a sound config, including a URL that is one placeholder', () => {
    expect(HttpRequestNode.checkConfig({ url: 'https://example.com', method: 'PUT', body: 'x' })).toEqual([]);
    expect(HttpRequestNode.checkConfig({ url: '((url))' })).toEqual([]);
  });

  it('reports every semantic problem with its path', () => {
    const config = {
      url: 'ftp://example.com/((a b))',
      headers: { 'X-Trace': '((1))' },
      body: '((ok))',
    };
    expect(HttpRequestNode.checkConfig(config)).toEqual([
      { path: 'url', message: expect.stringContaining('invalid placeholder ((a b))') },
      { path: 'headers["X-Trace"]', message: expect.stringContaining('invalid placeholder ((1))') },
      { path: 'url', message: 'must start with http:// or https://' },
      { path: 'body', message: 'is not allowed with method GET' },
    ]);
    expect(HttpRequestNode.checkConfig({ url: 'http://x', method: 'HEAD', body: '' })).toEqual([
      { path: 'body', message: 'is not allowed with method HEAD' },
    ]);
  });

  it('takes a header name or null as idempotency_header, nothing else', () => {
    const validate = new Ajv2020({ strict: true }).compile(HttpRequestNode.describe().config_schema);
    for (const idempotency_header of ['Idempotency-Key', 'X-Request-Id', null]) {
      expect([idempotency_header, validate({ url: 'https://example.com', idempotency_header })]).toEqual([
        idempotency_header,
        true,
      ]);
    }
    for (const idempotency_header of ['', 'Idempotency Key', 'X:Key', 42, false]) {
      expect([idempotency_header, validate({ url: 'https://example.com', idempotency_header })]).toEqual([
        idempotency_header,
        false,
      ]);
    }
  });

  describe('execute, against a real local server', () => {
    let server: Server;
    let base: string;
    const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];
    beforeAll(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          seen.push({ method: request.method, url: request.url, headers: request.headers, body });
          const url = new URL(request.url!, 'http://x');
          if (url.pathname === '/json')
            response.writeHead(200, { 'content-type': 'application/json' }).end('{"a":[1,2]}');
          else if (url.pathname === '/text') response.writeHead(201, { 'x-thing': 'yes' }).end('plain');
          else if (url.pathname === '/missing') response.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
          else if (url.pathname === '/see-other') response.writeHead(303, { location: '/json' }).end();
          else if (url.pathname === '/loop') response.writeHead(302, { location: '/loop' }).end();
          else if (url.pathname === '/slow') setTimeout(() => response.end('late'), 2000);
          else if (url.pathname === '/huge') response.end(Buffer.alloc(MAX_RESPONSE_BYTES + 10, 97));
          else response.writeHead(500).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    const allowed = { services: { outbound: { allowPrivate: true } } };
    const run = (config: HttpRequestNodeConfig, inputs: Record<string, unknown> = {}, overrides = {}) =>
      HttpRequestNode.execute(inputs, testNodeContext(config, { ...allowed, ...overrides }));

    it('sends the templated method, url, headers and body; parses JSON', async () => {
      const outputs = await run(
        {
          method: 'POST',
          url: `${base}/((path))?q=((q))`,
          headers: { 'X-Token': 'Bearer ((t))' },
          body: '{"n": ((n))}',
        },
        { path: 'json', q: 'a b', t: 'secret', n: 42 },
      );
      expect(outputs).toMatchObject({
        status: 200,
        body: { a: [1, 2] },
        headers: { 'content-type': 'application/json' },
      });
      const request = seen.at(-1)!;
      expect(request).toMatchObject({ method: 'POST', url: '/json?q=a b'.replace(' ', '%20'), body: '{"n": 42}' });
      expect(request.headers['x-token']).toBe('Bearer secret');
    });

    it('outputs text bodies and non-2xx statuses without failing; fail_on_error_status fails', async () => {
      expect(await run({ url: `${base}/text` })).toMatchObject({
        status: 201,
        body: 'plain',
        headers: { 'x-thing': 'yes' },
      });
      expect(await run({ url: `${base}/missing` })).toMatchObject({ status: 404, body: 'nope' });
      await expect(run({ url: `${base}/missing`, fail_on_error_status: true })).rejects.toMatchObject({
        type: 'http_status',
        message: 'HTTP 404: nope',
      });
    });

    it('follows redirects (303 becomes GET) but not forever', async () => {
      expect(await run({ method: 'POST', url: `${base}/see-other`, body: 'x' })).toMatchObject({
        status: 200,
        body: { a: [1, 2] },
      });
      expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/json', body: '' });
      await expect(run({ url: `${base}/loop` })).rejects.toMatchObject({ type: 'http_redirects' });
    });

    it('fails on timeout, oversized bodies and abort', async () => {
      await expect(run({ url: `${base}/slow`, timeout_ms: 200 })).rejects.toMatchObject({ type: 'http_timeout' });
      await expect(run({ url: `${base}/huge` })).rejects.toMatchObject({ type: 'http_response_too_large' });
      const controller = new AbortController();
      const pending = run({ url: `${base}/slow` }, {}, { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toBeDefined();
    });

    it('refuses loopback and private addresses unless the server allows them', async () => {
      for (const url of [
        `${base}/json`,
        'http://10.0.0.1/',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/',
      ]) {
        await expect(HttpRequestNode.execute({}, testNodeContext({ url }))).rejects.toMatchObject({
          type: 'http_refused_address',
        });
      }
    });

    it("sends the node's idempotency key as Idempotency-Key, whatever the method", async () => {
      await run({ url: `${base}/json` });
      expect(seen.at(-1)!.headers['idempotency-key']).toBe('key-of-node-1');
      await run({ method: 'POST', url: `${base}/json`, body: 'x' }, {}, { idempotencyKey: 'key-of-another-call' });
      expect(seen.at(-1)!.headers['idempotency-key']).toBe('key-of-another-call');
    });

    it('idempotency_header renames the header; null sends none', async () => {
      await run({ url: `${base}/json`, idempotency_header: 'X-Request-Id' });
      expect(seen.at(-1)!.headers['x-request-id']).toBe('key-of-node-1');
      expect(seen.at(-1)!.headers).not.toHaveProperty('idempotency-key');
      await run({ url: `${base}/json`, idempotency_header: null });
      expect(seen.at(-1)!.headers).not.toHaveProperty('idempotency-key');
      expect(seen.at(-1)!.headers).not.toHaveProperty('x-request-id');
    });

    it('sends a header of that name set in headers (any case, templated) instead of the key', async () => {
      await run({ url: `${base}/json`, headers: { 'idempotency-key': 'order-((id))' } }, { id: 42 });
      expect(seen.at(-1)!.headers['idempotency-key']).toBe('order-42');
      await run({ url: `${base}/json`, idempotency_header: 'X-Dedup', headers: { 'X-DEDUP': 'mine' } });
      expect(seen.at(-1)!.headers['x-dedup']).toBe('mine');
      expect(seen.at(-1)!.headers).not.toHaveProperty('idempotency-key');
    });

    it('drops Authorization, Cookie and Proxy-Authorization on a redirect to another origin only', async () => {
      const landed: Record<string, unknown>[] = [];
      const target = createServer((request, response) => {
        landed.push(request.headers);
        response.end('ok');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      const targetBase = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const redirector = createServer((request, response) =>
        response.writeHead(307, { location: request.url === '/same' ? '/landed' : `${targetBase}/landed` }).end(),
      );
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      const redirectorBase = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
      const headers = { Authorization: 'Bearer s', Cookie: 'c=1', 'Proxy-Authorization': 'Basic p', 'X-Keep': 'k' };
      try {
        expect(await run({ url: `${redirectorBase}/other`, headers })).toMatchObject({ status: 200, body: 'ok' });
        expect(landed[0]).toMatchObject({ 'x-keep': 'k' });
        expect(landed[0]).not.toHaveProperty('authorization');
        expect(landed[0]).not.toHaveProperty('cookie');
        expect(landed[0]).not.toHaveProperty('proxy-authorization');
        seen.length = 0;
        await run({ url: `${base}/see-other`, headers });
        expect(seen.at(-1)!.headers).toMatchObject({ authorization: 'Bearer s', cookie: 'c=1' });
      } finally {
        target.close();
        redirector.close();
      }
    });

    it('fails a header value with CR/LF as http_invalid_request naming the header', async () => {
      await expect(
        run({ url: `${base}/json`, headers: { 'X-Name': '((v))' } }, { v: 'a\r\nX-Injected: 1' }),
      ).rejects.toMatchObject({ type: 'http_invalid_request', message: expect.stringContaining('"X-Name"') });
    });

    /** A server answering every request with a 302 to `location`; fails as `type`. */
    async function expectRedirectFailure(location: string, type: string): Promise<void> {
      const redirector = createServer((_, response) => response.writeHead(302, { location }).end());
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      const { port } = redirector.address() as AddressInfo;
      try {
        await expect(run({ url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({ type });
      } finally {
        redirector.close();
      }
    }

    it('fails a malformed redirect Location as http_redirects', () =>
      expectRedirectFailure('http://[::1', 'http_redirects'));

    it('checks every redirect hop as a new request (a hop to a non-http URL is refused)', () =>
      expectRedirectFailure('ftp://127.0.0.1/file', 'http_invalid_url'));
  });
});
