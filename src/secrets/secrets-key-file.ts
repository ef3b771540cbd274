import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSecretsKey, SECRETS_KEY_BYTES } from '../config/secrets-key.js';

/**
 * The embedded database's secrets key: `<dataDir>/secrets.key`, created once (mode 0600) next to
 * the database it protects. Losing the file makes every stored secret unreadable.
 */
export async function readOrCreateSecretsKey(dataDir: string, log: (line: string) => void): Promise<Buffer> {
  const file = path.resolve(dataDir, 'secrets.key');
  if (existsSync(file)) {
    const key = parseSecretsKey(await readFile(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a secrets key (64 hex digits); restore it or set SECRETS_KEY`);
    return key;
  }
  const key = randomBytes(SECRETS_KEY_BYTES);
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  log(`generated a secrets key in ${file} (mode 0600); back it up with the data directory`);
  return key;
}
