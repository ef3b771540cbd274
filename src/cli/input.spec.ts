import { describe, expect, it } from '@jest/globals';
import { CliError, UsageError } from './errors.js';
import { buildInput, parseAssignment } from './input.js';

describe('parseAssignment', () => {
  it('reads a value as JSON when it is JSON, else as the string given', () => {
    expect(parseAssignment('n=3')).toEqual(['n', 3]);
    expect(parseAssignment('ok=true')).toEqual(['ok', true]);
    expect(parseAssignment('tags=["a","b"]')).toEqual(['tags', ['a', 'b']]);
    expect(parseAssignment('nothing=null')).toEqual(['nothing', null]);
    expect(parseAssignment('User Question=What is a DAG?')).toEqual(['User Question', 'What is a DAG?']);
    expect(parseAssignment('quoted="3"')).toEqual(['quoted', '3']);
  });

  it('splits at the first = only, and keeps an empty value as an empty string', () => {
    expect(parseAssignment('expr=a=b')).toEqual(['expr', 'a=b']);
    expect(parseAssignment('empty=')).toEqual(['empty', '']);
  });

  it('refuses text without a key', () => {
    expect(() => parseAssignment('novalue')).toThrow(UsageError);
    expect(() => parseAssignment('=3')).toThrow('expected key=value or @file.json');
  });
});

describe('buildInput', () => {
  const files: Record<string, string> = {
    'input.json': '{"a": 1, "b": "from file"}',
    'list.json': '[1, 2]',
    'broken.json': '{"a": ',
  };
  const read = async (file: string) => {
    if (!(file in files)) throw new Error('ENOENT: no such file');
    return files[file];
  };

  it('merges files and pairs in order, later keys winning', async () => {
    expect(await buildInput(['@input.json', 'b=2', 'c=x'], read)).toEqual({ a: 1, b: 2, c: 'x' });
    expect(await buildInput(['b=2', '@input.json'], read)).toEqual({ a: 1, b: 'from file' });
    expect(await buildInput([], read)).toEqual({});
  });

  it('names the file that is missing, not JSON, or not an object', async () => {
    await expect(buildInput(['@missing.json'], read)).rejects.toThrow('Cannot read input file missing.json');
    await expect(buildInput(['@broken.json'], read)).rejects.toThrow('Input file broken.json is not valid JSON');
    await expect(buildInput(['@list.json'], read)).rejects.toThrow(CliError);
    await expect(buildInput(['@list.json'], read)).rejects.toThrow('list.json must hold a JSON object');
  });
});
