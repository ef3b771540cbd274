import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertLiteralHostAllowed, guardedLookup, RefusedAddressError, type Resolver } from './outbound-guard.js';
import { OutboundError, sendOutbound, type OutboundRequest } from './outbound-request.js';

describe('outbound requests', () => {
  let server: Server;
  let port: number;
  const seen: IncomingMessage[] = [];
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/ok': (_, res) => res.end('fine'),
    '/redirect': (_, res) => res.writeHead(302, { location: '/ok' }).end(),
    '/big': (_, res) => res.end('x'.repeat(100_000)),
    '/slow': (_, res) => void setTimeout(() => res.end('late'), 2000).unref(),
    '/host': (req, res) => res.end(req.headers.host),
    '/dribble': (_, res) => {
      res.writeHead(200).write('start');
      setTimeout(() => res.end('late'), 2000).unref();
    },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      (routes[req.url!] ?? ((_, r: ServerResponse) => r.writeHead(404).end()))(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (url: string, overrides: Partial<OutboundRequest> = {}) =>
    sendOutbound({
      url,
      method: 'GET',
      timeoutMs: 1000,
      maxResponseBytes: 1024,
      policy: { allowPrivate: true },
      ...overrides,
    });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the request to fail');
      },
      (error: unknown) => error as OutboundError,
    );

  it('returns the status and body', async () => {
    const response = await send(`http://127.0.0.1:${port}/ok`);
    expect(response).toMatchObject({ status: 200, truncated: false });
    expect(response.body.toString()).toBe('fine');
  });

  it('does not follow redirects', async () => {
    const before = seen.length;
    const response = await send(`http://127.0.0.1:${port}/redirect`);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/ok');
    expect(seen.slice(before).map((req) => req.url)).toEqual(['/redirect']);
  });

  it('reads the body up to the cap and marks it truncated', async () => {
    const response = await send(`http://127.0.0.1:${port}/big`);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(1024);
  });

  it('gives up at the deadline with a timeout', async () => {
    const started = Date.now();
    const error = await failure(send(`http://127.0.0.1:${port}/slow`, { timeoutMs: 200 }));
    expect(error.errorClass).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('counts a body still arriving at the deadline as a timeout', async () => {
    const error = await failure(send(`http://127.0.0.1:${port}/dribble`, { timeoutMs: 200 }));
    expect(error.errorClass).toBe('timeout');
  });

  it('names connection and DNS failures', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await failure(send(`http://127.0.0.1:${closedPort}/`))).errorClass).toBe('connection');
    expect((await failure(send('http://does-not-exist.invalid/'))).errorClass).toBe('dns');
  });

  it('refuses URLs it cannot request', async () => {
    expect((await failure(send('ftp://example.com/'))).errorClass).toBe('invalid_url');
    expect((await failure(send('not a url'))).errorClass).toBe('invalid_url');
  });

  describe('with the guard on', () => {
    const guarded = { allowPrivate: false };

    it.each([
      ['127.0.0.1', 'loopback'],
      ['127.1', 'loopback'], // WHATWG URL normalises short and numeric IPv4 forms
      ['2130706433', 'loopback'],
      ['0x7f.0.0.1', 'loopback'],
      ['[::1]', 'loopback'],
      ['[::ffff:127.0.0.1]', 'loopback'],
      ['[::ffff:7f00:1]', 'loopback'],
      ['[::127.0.0.1]', 'loopback'],
      ['[64:ff9b::7f00:1]', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['[::]', 'unspecified'],
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.0.1', 'private'],
      ['100.64.0.1', 'cgnat'],
      ['169.254.169.254', 'metadata'],
      ['[fd00:ec2::254]', 'metadata'],
      ['169.254.1.1', 'link-local'],
      ['[fe80::1]', 'link-local'],
      ['[fc00::1]', 'unique-local'],
      ['224.0.0.1', 'multicast'],
    ])('refuses the literal host %s (%s) without connecting', async (host, reason) => {
      const before = seen.length;
      const error = await failure(send(`http://${host}:${port}/ok`, { policy: guarded }));
      expect(error.errorClass).toBe('refused_address');
      expect((error.cause as RefusedAddressError).reason).toBe(reason);
      expect(seen.length).toBe(before);
    });

    it('refuses a name that resolves to a refused address (localhost)', async () => {
      const error = await failure(send(`http://localhost:${port}/ok`, { policy: guarded }));
      expect(error.errorClass).toBe('refused_address');
      expect(error.message).toMatch(/localhost \((127\.0\.0\.1|::1)\) is not a public address \(loopback\)/);
    });

    it('refuses a name if any of its addresses is refused', async () => {
      const resolve: Resolver = async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ];
      const error = await failure(send('http://mixed.test/', { policy: { allowPrivate: false, resolve } }));
      expect(error.errorClass).toBe('refused_address');
      expect(error.message).toContain('10.0.0.5');
    });

    it('resolves once and connects to the address it checked (no rebinding window)', async () => {
      // A rebinding DNS server: answers differently each time it is asked.
      const answers = ['127.0.0.1', '10.9.9.9'];
      let calls = 0;
      const resolve: Resolver = async () => [{ address: answers[calls++], family: 4 }];
      const response = await send(`http://rebind.test:${port}/host`, { policy: { allowPrivate: true, resolve } });
      expect(calls).toBe(1);
      expect(response.body.toString()).toBe(`rebind.test:${port}`); // reached 127.0.0.1, the vetted answer
      calls = 0;
      const refused = await failure(
        send(`http://rebind.test:${port}/host`, { policy: { allowPrivate: false, resolve } }),
      );
      expect(refused.errorClass).toBe('refused_address');
      expect(calls).toBe(1);
    });
  });

  describe('guard building blocks', () => {
    it('assertLiteralHostAllowed only judges literal addresses, and not at all when private is allowed', () => {
      expect(() => assertLiteralHostAllowed(new URL('http://[::ffff:10.0.0.1]/'), { allowPrivate: false })).toThrow(
        RefusedAddressError,
      );
      expect(() => assertLiteralHostAllowed(new URL('http://10.0.0.1/'), { allowPrivate: true })).not.toThrow();
      expect(() => assertLiteralHostAllowed(new URL('http://example.com/'), { allowPrivate: false })).not.toThrow();
      expect(() => assertLiteralHostAllowed(new URL('http://8.8.8.8/'), { allowPrivate: false })).not.toThrow();
    });

    it('guardedLookup answers in both the single and the `all` shapes', async () => {
      const resolve: Resolver = async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ];
      const lookup = guardedLookup({ allowPrivate: false, resolve });
      const single = await new Promise((done) =>
        lookup('a.test', {}, (err, address, family) => done({ err, address, family })),
      );
      expect(single).toEqual({ err: null, address: '93.184.215.14', family: 4 });
      const all = await new Promise((done) =>
        lookup('a.test', { all: true }, (err, addresses) => done({ err, addresses })),
      );
      expect(all).toEqual({ err: null, addresses: await resolve('a.test', {}) });
    });
  });
});
