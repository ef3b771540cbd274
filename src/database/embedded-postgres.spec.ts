import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { assertReachableByPostgresUser, startEmbeddedPostgres } from './embedded-postgres.js';

describe('embedded PostgreSQL started by root', () => {
  let privateDir: string;
  beforeEach(async () => {
    privateDir = await mkdtemp(path.join(tmpdir(), 'runloom-private-')); // mode 0700, like /root
  });
  afterEach(() => rm(privateDir, { recursive: true, force: true }));

  it('names the directory the postgres user cannot enter, and what to do', async () => {
    await expect(assertReachableByPostgresUser([path.join(privateDir, 'app', '.data', 'postgres')])).rejects.toThrow(
      `the embedded PostgreSQL runs as the "postgres" user, who cannot enter ${privateDir} (mode 700): ` +
        'run Runloom as a normal user, move the checkout (or DATA_DIR) to a directory others may enter, or set DATABASE_URL',
    );
  });

  it('accepts paths every directory of which others may enter', async () => {
    await chmod(privateDir, 0o755);
    await expect(
      assertReachableByPostgresUser([path.join(privateDir, 'app', '.data', 'postgres')]),
    ).resolves.toBeUndefined();
  });

  (userInfo().uid === 0 ? it : it.skip)('refuses to start before spawning anything (as root)', async () => {
    const lines: string[] = [];
    await expect(startEmbeddedPostgres(path.join(privateDir, '.data'), (line) => lines.push(line))).rejects.toThrow(
      /who cannot enter .*runloom-private-.* \(mode 700\)/,
    );
    expect(lines).toEqual([]);
  });
});
