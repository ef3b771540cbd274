import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { Api } from './api.js';
import { resolveConnection } from './config.js';
import { UsageError } from './errors.js';

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandArgs {
  values: OptionValues;
  positionals: string[];
}

/** One `runloom` command: its help text, the options it takes, and what it does (resolving to the exit code). */
export interface Command {
  /** As typed: `push`, `runs list`. */
  name: string;
  summary: string;
  /** The help text after the usage line: arguments, options, examples. */
  help: string;
  /** `<dir>`, `<run-id>`, … (also checks how many positionals there must be). */
  args?: string[];
  options?: ParseArgsOptionsConfig;
  run(args: CommandArgs): Promise<number>;
}

export function usageOf(command: Command): string {
  const args = command.args?.length ? ` ${command.args.join(' ')}` : '';
  const options = Object.keys(command.options ?? {}).length ? ' [options]' : '';
  return `Usage: runloom ${command.name}${args}${options}\n\n${command.summary}\n\n${command.help}`.trimEnd();
}

/** The command's options and positionals, or a UsageError saying what is wrong; undefined for `--help`. */
export function parseCommandArgs(command: Command, argv: string[]): CommandArgs | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, usageOf(command));
  }
  if ((parsed.values as OptionValues).help) return undefined;
  const wanted = command.args ?? [];
  const required = wanted.filter((arg) => arg.startsWith('<')).length;
  if (parsed.positionals.length < required) {
    throw new UsageError(`Missing ${wanted[parsed.positionals.length]}`, usageOf(command));
  }
  if (parsed.positionals.length > wanted.length) {
    throw new UsageError(`Unexpected argument: ${parsed.positionals[wanted.length]}`, usageOf(command));
  }
  return { values: parsed.values as OptionValues, positionals: parsed.positionals };
}

/** The API with the stored (or environment) connection; exits 2 when not logged in. */
export async function connect(): Promise<Api> {
  return new Api(await resolveConnection());
}

export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;
