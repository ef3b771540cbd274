const starting = new Set<Promise<unknown>>();
const open = new Map<object, () => Promise<unknown>>();

/**
 * Remembers something a test file starts (an app, a receiver, a server process) until `closed()`
 * says its own teardown ran. Under load a setup hook can time out while its work goes on, and an
 * `afterAll` that throws on a missing value skips the closes after it: whatever is still open when
 * the file ends would keep jest from exiting (a listening socket, a pool, a child process), so
 * `closeLeftovers` closes it.
 */
export function closesLater<T extends object>(start: Promise<T>, close: (value: T) => Promise<unknown>): Promise<T> {
  const started = start.then((value) => {
    open.set(value, () => close(value));
    return value;
  });
  starting.add(started);
  void started.then(
    () => starting.delete(started),
    () => starting.delete(started),
  );
  return started;
}

export function closed(value: object): void {
  open.delete(value);
}

/** Waits for whatever is still starting, then closes everything not closed by its test. */
export async function closeLeftovers(): Promise<void> {
  await Promise.allSettled([...starting]);
  const leftovers = [...open.values()];
  open.clear();
  await Promise.allSettled(leftovers.map((close) => close()));
}
