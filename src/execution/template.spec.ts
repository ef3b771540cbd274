import { describe, expect, it } from '@jest/globals';
import { checkTemplate, placeholderInputs, placeholderNames, renderTemplate } from './template.js';

describe('placeholderNames', () => {
  it('lists distinct names in order of first appearance, trimming spaces inside the parentheses', () => {
    expect(placeholderNames('((b)) ((a)) (( b )) ((\tc_1\t))')).toEqual(['b', 'a', 'c_1']);
  });

  it('merges several templates and skips absent ones', () => {
    expect(placeholderNames('((x))', undefined, '((y)) ((x))')).toEqual(['x', 'y']);
  });

  it('ignores malformed placeholders and single parentheses', () => {
    expect(placeholderNames('((1a)) ((a b)) (()) (x) ((ok))')).toEqual(['ok']);
  });

  it('finds the inner placeholder of triple parentheses', () => {
    expect(placeholderNames('(((x)))')).toEqual(['x']);
  });
});

describe('placeholderInputs', () => {
  it('makes one required input per placeholder', () => {
    expect(placeholderInputs('((a)) ((a))')).toEqual([{ name: 'a', required: true, description: 'fills ((a))' }]);
  });
});

describe('checkTemplate', () => {
  it('accepts valid placeholders and text without any', () => {
    expect(checkTemplate('Hello ((name)), (( _x9 ))', 'template')).toEqual([]);
    expect(checkTemplate(undefined, 'template')).toEqual([]);
  });

  it('reports each malformed placeholder at the given path', () => {
    expect(checkTemplate('((first name)) and ((2nd)) and (())', 'body')).toEqual([
      {
        path: 'body',
        message:
          'invalid placeholder ((first name)): a placeholder name is a letter or _ followed by letters, digits or _',
      },
      {
        path: 'body',
        message: 'invalid placeholder ((2nd)): a placeholder name is a letter or _ followed by letters, digits or _',
      },
      {
        path: 'body',
        message: 'invalid placeholder (()): a placeholder name is a letter or _ followed by letters, digits or _',
      },
    ]);
  });

  it('shortens a long malformed placeholder in the message', () => {
    const [problem] = checkTemplate(`((${'x '.repeat(50)}))`, 'template');
    expect(problem.message).toContain('((x x x x x x x x x x x x x x x x x x...:');
  });
});

describe('renderTemplate', () => {
  it('inserts strings as they are and JSON-encodes other values', () => {
    const values = { s: 'say "hi"', n: 4.5, b: false, nul: null, o: { a: [1, 'two'] } };
    expect(renderTemplate('((s))|((n))|((b))|((nul))|(( o ))', values)).toBe('say "hi"|4.5|false|null|{"a":[1,"two"]}');
  });

  it('repeats a value for every occurrence and leaves malformed placeholders as written', () => {
    expect(renderTemplate('((a))-((a)) ((a b))', { a: 'x' })).toBe('x-x ((a b))');
  });

  it('does not re-expand placeholders found in inserted values', () => {
    expect(renderTemplate('((a))((b))', { a: '((b))', b: 'B' })).toBe('((b))B');
  });

  it('fails with input_missing when a placeholder has no value', () => {
    expect(() => renderTemplate('Hi ((name))', { other: 1 })).toThrow(
      expect.objectContaining({ type: 'input_missing', message: 'input "name" has no value for ((name))' }),
    );
    expect(() => renderTemplate('((toString))', {})).toThrow('input "toString" has no value');
  });
});
