import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Connection } from './api.js';
import { CliError, EXIT } from './errors.js';

/** `$XDG_CONFIG_HOME/runloom/config.json`, else `~/.config/runloom/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'runloom', 'config.json');
}

export async function readConfig(file = configPath()): Promise<Partial<Connection>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`, EXIT.usage);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Connection>;
    return { url: parsed.url, key: parsed.key };
  } catch {
    throw new CliError(`${file} is not valid JSON: run runloom login again, or delete it`, EXIT.usage);
  }
}

/** Writes the key readable by its owner only: the directory 0700, the file 0600 (also when it existed). */
export async function writeConfig(connection: Connection, file = configPath()): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await chmod(path.dirname(file), 0o700);
    await writeFile(file, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  } catch (error) {
    throw new CliError(`Cannot write ${file}: ${(error as Error).message}`, EXIT.usage);
  }
}

/** Removes the stored key; true when there was one. */
export async function removeConfig(file = configPath()): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** RUNLOOM_API_KEY, which `login` takes when no --key is given. */
export function environmentKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.RUNLOOM_API_KEY || undefined;
}

/** The server and key to use: RUNLOOM_URL / RUNLOOM_API_KEY override the stored ones. */
export async function resolveConnection(env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const stored = await readConfig(configPath(env));
  const url = env.RUNLOOM_URL || stored.url;
  const key = environmentKey(env) ?? stored.key;
  if (!url || !key) {
    throw new CliError(
      'Not logged in: run `runloom login <url>` (or set RUNLOOM_URL and RUNLOOM_API_KEY).',
      EXIT.usage,
    );
  }
  return { url, key };
}
