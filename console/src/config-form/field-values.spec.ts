import { describe, expect, it } from '@jest/globals';
import { fieldsFor, fits, modeOf, parseFieldText, textOf, withKey } from './field-values';
import { fieldsOf, type FormField } from './schema-fields';
import { HTTP_REQUEST, TEXT_GENERATION } from './test-schemas';

const http = Object.fromEntries(fieldsOf(HTTP_REQUEST, 'config').map((field) => [field.key, field]));
const generation = Object.fromEntries(fieldsOf(TEXT_GENERATION, 'config').map((field) => [field.key, field]));
const NONE: ReadonlySet<string> = new Set();

describe('field values', () => {
  it('parses each kind from its control, leaving empty optional fields out', () => {
    expect(parseFieldText(http.url, 'form', 'https://x/((id))')).toEqual({ value: 'https://x/((id))' });
    expect(parseFieldText(http.body, 'form', '')).toEqual({ value: undefined });
    expect(parseFieldText(http.timeout_ms, 'form', '2500')).toEqual({ value: 2500 });
    expect(parseFieldText(http.timeout_ms, 'form', '')).toEqual({ value: undefined });
    expect(parseFieldText(generation.temperature, 'form', '0.7')).toEqual({ value: 0.7 });
    expect(parseFieldText(http.fail_on_error_status, 'form', 'false')).toEqual({ value: false });
    expect(parseFieldText(http.fail_on_error_status, 'form', '')).toEqual({ value: undefined });
    expect(parseFieldText(http.method, 'form', 'POST')).toEqual({ value: 'POST' });
    expect(parseFieldText(http.method, 'form', '')).toEqual({ value: undefined });
  });

  it('keeps an emptied required string as "" (an empty template is a template), other required kinds left out', () => {
    expect(parseFieldText(generation.template, 'form', '')).toEqual({ value: '' });
    const required: FormField = { ...http.timeout_ms, required: true };
    expect(parseFieldText(required, 'form', '')).toEqual({ value: undefined });
  });

  it('parses JSON in a JSON field and in any field switched to JSON, saying when it is not JSON', () => {
    expect(parseFieldText(http.headers, 'json', '{"X-A": "((a))"}')).toEqual({ value: { 'X-A': '((a))' } });
    expect(parseFieldText(http.idempotency_header, 'json', 'null')).toEqual({ value: null });
    expect(parseFieldText(http.url, 'json', '"https://x"')).toEqual({ value: 'https://x' });
    expect(parseFieldText(http.timeout_ms, 'json', '')).toEqual({ value: undefined });
    expect(parseFieldText(http.headers, 'json', '{"X-A": ')).toEqual({ error: 'headers: not valid JSON' });
    expect(parseFieldText(http.url, 'json', 'https://x')).toEqual({ error: 'url: not valid JSON' });
  });

  it('refuses a number that is none', () => {
    expect(parseFieldText(http.timeout_ms, 'form', 'abc')).toEqual({ error: 'timeout_ms: not a number' });
  });

  it('shows a value in its control as text, and as indented JSON in JSON mode', () => {
    expect(textOf(http.timeout_ms, 'form', 2500)).toBe('2500');
    expect(textOf(http.fail_on_error_status, 'form', true)).toBe('true');
    expect(textOf(http.url, 'form', undefined)).toBe('');
    expect(textOf(http.url, 'json', 'https://x')).toBe('"https://x"');
    expect(textOf(http.headers, 'json', { a: '1' })).toBe('{\n  "a": "1"\n}');
  });

  it('shows as JSON what the control cannot show, what has no control, and what the person switched', () => {
    expect(modeOf(http.url, 'https://x', NONE)).toBe('form');
    expect(modeOf(http.idempotency_header, null, NONE)).toBe('json');
    expect(fits(http.idempotency_header, null)).toBe(false);
    expect(modeOf(http.timeout_ms, '100', NONE)).toBe('json');
    expect(modeOf(http.method, 'TRACE', NONE)).toBe('json');
    expect(modeOf(http.fail_on_error_status, 'yes', NONE)).toBe('json');
    expect(modeOf(http.headers, { a: 'b' }, NONE)).toBe('json');
    expect(modeOf(http.url, undefined, new Set(['config.url']))).toBe('json');
  });

  it('sets a key where it was, adds a new one at the end, removes an undefined one, and leaves the original alone', () => {
    const config = { url: 'https://x', method: 'POST', body: 'b' };
    expect(Object.entries(withKey(config, 'method', 'PUT'))).toEqual([
      ['url', 'https://x'],
      ['method', 'PUT'],
      ['body', 'b'],
    ]);
    expect(Object.keys(withKey(config, 'headers', {}))).toEqual(['url', 'method', 'body', 'headers']);
    expect(withKey(config, 'method', undefined)).toEqual({ url: 'https://x', body: 'b' });
    expect(withKey(undefined, 'url', 'u')).toEqual({ url: 'u' });
    expect(config).toEqual({ url: 'https://x', method: 'POST', body: 'b' });
  });

  it('shows the keys a schema does not describe after its fields, as JSON, so they are never dropped', () => {
    const fields = fieldsOf(HTTP_REQUEST, 'config');
    const shown = fieldsFor(fields, { legacy: 1, url: 'u', 'x y': true }, 'config');
    expect(shown.slice(fields.length).map((field) => [field.path, field.kind, field.unknown])).toEqual([
      ['config.legacy', 'any', true],
      ['config["x y"]', 'any', true],
    ]);
    expect(fieldsFor(fields, undefined, 'config')).toEqual(fields);
  });
});
