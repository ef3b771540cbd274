/** What other modules may use of the executor without reaching into its internals. */
export { rowToRun } from './run-row.js';
