import { describe, expect, it } from '@jest/globals';
import { RunAbort } from './run-abort.js';

describe('RunAbort', () => {
  it('aborts a signal made before the abort, with its reason', () => {
    const abort = new RunAbort();
    const signal = abort.signal;
    const reason = new Error('stop');
    abort.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(abort.signal).toBe(signal);
  });

  it('makes a signal asked for after the abort already aborted, with the same reason', () => {
    const abort = new RunAbort();
    const reason = new Error('stop');
    abort.abort(reason);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(reason);
  });

  it('gives an abort without a reason the AbortError an AbortController would', () => {
    const abort = new RunAbort();
    abort.abort();
    expect(abort.signal.reason).toMatchObject({ name: 'AbortError' });
  });

  it('keeps the first reason and calls each callback once, at once when already aborted', () => {
    const abort = new RunAbort();
    const calls: string[] = [];
    abort.onAbort(() => calls.push('before'));
    abort.abort('first');
    abort.abort('second');
    abort.onAbort(() => calls.push('after'));
    expect(calls).toEqual(['before', 'after']);
    expect(abort.signal.reason).toBe('first');
  });

  it('forgets a callback whose function was called', () => {
    const abort = new RunAbort();
    const calls: string[] = [];
    const forget = abort.onAbort(() => calls.push('forgotten'));
    abort.onAbort(() => calls.push('kept'));
    forget();
    abort.abort();
    expect(calls).toEqual(['kept']);
  });

  it('makes no AbortController while nobody asks for the signal', () => {
    const abort = new RunAbort();
    abort.abort();
    expect(abort.aborted).toBe(true);
    expect(Object.values(abort).some((value) => value instanceof AbortController)).toBe(false);
  });
});
