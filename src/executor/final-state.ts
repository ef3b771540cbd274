import type { RunResult, StoredRunError } from '../execution/engine/index.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../execution/engine/run-result.js';
import { SecretRedactor, shorten } from '../execution/secret-redactor.js';
import type { SecretValues } from '../execution/secret-values.js';

/** A run's failure that is no node's: an error of ours. */
export interface InternalError {
  node_id: null;
  type: 'internal_error';
  message: string;
}

/** What the final write sets on a run row besides its outcome. */
function finalFields() {
  return { finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null };
}

/** A finished run's row changes: its outcome and finalFields. */
export interface FinalState extends ReturnType<typeof finalFields> {
  status: RunResult['status'];
  output: Record<string, unknown> | null;
  error: StoredRunError | null;
  progress?: number;
}

/** A failed or stopped run has no output: its status is the answer, partial results are in its node runs. */
export function finalState(result: RunResult): FinalState {
  return {
    ...finalFields(),
    status: result.status,
    output: result.status === 'completed' ? result.output : null,
    error: result.error,
    progress: result.status === 'completed' ? 100 : result.progress,
  };
}

/** A run ended `failed` on an error of ours, named (shortened, its secrets masked) in an `internal_error`. */
export function internalErrorState(error: unknown, secrets: SecretValues): FinalState & { error: InternalError } {
  const message = `the run failed on an internal error: ${error instanceof Error ? error.message : String(error)}`;
  return {
    ...finalFields(),
    status: 'failed',
    output: null,
    error: {
      node_id: null,
      type: 'internal_error',
      message: shorten(message, MAX_ERROR_MESSAGE_LENGTH, SecretRedactor.for(secrets)),
    },
  };
}
