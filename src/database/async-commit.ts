/**
 * An SQL expression that makes its statement's transaction commit without waiting for the WAL
 * flush (synchronous_commit off until the transaction ends). For single-statement transactions
 * whose loss in a database crash does no harm; each use says why.
 */
export const ASYNC_COMMIT = "set_config('synchronous_commit', 'off', true)";
