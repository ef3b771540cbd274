/**
 * The run's values kept as JSON (its `error` and `node_ids`, each node run's `attempts`), read
 * back. The engine wrote them, so only their outline is checked: runs are read on hot paths.
 */
import type { NodeAttempt } from './node-policy.js';
import type { StoredRunError } from './run-result.js';

export function runErrorFromJson(json: unknown): StoredRunError | null {
  if (json === null || isRunError(json)) return json;
  throw new Error('not a run error: expected null or an object with string type and message, and node_id');
}

export function nodeAttemptsFromJson(json: unknown): NodeAttempt[] {
  if (isAttemptList(json)) return json;
  throw new Error('not node attempts: expected an array');
}

/** The nodes a run was limited to; null when it runs them all. */
export function nodeIdsFromJson(json: unknown): string[] | null {
  if (json === null || isStringList(json)) return json;
  throw new Error('not node ids: expected null or an array of strings');
}

function isRunError(json: unknown): json is StoredRunError {
  return (
    typeof json === 'object' &&
    json !== null &&
    'type' in json &&
    typeof json.type === 'string' &&
    'message' in json &&
    typeof json.message === 'string' &&
    'node_id' in json &&
    (json.node_id === null || typeof json.node_id === 'string')
  );
}

function isAttemptList(json: unknown): json is NodeAttempt[] {
  return Array.isArray(json);
}

function isStringList(json: unknown): json is string[] {
  return Array.isArray(json) && json.every((item) => typeof item === 'string');
}
