/**
 * What other modules may use of runs without reaching into its internals: the mappers from a
 * `runs` row to the Run model and from a Run to what the API and its callbacks send.
 */
export { rowToRun } from './run-row.js';
export { toRunCallbackBody } from './dto/run-callback.dto.js';
