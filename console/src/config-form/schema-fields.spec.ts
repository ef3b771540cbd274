import { describe, expect, it } from '@jest/globals';
import { fieldsOf, type FormField } from './schema-fields';
import { configFieldsFor, nodeForms } from './node-forms';
import { CODE, HTTP_REQUEST, POLICY, TEXT_GENERATION } from './test-schemas';

const byKey = (fields: FormField[]) => Object.fromEntries(fields.map((field) => [field.key, field]));

describe('schema fields', () => {
  it('gives one field per property in the schema order, with its kind, limits, default and required mark', () => {
    const fields = fieldsOf(HTTP_REQUEST, 'config');
    expect(fields.map((field) => [field.path, field.kind, field.required])).toEqual([
      ['config.method', 'enum', false],
      ['config.url', 'str', true],
      ['config.headers', 'any', false],
      ['config.body', 'str', false],
      ['config.timeout_ms', 'int', false],
      ['config.fail_on_error_status', 'bool', false],
      ['config.idempotency_header', 'str', false],
    ]);
    const { method, timeout_ms, idempotency_header } = byKey(fields);
    expect(method).toMatchObject({ choices: ['GET', 'POST', 'PUT'], defaultValue: 'GET', description: 'HTTP method.' });
    expect(timeout_ms).toMatchObject({ minimum: 1, maximum: 120000, defaultValue: 30000, typeName: 'integer' });
    expect(idempotency_header).toMatchObject({ typeName: 'string | null', multiline: false });
  });

  it('writes prompts, templates, code and bodies in text areas, names, URLs and patterned strings on one line', () => {
    const multiline = (schema: Parameters<typeof fieldsOf>[0]) =>
      fieldsOf(schema, 'config')
        .filter((field) => field.kind === 'str')
        .map((field) => [field.key, field.multiline]);
    expect(multiline(HTTP_REQUEST)).toEqual([
      ['url', false],
      ['body', true],
      ['idempotency_header', false],
    ]);
    expect(multiline(TEXT_GENERATION)).toEqual([
      ['template', true],
      ['model', false],
      ['system', true],
    ]);
    expect(
      multiline({ properties: { notes: { type: 'string', maxLength: 20000 }, code: { type: 'string' } } }),
    ).toEqual([
      ['notes', true],
      ['code', true],
    ]);
    expect(multiline({ properties: { code: { type: 'string', pattern: '^[a-z]+$' } } })).toEqual([['code', false]]);
  });

  it('tells the fields that create input ports from their descriptions: templates and lists of input names', () => {
    const created = (schema: Parameters<typeof fieldsOf>[0]) =>
      fieldsOf(schema, 'config').map((field) => [field.key, field.createsInputs]);
    expect(created(HTTP_REQUEST)).toEqual([
      ['method', undefined],
      ['url', 'placeholders'],
      ['headers', 'placeholders'],
      ['body', 'placeholders'],
      ['timeout_ms', undefined],
      ['fail_on_error_status', undefined],
      ['idempotency_header', undefined],
    ]);
    expect(created(CODE)).toEqual([
      ['code', undefined],
      ['inputs', 'names'],
    ]);
  });

  it('edits as JSON what it has no control for: arrays, free objects, combinations, refs, consts, non-string enums', () => {
    const kinds = fieldsOf(
      {
        properties: {
          list: { type: 'array' },
          free: { type: 'object' },
          either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
          some: { anyOf: [{ type: 'string' }] },
          ref: { $ref: '#/$defs/x' },
          fixed: { type: 'string', const: 'a' },
          numbers: { enum: [1, 2] },
          mixed: { type: ['string', 'integer'] },
          anything: {},
          odd: 'not a schema',
        },
      },
      'config',
    ).map((field) => [field.key, field.kind, field.typeName]);
    expect(kinds).toEqual([
      ['list', 'any', 'array'],
      ['free', 'any', 'object'],
      ['either', 'any', 'JSON'],
      ['some', 'any', 'JSON'],
      ['ref', 'any', 'JSON'],
      ['fixed', 'any', 'string'],
      ['numbers', 'any', 'choice'],
      ['mixed', 'any', 'string | integer'],
      ['anything', 'any', 'JSON'],
      ['odd', 'any', 'JSON'],
    ]);
  });

  it('spells paths as the API spells problem paths, brackets for keys that are no identifier', () => {
    const fields = fieldsOf(
      { properties: { 'X-Key': { type: 'string' }, nested: { type: 'object', properties: { 'a b': {} } } } },
      'config',
    );
    expect(fields.map((field) => field.path)).toEqual(['config["X-Key"]', 'config.nested']);
    expect(fields[1].fields!.map((field) => field.path)).toEqual(['config.nested["a b"]']);
  });

  it('generates the policies with the same generator: retry as a group of fields at the node top level', () => {
    const { policies } = nodeForms(CODE, POLICY);
    expect(policies.map((field) => [field.path, field.kind])).toEqual([
      ['retry', 'object'],
      ['timeout_ms', 'int'],
      ['on_error', 'enum'],
      ['default_outputs', 'any'],
    ]);
    expect(policies[0].fields!.map((field) => [field.path, field.kind, field.defaultValue])).toEqual([
      ['retry.max_attempts', 'int', 3],
      ['retry.max_interval_ms', 'int', 60000],
      ['retry.retry_on', 'any', undefined],
    ]);
    expect(policies[2]).toMatchObject({ choices: ['fail', 'continue', 'default'], defaultValue: 'fail' });
  });

  it('edits a config whose schema names no properties as one JSON field, and keeps the schema description', () => {
    const free = nodeForms({ type: 'object' }, POLICY);
    expect(free.config).toBeUndefined();
    expect(free.wholeConfig).toMatchObject({ key: 'config', path: 'config', kind: 'any' });
    const wait = nodeForms(
      {
        type: 'object',
        description: 'Exactly one of duration_ms and until.',
        properties: { duration_ms: { type: 'integer' } },
      },
      POLICY,
    );
    expect(wait.config!.map((field) => field.path)).toEqual(['config.duration_ms']);
    expect(wait.configDescription).toBe('Exactly one of duration_ms and until.');
  });

  it('edits a config that is no object as one JSON value, so nothing of it is lost', () => {
    const forms = nodeForms(HTTP_REQUEST, POLICY);
    expect(configFieldsFor(forms, undefined)).toBe(forms.config);
    expect(configFieldsFor(forms, { url: 'u' })).toBe(forms.config);
    expect(configFieldsFor(forms, ['u'])).toBeUndefined();
    expect(configFieldsFor(forms, 'u')).toBeUndefined();
    expect(forms.wholeConfig).toMatchObject({ path: 'config', kind: 'object' });
    expect(configFieldsFor(nodeForms({ type: 'object' }, POLICY), {})).toBeUndefined();
  });
});
