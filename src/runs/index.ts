/** What other modules may use of runs without reaching into its internals: a Run as its callbacks send it. */
export { toRunCallbackBody } from './dto/run-callback.dto.js';
