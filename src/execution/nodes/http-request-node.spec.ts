import { describe, expect, it } from '@jest/globals';
import { HttpRequestNode } from './http-request-node.js';
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

  it('fails clearly as not implemented yet', async () => {
    await expect(HttpRequestNode.execute({}, testNodeContext({ url: 'https://x' }))).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'not_implemented',
      message: 'HttpRequestNode cannot run yet in this build',
    });
  });
});
