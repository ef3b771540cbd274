import { readFile } from 'node:fs/promises';
import { isObject } from './api.js';
import { CliError, UsageError } from './errors.js';

/** `key=value`: the value parsed as JSON when it is JSON (`n=3`, `flag=true`, `tags=["a"]`), else the string. */
export function parseAssignment(text: string): [string, unknown] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`--input ${text}: expected key=value or @file.json`);
  const raw = text.slice(equals + 1);
  return [text.slice(0, equals), parseLoose(raw)];
}

function parseLoose(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The run input from every `--input`, in order, later keys winning: `key=value` pairs and
 * `@file.json` files (each a JSON object).
 */
export async function buildInput(
  values: string[],
  read: (file: string) => Promise<string> = (file) => readFile(file, 'utf8'),
): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  for (const value of values) {
    if (value.startsWith('@')) Object.assign(input, await readInputFile(value.slice(1), read));
    else {
      const [key, parsed] = parseAssignment(value);
      input[key] = parsed;
    }
  }
  return input;
}

async function readInputFile(file: string, read: (file: string) => Promise<string>): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    throw new CliError(`Cannot read input file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`Input file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new CliError(`Input file ${file} must hold a JSON object (input names to values)`);
  return parsed;
}
