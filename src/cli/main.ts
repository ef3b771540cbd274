#!/usr/bin/env node
import { type Command, parseCommandArgs, usageOf } from './command.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { loginCommand, logoutCommand } from './commands/login.js';
import { pullCommand } from './commands/pull.js';
import { pushCommand } from './commands/push.js';
import { runCommand } from './commands/run.js';
import { runsCommands } from './commands/runs.js';
import { tailCommand } from './commands/tail.js';
import { triggersCommands } from './commands/triggers.js';

const COMMANDS: Command[] = [
  loginCommand,
  logoutCommand,
  pushCommand,
  pullCommand,
  runCommand,
  ...runsCommands,
  tailCommand,
  ...triggersCommands,
];

function overview(commands = COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: runloom <command> [options]   (runloom <command> --help for its options)',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Exit codes: 0 ok, 1 refused or failed, 2 usage or configuration error, 3 push --dry-run --exit-code found changes.',
  ].join('\n');
}

/** The command named by the first one or two words (`push`, `runs list`), and the arguments after it. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${overview()}\n`);
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((command) => command.name.startsWith(`${argv[0]} `));
    if (group.length > 0 && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
      process.stdout.write(`${overview(group)}\n`);
      return argv.length === 1 ? EXIT.usage : EXIT.ok;
    }
    throw new UsageError(`Unknown command: ${argv.slice(0, group.length > 0 ? 2 : 1).join(' ')}`, overview());
  }
  const args = parseCommandArgs(found.command, found.rest);
  if (!args) {
    process.stdout.write(`${usageOf(found.command)}\n`);
    return EXIT.ok;
  }
  return found.command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`runloom: ${error.message}\n`);
      if (error instanceof UsageError && error.usage) process.stderr.write(`\n${error.usage}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(
        `runloom: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.failed;
    }
  },
);
