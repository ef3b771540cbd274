import { describe, expect, it } from '@jest/globals';
import { inputsCreatedBy, placeFieldProblems, shownPaths } from './field-problems';
import { fieldsOf } from './schema-fields';
import { nodeForms } from './node-forms';
import { CODE, HTTP_REQUEST, POLICY } from './test-schemas';

const NONE: ReadonlySet<string> = new Set();
const { policies } = nodeForms(HTTP_REQUEST, POLICY);
const http = Object.fromEntries(fieldsOf(HTTP_REQUEST, 'config').map((field) => [field.key, field]));

describe('field problems', () => {
  it('shows the fields inside an object policy only while it is set and not edited as JSON', () => {
    expect(shownPaths(policies, { id: 'a', retry: { max_attempts: 2, legacy: 1 } }, NONE)).toEqual([
      'retry',
      'retry.max_attempts',
      'retry.max_interval_ms',
      'retry.retry_on',
      'retry.legacy',
      'timeout_ms',
      'on_error',
      'default_outputs',
    ]);
    expect(shownPaths(policies, { id: 'a' }, NONE)).toEqual(['retry', 'timeout_ms', 'on_error', 'default_outputs']);
    expect(shownPaths(policies, { retry: { max_attempts: 2 } }, new Set(['retry']))).toEqual([
      'retry',
      'timeout_ms',
      'on_error',
      'default_outputs',
    ]);
  });

  it('puts each problem under the deepest field that holds its path, and the rest at the top', () => {
    const paths = ['id', 'config.url', 'config.headers', 'config.body', 'retry', 'retry.max_interval_ms', 'on_error'];
    const placed = placeFieldProblems(
      [
        { field: 'id', message: 'must match ^[A-Za-z0-9_-]+$' },
        { field: 'config.url', message: 'is required' },
        { field: 'config.headers["X-A"]', message: 'must be string' },
        { field: 'retry.max_interval_ms', message: 'must not be less than initial_interval_ms' },
        { field: 'retry.initial_interval_ms', message: 'must be >= 0' },
        { field: 'config', message: 'Exactly one of duration_ms and until' },
        { field: 'config.legacy', message: 'is not allowed' },
        { field: 'config.bodyX', message: 'is not allowed' },
      ],
      paths,
    );
    expect(placed.byPath).toEqual({
      id: ['must match ^[A-Za-z0-9_-]+$'],
      'config.url': ['is required'],
      'config.headers': ['["X-A"]: must be string'],
      'retry.max_interval_ms': ['must not be less than initial_interval_ms'],
      retry: ['initial_interval_ms: must be >= 0'],
    });
    expect(placed.general.map((problem) => problem.field)).toEqual(['config', 'config.legacy', 'config.bodyX']);
  });

  it('names the inputs a template creates from the connectors the server computed, found in its text', () => {
    const inputs = [
      { name: 'id', required: true },
      { name: 'token', required: true },
      { name: 'value', required: false },
    ];
    expect(inputsCreatedBy(http.url, 'https://x/((id))?t=(( token ))', inputs).map((input) => input.name)).toEqual([
      'id',
      'token',
    ]);
    expect(inputsCreatedBy(http.headers, { Authorization: 'Bearer ((token))' }, inputs).map((i) => i.name)).toEqual([
      'token',
    ]);
    expect(inputsCreatedBy(http.body, '((secrets.id)) ((identity))', inputs)).toEqual([]);
    expect(inputsCreatedBy(http.body, undefined, inputs)).toEqual([]);
    expect(inputsCreatedBy(http.method, 'GET', inputs)).toEqual([]);
  });

  it('names the inputs a list of input names creates', () => {
    const [, names] = fieldsOf(CODE, 'config');
    const inputs = [
      { name: 'a', required: true },
      { name: 'b', required: true },
    ];
    expect(inputsCreatedBy(names, ['b'], inputs).map((input) => input.name)).toEqual(['b']);
    expect(inputsCreatedBy(names, 'b', inputs)).toEqual([]);
  });
});
