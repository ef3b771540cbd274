import { describe, expect, it } from '@jest/globals';
import { SecretRedactor, shorten } from './secret-redactor.js';
import {
  placeholderInputs,
  referencedSecrets,
  renderTemplate,
  checkTemplate,
  secretsReferencedBy,
} from './template.js';
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

/** Every 8-character piece of `secret`: none may show in a message. */
const pieces = (secret: string) => Array.from({ length: secret.length - 7 }, (_, at) => secret.slice(at, at + 8));
const nest = (depth: number, leaf: unknown) => {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 ? { [`k${level}`]: value } : [value];
  return value;
};

describe('SecretRedactor on deep values', () => {
  it('copies and masks a value nested 100,000 deep without recursion', () => {
    const redactor = new SecretRedactor({ TOKEN: 'deep-secret-value' });
    let masked = redactor.value(nest(100_000, 'at the bottom: deep-secret-value'));
    for (let level = 100_000 - 1; level >= 0; level--) {
      masked = level % 2 ? (masked as Record<string, unknown>)[`k${level}`] : (masked as unknown[])[0];
    }
    expect(masked).toBe('at the bottom: [secret:TOKEN]');
  });

  it('keeps keys in order, a __proto__ key as data, and non-strings as they are', () => {
    const redactor = new SecretRedactor({ TOKEN: 'deep-secret-value' });
    const source = JSON.parse('{"b":1,"__proto__":{"x":"deep-secret-value"},"a":[true,null,2.5]}') as object;
    const masked = redactor.value(source);
    expect(Object.keys(masked)).toEqual(['b', '__proto__', 'a']);
    expect(JSON.stringify(masked)).toBe('{"b":1,"__proto__":{"x":"[secret:TOKEN]"},"a":[true,null,2.5]}');
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
  });
});

describe('shorten', () => {
  const SECRET = 'sk-live-0123456789abcdefghijklmnop';
  const redactor = new SecretRedactor({ API_TOKEN: SECRET });

  it('cuts a text without secrets to the length, ending in "..."', () => {
    expect(shorten('a'.repeat(20), 10)).toBe('aaaaaaa...');
    expect(shorten('short', 10)).toBe('short');
  });

  it('masks before it cuts: whatever the padding, no 8-character piece of the secret is left', () => {
    for (let pad = 0; pad <= 200; pad++) {
      const message = `GET http://127.0.0.1:1/${'p'.repeat(pad)}${SECRET}: connect ECONNREFUSED`;
      const cut = redactor.shorten(message, 200);
      expect(cut.length).toBeLessThanOrEqual(200);
      for (const piece of pieces(SECRET)) expect(cut).not.toContain(piece);
    }
  });

  it('never splits a mask: it keeps all of [secret:NAME] or cuts before it', () => {
    const message = `${'p'.repeat(180)}${SECRET} and more`;
    expect(redactor.shorten(message, 200)).toBe(`${'p'.repeat(180)}...`);
    expect(redactor.shorten(message, 201)).toBe(`${'p'.repeat(180)}[secret:API_TOKEN]...`);
  });

  it('never splits a surrogate pair (jsonb refuses half of one)', () => {
    expect(shorten(`${'x'.repeat(6)}😀😀y`, 10)).toBe(`${'x'.repeat(6)}...`);
    expect(shorten(`${'x'.repeat(5)}😀😀yy`, 10)).toBe(`${'x'.repeat(5)}😀...`);
  });

  it('gives a list of guesses nothing to tell apart: only the whole secret is masked, never a piece', () => {
    // The attack that cutting before masking allowed: the message showed all but the last
    // character, and the one guess that masking replaced gave the rest away.
    expect(redactor.shorten(`${'p'.repeat(174)}${SECRET}`, 200)).toBe(`${'p'.repeat(174)}[secret:API_TOKEN]`);
    expect(redactor.shorten(`${'p'.repeat(190)}${SECRET}`, 200)).toBe(`${'p'.repeat(190)}...`);
    const known = SECRET.slice(0, -1);
    const guesses = [...'0123456789abcdefghijklmnopqrstuvwxyz'].map((last) => `${known.slice(0, 12)}${last}`);
    expect(redactor.value(guesses)).toEqual(guesses);
    expect(redactor.text(`${known} ${SECRET.slice(1)}`)).toBe(`${known} ${SECRET.slice(1)}`);
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

  it('lists the secrets of a stored definition once per object', () => {
    const definition = { nodes: [{ config: { template: '((secrets.KEY)) ((secrets.KEY))' } }] };
    const names = secretsReferencedBy(definition);
    expect(names).toEqual(['KEY']);
    expect(secretsReferencedBy(definition)).toBe(names);
    expect(secretsReferencedBy(structuredClone(definition))).not.toBe(names);
    expect(secretsReferencedBy(null)).toEqual([]);
  });
});
