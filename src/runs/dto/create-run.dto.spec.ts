import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { precompiledCheck } from '../../common/precompiled-validation.js';
import { createValidationPipe } from '../../common/validation.js';
import { CreateRunBody, RunQuery } from './create-run.dto.js';

const UUID = '0b0e9c4e-7e0a-4c58-9d2a-7a3f5f1c2d10';

// Subclasses carry the DTOs' validation metadata but no precompiled check: class-validator's answer.
class FullyValidatedRunBody extends CreateRunBody {}
class FullyValidatedRunQuery extends RunQuery {}

/** What full validation makes of `value`: the DTO's fields, or that it refused it. */
async function fullValidation(value: unknown, type: 'body' | 'query', metatype: ArgumentMetadata['metatype']) {
  try {
    return { fields: { ...(await createValidationPipe().transform(value, { type, metatype })) } };
  } catch {
    return 'refused';
  }
}

/** Holds the check to full validation: whatever it takes, class-validator takes with the same fields. */
async function expectAgreement(
  samples: unknown[],
  type: 'body' | 'query',
  dto: ArgumentMetadata['metatype'],
  fully: ArgumentMetadata['metatype'],
) {
  const check = precompiledCheck(dto)!;
  let taken = 0;
  for (const sample of samples) {
    const precompiled = check(sample);
    if (precompiled === undefined) continue;
    taken++;
    expect(precompiled).toBeInstanceOf(dto!);
    expect({ sample, full: await fullValidation(sample, type, fully) }).toEqual({
      sample,
      full: { fields: { ...precompiled } },
    });
  }
  return taken;
}

describe('CreateRunBody precompiled check', () => {
  const common = [
    { input: {} },
    { input: { 'User Question': 'What is a DAG?', Context: 'bench', nested: { list: [1, 'two', null] } } },
    { input: { a: 1 }, group_id: UUID, workflow_version_id: UUID.toUpperCase(), tracing: false },
    { input: {}, tracing: true, node_ids: null, single_node_id: null, debugger: null, callback_url: null },
    { input: {}, metadata: null, group_id: null, workflow_version_id: null, tracing: null },
  ];
  const refused = [
    {},
    { input: [] },
    { input: null },
    { input: 'text' },
    { input: {}, extra: 1 },
    { input: {}, group_id: 'not-a-uuid' },
    { input: {}, workflow_version_id: 42 },
    { input: {}, tracing: 'yes' },
    { input: {}, constructor: 1 },
    { input: {}, toString: 'x' },
    JSON.parse('{"input":{},"hasOwnProperty":1}'),
    [],
    null,
    'body',
  ];
  const fullPathOnly = [
    { input: {}, node_ids: ['a'] },
    { input: {}, single_node_id: 'a' },
    { input: {}, debugger: 'session' },
    { input: {}, callback_url: 'http://127.0.0.1:9/hook' },
    { input: {}, metadata: { customer: 'acme' } },
  ];

  it('takes the common valid bodies, with the fields class-validator gives', async () => {
    expect(await expectAgreement(common, 'body', CreateRunBody, FullyValidatedRunBody)).toBe(common.length);
  });

  it('leaves every body full validation refuses, and the fields it checks in depth, to it', async () => {
    expect(await expectAgreement([...refused, ...fullPathOnly], 'body', CreateRunBody, FullyValidatedRunBody)).toBe(0);
    for (const body of refused) expect(await fullValidation(body, 'body', FullyValidatedRunBody)).toBe('refused');
  });

  it('keeps the input as parsed, the same object', () => {
    const input = { toString: 'data', constructor: { valueOf: 1 } };
    expect((precompiledCheck(CreateRunBody)!({ input }) as CreateRunBody).input).toBe(input);
  });
});

describe('RunQuery precompiled check', () => {
  const query = (entries: Record<string, unknown>) => Object.assign(Object.create(null), entries) as object;
  const common = [
    query({}),
    query({ output_only: 'true' }),
    query({ output_only: '1', use_output_ids: 'false' }),
    query({ use_output_ids: '0', group_id: UUID }),
  ];
  const refused = [
    query({ output_only: 'yes' }),
    query({ output_only: ['true', 'false'] }),
    query({ group_id: 'nope' }),
    query({ other: 'x' }),
  ];

  it('takes the common queries, with the values class-transformer gives', async () => {
    expect(await expectAgreement(common, 'query', RunQuery, FullyValidatedRunQuery)).toBe(common.length);
  });

  it('leaves the others to full validation', async () => {
    expect(await expectAgreement(refused, 'query', RunQuery, FullyValidatedRunQuery)).toBe(0);
  });
});
