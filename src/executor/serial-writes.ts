/** Writes run one after another, in the order they were asked for; one that fails does not stop the next. */
export class SerialWrites {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.tail.then(write);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
