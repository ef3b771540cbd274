import { spawn, type ChildProcess } from 'node:child_process';
import { closed, closesLater } from './leftovers.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI (`node dist/cli/main.js`) as a user runs it: a child process with its own HOME and
 * XDG_CONFIG_HOME, and none of the RUNLOOM_* variables of the test's environment unless given.
 */
export function cliEnv(home: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RUNLOOM_')));
  return { ...inherited, HOME: home, XDG_CONFIG_HOME: `${home}/config`, NO_COLOR: '1', ...env };
}

export function runCli(
  home: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
    env: cliEnv(home, options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A CLI command that runs until stopped (tail): what it printed so far, and `stop()`. */
export interface LongCli {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  stop: () => Promise<void>;
}

export function startCli(home: string, args: string[]): Promise<LongCli> {
  const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
    env: cliEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const cli: LongCli = {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      closed(cli);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return closesLater(Promise.resolve(cli), (running) => running.stop());
}
