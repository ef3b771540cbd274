import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

// `npm start` is `node dist/main.js`. Started on the Node.js running this suite (CI runs it on 20,
// 22, 24 and 26), with a setting that stops start-up at once, it shows what an operator sees first.
describe(`npm start on Node.js ${process.versions.node}`, () => {
  it('warns once on an end-of-life line, naming the supported ones, and says nothing on 22, 24 or 26', () => {
    const result = spawnSync(process.execPath, ['dist/main.js'], {
      env: { ...process.env, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const major = Number(process.versions.node.split('.')[0]);
    const warnings: Record<number, string[]> = {
      20: [
        `Warning: Node.js ${process.versions.node} reached end-of-life on 2026-04-30 and gets no security fixes; Runloom supports Node.js 22, 24 and 26 (LTS).`,
      ],
      22: [],
      24: [],
      26: [],
    };
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      ...warnings[major],
      expect.stringMatching(/^Invalid configuration: PORT /),
    ]);
  });
});
