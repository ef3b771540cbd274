import { describe, expect, it } from '@jest/globals';
import type { TriggerVerificationBody } from './dto/trigger.dto.js';
import { parseVerification } from './verification-body.js';

const body = (fields: Partial<TriggerVerificationBody>) => fields as TriggerVerificationBody;
const fieldsOf = (fields: Partial<TriggerVerificationBody>) => {
  try {
    parseVerification(body(fields));
    return [];
  } catch (error) {
    return (error as { extensions: { errors: { field: string }[] } }).extensions.errors.map((e) => e.field);
  }
};

describe('parseVerification', () => {
  it('stores each type with its defaults and only its fields', () => {
    expect(parseVerification(body({ type: 'stripe' }))).toEqual({ type: 'stripe', tolerance_seconds: 300 });
    expect(parseVerification(body({ type: 'standard_webhooks', tolerance_seconds: 5 }))).toEqual({
      type: 'standard_webhooks',
      tolerance_seconds: 5,
    });
    expect(parseVerification(body({ type: 'github' }))).toEqual({ type: 'github' });
    expect(
      parseVerification(body({ type: 'hmac', header: 'X-Sig', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' })),
    ).toEqual({ type: 'hmac', header: 'X-Sig', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' });
  });

  it('names every field that does not fit the type, and what hmac lacks', () => {
    expect(fieldsOf({ type: 'github', tolerance_seconds: 3, header: 'X' })).toEqual([
      'verification.tolerance_seconds',
      'verification.header',
    ]);
    expect(fieldsOf({ type: 'hmac', algorithm: 'sha256' })).toEqual(['verification.header', 'verification.encoding']);
    expect(fieldsOf({ type: 'none', id_header: 'X-Id' })).toEqual([]);
  });
});
