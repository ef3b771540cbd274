import { describe, expect, it } from '@jest/globals';
import { SecretRedactor } from './secret-redactor.js';
import { placeholderInputs, referencedSecrets, renderTemplate, checkTemplate } from './template.js';
import { NodeFailure } from './node-type.js';

describe('SecretRedactor', () => {
  const redactor = new SecretRedactor({ TOKEN: 'tok "en"/1234', INNER: 'en"/12' });

  it('masks the value, its JSON-escaped and its percent-encoded forms, in keys and nested values', () => {
    const masked = redactor.value({
      body: { echo: 'Bearer tok "en"/1234', raw: '{"h":"tok \\"en\\"/1234"}', 'tok "en"/1234': 1 },
      url: `https://h/?t=${encodeURIComponent('tok "en"/1234')}`,
      list: [42, null, true, 'x'],
    });
    expect(masked).toEqual({
      body: { echo: 'Bearer [secret:TOKEN]', raw: '{"h":"[secret:TOKEN]"}', '[secret:TOKEN]': 1 },
      url: 'https://h/?t=[secret:TOKEN]',
      list: [42, null, true, 'x'],
    });
  });

  it('masks a secret containing another one as a whole', () => {
    expect(redactor.text('a tok "en"/1234 b en"/12')).toBe('a [secret:TOKEN] b [secret:INNER]');
  });

  it('is absent when there are no secrets', () => {
    expect(SecretRedactor.for({})).toBeNull();
    expect(SecretRedactor.for(undefined)).toBeNull();
  });
});

describe('((secrets.NAME)) in templates', () => {
  const template = 'Bearer ((secrets.API_TOKEN)) for ((user))';

  it('is no input connector and no config problem', () => {
    expect(placeholderInputs(template).map((input) => input.name)).toEqual(['user']);
    expect(checkTemplate(template, 'template')).toEqual([]);
    expect(checkTemplate('((secrets.9x))', 'template')).toHaveLength(1);
  });

  it('is filled from the run secrets at execution time', () => {
    expect(renderTemplate(template, { user: 'ann' }, { API_TOKEN: 's3cr3t-value' })).toBe(
      'Bearer s3cr3t-value for ann',
    );
  });

  it('fails the node with secret_missing when the secret is not set', () => {
    expect(() => renderTemplate(template, { user: 'ann' })).toThrow(NodeFailure);
    try {
      renderTemplate(template, { user: 'ann' }, { OTHER: 'x' });
    } catch (error) {
      expect((error as NodeFailure).type).toBe('secret_missing');
    }
  });

  it('lists the secrets a definition references', () => {
    expect(referencedSecrets(JSON.stringify({ a: template, b: '(( secrets.B )) ((secrets.API_TOKEN))' }))).toEqual([
      'API_TOKEN',
      'B',
    ]);
  });
});
