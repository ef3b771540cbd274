import { describe, expect, it } from '@jest/globals';
import { helpOf, placeholderOf, typeTagOf, unsetChoiceOf } from './field-help';
import { fieldsOf, unknownField } from './schema-fields';
import { HTTP_REQUEST, POLICY } from './test-schemas';

const http = Object.fromEntries(fieldsOf(HTTP_REQUEST, 'config').map((field) => [field.key, field]));
const policy = Object.fromEntries(fieldsOf(POLICY, '').map((field) => [field.key, field]));

describe('field help', () => {
  it('says the description, the range and the inputs a template creates once the server has said them', () => {
    expect(helpOf(http.timeout_ms, undefined)).toBe('Per exchange. From 1 to 120000.');
    expect(helpOf(policy.timeout_ms, undefined)).toBe('From 1 to 3600000.');
    expect(helpOf({ ...http.timeout_ms, maximum: undefined }, undefined)).toBe('Per exchange. At least 1.');
    const url = 'http:// or https:// URL, a template.';
    expect(helpOf(http.url, undefined)).toBe(url);
    expect(helpOf(http.url, [])).toBe(`${url} Creates no inputs.`);
    expect(
      helpOf(http.url, [
        { name: 'id', required: true },
        { name: 'value', required: false },
      ]),
    ).toBe(`${url} Creates inputs: id, value (optional).`);
    expect(helpOf(unknownField('legacy', 'config'), undefined)).toBe('Not described by this node type; kept as it is.');
  });

  it('marks required fields in the type tag', () => {
    expect(typeTagOf(http.url)).toBe('string, required');
    expect(typeTagOf(http.body)).toBe('string');
  });

  it('shows defaults as placeholders and as the empty choice of a select', () => {
    expect(placeholderOf(http.timeout_ms, 'form')).toBe('30000');
    expect(placeholderOf(http.idempotency_header, 'form')).toBe('Idempotency-Key');
    expect(placeholderOf(http.idempotency_header, 'json')).toBe('"Idempotency-Key"');
    expect(placeholderOf(http.url, 'form')).toBeUndefined();
    expect(unsetChoiceOf(http.method)).toBe('(default: GET)');
    expect(unsetChoiceOf(http.fail_on_error_status)).toBe('(default: false)');
    expect(unsetChoiceOf(policy.on_error)).toBe('(default: fail)');
    expect(unsetChoiceOf({ ...http.method, defaultValue: undefined })).toBe('(not set)');
  });
});
