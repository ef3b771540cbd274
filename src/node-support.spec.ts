import { describe, expect, it } from '@jest/globals';
import { endOfLifeWarning } from './node-support.js';

describe('endOfLifeWarning', () => {
  it('warns on Node.js 20 after its end of life, naming the supported lines', () => {
    expect(endOfLifeWarning('20.20.2', new Date('2026-12-01'))).toBe(
      'Warning: Node.js 20.20.2 reached end-of-life on 2026-04-30 and gets no security fixes; Runloom supports Node.js 22, 24 and 26 (LTS).',
    );
  });

  it('is silent before the end of life', () => {
    expect(endOfLifeWarning('20.19.0', new Date('2026-04-29T23:59:59Z'))).toBeUndefined();
  });

  it('is silent on maintained LTS lines', () => {
    expect(endOfLifeWarning('22.23.5', new Date('2026-12-01'))).toBeUndefined();
    expect(endOfLifeWarning('24.22.3', new Date('2026-12-01'))).toBeUndefined();
    expect(endOfLifeWarning('26.12.1', new Date('2026-12-01'))).toBeUndefined();
  });

  it('warns on odd (short-lived) lines once they are over', () => {
    expect(endOfLifeWarning('25.1.0', new Date('2026-12-01'))).toMatch(
      /^Warning: Node.js 25.1.0 reached end-of-life on 2026-06-01/,
    );
  });

  it('says nothing about lines it does not know', () => {
    expect(endOfLifeWarning('27.0.0', new Date('2026-12-01'))).toBeUndefined();
  });
});
