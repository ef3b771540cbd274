import { describe, expect, it } from '@jest/globals';
import { loggedPath } from './logged-path.js';

describe('loggedPath', () => {
  it("masks a resume link's token and leaves other paths alone", () => {
    expect(loggedPath('/v1/resume/AbC-123_x')).toBe('/v1/resume/[redacted]');
    expect(loggedPath('/v1/resume/AbC-123_x?x=1')).toBe('/v1/resume/[redacted]?x=1');
    expect(loggedPath('/v1/runs/1/signals/go')).toBe('/v1/runs/1/signals/go');
  });

  it("masks a hook URL's token", () => {
    expect(loggedPath('/v1/hooks/rlh_AbC-123_x?source=gh')).toBe('/v1/hooks/[redacted]?source=gh');
  });
});
