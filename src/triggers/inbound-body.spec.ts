import { describe, expect, it } from '@jest/globals';
import { mappingHeaders, parseInboundBody } from './inbound-body.js';

describe('parseInboundBody', () => {
  it('parses JSON (and +json), forms with repeated fields, and keeps anything else as text', () => {
    expect(parseInboundBody(Buffer.from('{"a":[1]}'), 'application/json; charset=utf-8')).toEqual({ a: [1] });
    expect(parseInboundBody(Buffer.from('{"a":1}'), 'application/vnd.api+json')).toEqual({ a: 1 });
    expect(parseInboundBody(Buffer.from('a=1&b=x+y&a=2'), 'application/x-www-form-urlencoded')).toEqual({
      a: ['1', '2'],
      b: 'x y',
    });
    expect(parseInboundBody(Buffer.from('hello'), 'text/plain')).toBe('hello');
    expect(parseInboundBody(Buffer.from('<a/>'), undefined)).toBe('<a/>');
    expect(parseInboundBody(Buffer.alloc(0), 'application/json')).toBeNull();
  });

  it('answers malformed JSON with a 400 problem', () => {
    expect(() => parseInboundBody(Buffer.from('{'), 'application/json')).toThrow(
      expect.objectContaining({ status: 400 }) as unknown as Error,
    );
  });
});

describe('mappingHeaders', () => {
  it('lower-cases names and joins repeated values', () => {
    expect(mappingHeaders({ 'X-Event': 'push', accept: ['a', 'b'], none: undefined })).toEqual({
      'x-event': 'push',
      accept: 'a, b',
    });
  });
});
