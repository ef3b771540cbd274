import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SecretCipher } from './secret-cipher.js';
import { readOrCreateSecretsKey } from './secrets-key-file.js';

describe('the embedded database secrets key', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('is generated once into DATA_DIR with mode 0600, saying so, and read back after', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'runloom-key-'));
    dirs.push(dataDir);
    const lines: string[] = [];
    const key = await readOrCreateSecretsKey(dataDir, (line) => lines.push(line));
    expect(key).toHaveLength(32);
    expect(lines).toEqual([expect.stringContaining('generated a secrets key in')]);
    const file = path.join(dataDir, 'secrets.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(key.toString('hex'));
    expect(await readOrCreateSecretsKey(dataDir, (line) => lines.push(line))).toEqual(key);
    expect(lines).toHaveLength(1);
  });
});

describe('SecretCipher', () => {
  const cipher = new SecretCipher(Buffer.alloc(32, 1));

  it('opens what it sealed, only for the same group and name and key', () => {
    const sealed = cipher.seal('g1', 'TOKEN', 'value-123');
    expect(cipher.open('g1', 'TOKEN', sealed)).toBe('value-123');
    expect(cipher.open('g2', 'TOKEN', sealed)).toBeUndefined();
    expect(cipher.open('g1', 'OTHER', sealed)).toBeUndefined();
    expect(new SecretCipher(Buffer.alloc(32, 2)).open('g1', 'TOKEN', sealed)).toBeUndefined();
    expect(Buffer.from(sealed.ciphertext).toString('utf8')).not.toContain('value-123');
  });
});
