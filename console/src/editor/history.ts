/**
 * Undo/redo over immutable states. An edit may carry a `mergeKey`: consecutive edits with the same
 * key are one step (typing a template letter by letter, one drag), so undo takes back the whole
 * gesture rather than its last keystroke or pixel.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The merge key of the edit that made `present`, if it may still grow. */
  openKey?: string;
}

const LIMIT = 200;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function record<T>(history: History<T>, next: T, mergeKey?: string): History<T> {
  if (next === history.present) return history;
  if (mergeKey !== undefined && mergeKey === history.openKey) {
    return { past: history.past, present: next, future: [], openKey: mergeKey };
  }
  return { past: [...history.past, history.present].slice(-LIMIT), present: next, future: [], openKey: mergeKey };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}

export const canUndo = (history: History<unknown>): boolean => history.past.length > 0;
export const canRedo = (history: History<unknown>): boolean => history.future.length > 0;
