/**
 * Sizes of values as stored (UTF-8 JSON), for MAX_VALUE_BYTES. An object is measured once however
 * many nodes it feeds; a value too large for V8 to serialise counts as Infinity.
 */
export class ValueSizes {
  private readonly measured = new WeakMap<object, number>();

  constructor(readonly limit: number) {}

  of(value: unknown): number {
    if (value === undefined) return 0;
    const memo = typeof value === 'object' && value !== null ? this.measured.get(value) : undefined;
    if (memo !== undefined) return memo;
    let bytes: number;
    try {
      bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      bytes = Infinity;
    }
    if (typeof value === 'object' && value !== null) this.measured.set(value, bytes);
    return bytes;
  }

  /** The total of a record's values (a node's inputs or outputs). */
  ofRecord(record: Record<string, unknown>): number {
    let total = 0;
    for (const value of Object.values(record)) total += this.of(value);
    return total;
  }

  /** The message of a `value_too_large` failure: what, its size, the limit. */
  tooLarge(what: string, bytes: number): string {
    const size = Number.isFinite(bytes) ? `${bytes} bytes` : 'too large to measure';
    return `${what} is ${size} of JSON, more than the limit of ${this.limit} bytes (MAX_VALUE_BYTES)`;
  }
}
