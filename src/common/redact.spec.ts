import { describe, expect, it } from '@jest/globals';
import { isSecretName, redact, REDACTED } from './redact.js';

describe('redact', () => {
  it('replaces the values of fields named like credentials, at any depth, keeping the names', () => {
    const value = {
      name: 'billing',
      webhook_secret: 'whsec_abc',
      previous_webhook_secret: 'old',
      hash: 'deadbeef',
      key: 'rl_x',
      value: 'the secret value',
      config: {
        headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k', 'Content-Type': 'application/json' },
        password: 'p',
      },
      items: [{ token: 't', id: 1 }],
    };
    expect(redact(value)).toEqual({
      name: 'billing',
      webhook_secret: REDACTED,
      previous_webhook_secret: REDACTED,
      hash: REDACTED,
      key: REDACTED,
      value: REDACTED,
      config: {
        headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, 'Content-Type': 'application/json' },
        password: REDACTED,
      },
      items: [{ token: REDACTED, id: 1 }],
    });
  });

  it('replaces strings shaped like API keys, webhook secrets and bearer credentials wherever they are', () => {
    const key = `rl_${'a1B2'.repeat(9)}`;
    expect(
      redact({ note: `use ${key}`, list: ['whsec_c2VjcmV0c2VjcmV0c2VjcmV0', 'Bearer abcdefghij', 'plain'] }),
    ).toEqual({
      note: REDACTED,
      list: [REDACTED, REDACTED, 'plain'],
    });
  });

  it('keeps ids, names, counts, nulls and dates as JSON would write them', () => {
    const at = new Date('2026-12-04T10:00:00.000Z');
    expect(
      redact({
        key_id: 'k',
        key_name: 'robot',
        prefix: 'rl_abcd',
        revoked_at: at,
        secret_names: ['A'],
        count: 3,
        on: true,
        gone: null,
        skipped: undefined,
      }),
    ).toEqual({
      key_id: 'k',
      key_name: 'robot',
      prefix: 'rl_abcd',
      revoked_at: '2026-12-04T10:00:00.000Z',
      secret_names: ['A'],
      count: 3,
      on: true,
      gone: null,
    });
  });

  it('keeps a credential field that is null (nothing to hide) and redacts bytes', () => {
    expect(redact({ previous_webhook_secret: null, ciphertext: new Uint8Array([1, 2]) })).toEqual({
      previous_webhook_secret: null,
      ciphertext: REDACTED,
    });
  });

  it('names: whole names and last parts, with - or _, in any case', () => {
    for (const name of [
      'secret',
      'Webhook_Secret',
      'x-api-key',
      'API_KEY',
      'resume_token',
      'auth_tag',
      'Authorization',
    ])
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: true });
    for (const name of ['key_id', 'key_name', 'secret_names', 'name', 'prefix', 'token_count', 'monkey'])
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: false });
  });
});
