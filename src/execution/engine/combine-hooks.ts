import type { RunHooks } from './dag-runner.js';

type Hook = (...args: never[]) => Promise<void> | void;

/** Every hook, as a record so that a hook added to RunHooks does not compile until it is listed. */
const HOOK_NAMES: Record<keyof RunHooks, true> = {
  onNodeStarted: true,
  onNodeCompleted: true,
  onNodeFailed: true,
  onNodeRetrying: true,
  onNodeWaiting: true,
  onNodeStopped: true,
  onNodeSkipped: true,
  onDelta: true,
  onProgress: true,
};
const HOOKS = Object.keys(HOOK_NAMES) as (keyof RunHooks)[];

/**
 * One RunHooks made of several (recording, tracing, metrics…): each hook calls theirs in the order
 * given, and when any of them returns a promise, the walker waits for all of them. A hook that
 * throws stops the ones after it, as it would stop the walk.
 */
export function combineHooks(...all: RunHooks[]): RunHooks {
  const combined: { [Name in keyof RunHooks]?: Hook } = {};
  for (const name of HOOKS) {
    const handlers: Hook[] = [];
    for (const hooks of all) {
      const hook: Hook | undefined = hooks[name];
      if (hook) handlers.push(hook.bind(hooks));
    }
    if (handlers.length > 0) combined[name] = callEach(handlers);
  }
  return combined;
}

function callEach(handlers: Hook[]): Hook {
  if (handlers.length === 1) return handlers[0];
  return (...args) => {
    let waiting: Promise<void>[] | undefined;
    for (const handler of handlers) {
      const result = handler(...args);
      if (result) (waiting ??= []).push(result);
    }
    return waiting && Promise.all(waiting).then(() => undefined);
  };
}
