import { describe, expect, it } from '@jest/globals';
import { canRedo, canUndo, record, redo, startHistory, undo } from './history';

describe('editor history', () => {
  it('undoes and redoes, and a new edit drops what could be redone', () => {
    let history = record(record(startHistory('a'), 'b'), 'c');
    history = undo(history);
    expect(history.present).toBe('b');
    expect(canRedo(history)).toBe(true);
    history = redo(history);
    expect(history.present).toBe('c');
    history = record(undo(undo(history)), 'x');
    expect(history.present).toBe('x');
    expect(canRedo(history)).toBe(false);
    expect(undo(history).present).toBe('a');
    expect(canUndo(undo(history))).toBe(false);
  });

  it('makes consecutive edits with the same key one step (a drag, typing in one field)', () => {
    let history = startHistory('start');
    for (const step of ['d1', 'd2', 'd3']) history = record(history, step, 'drag:1');
    history = record(history, 'typed', 'config:prompt');
    history = record(history, 'typed more', 'config:prompt');
    history = record(history, 'dragged again', 'drag:2');
    expect(history.past).toEqual(['start', 'd3', 'typed more']);
    expect(undo(undo(history)).present).toBe('d3');
    // After an undo, the same key starts a new step instead of rewriting the undone one.
    const afterUndo = record(undo(history), 'typed once more', 'config:prompt');
    expect(afterUndo.past).toEqual(['start', 'd3', 'typed more']);
  });

  it('ignores an edit that changes nothing', () => {
    const history = startHistory('same');
    expect(record(history, 'same')).toBe(history);
  });
});
