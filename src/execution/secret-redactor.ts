import { cutText, SECRET_MASK_START } from '../common/cut-text.js';
import type { SecretValues } from './secret-values.js';

/** What replaces a secret's value wherever it would leave a node. */
export const secretMask = (name: string) => `${SECRET_MASK_START}${name}]`;

interface Needle {
  text: string;
  mask: string;
}

/**
 * Replaces every occurrence of a run's secret values with `[secret:NAME]`. Besides the value as it
 * is, it catches the forms a value most often takes on its way through a node: JSON-escaped
 * (a body that quotes it) and percent-encoded (a URL that carries it). Longer needles go first, so a
 * secret that contains another is masked whole.
 *
 * Only whole occurrences are masked, never pieces: masking a piece that text merely resembles
 * would tell whoever wrote the text which of their guesses starts a secret. So text is masked whole
 * before it is ever cut (`shorten`), and a cut never splits a mask.
 */
export class SecretRedactor {
  private readonly needles: Needle[];

  constructor(secrets: SecretValues) {
    const needles = Object.entries(secrets).flatMap(([name, value]) =>
      [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])]
        .filter((text) => text.length > 0)
        .map((text) => ({ text, mask: secretMask(name) })),
    );
    this.needles = needles.sort((a, b) => b.text.length - a.text.length);
  }

  /** Null when there is nothing to mask, so callers skip the work. */
  static for(secrets: SecretValues | undefined): SecretRedactor | null {
    return secrets && Object.keys(secrets).length > 0 ? new SecretRedactor(secrets) : null;
  }

  text(text: string): string {
    let masked = text;
    for (const needle of this.needles) {
      if (masked.includes(needle.text)) masked = masked.replaceAll(needle.text, needle.mask);
    }
    return masked;
  }

  /**
   * A copy of a JSON-like value with every string (object keys included) masked. Iterative, with
   * its own stack: a value nested 100,000 deep is copied like a flat one.
   */
  value<T>(value: T): T {
    const root: unknown[] = [undefined];
    const sources: unknown[] = [value];
    const targets: Record<string | number, unknown>[] = [root as Record<number, unknown>];
    const keys: (string | number)[] = [0];
    while (sources.length > 0) {
      const source = sources.pop();
      const target = targets.pop()!;
      const key = keys.pop()!;
      if (typeof source === 'string') {
        target[key] = this.text(source);
      } else if (Array.isArray(source)) {
        const copy: unknown[] = new Array(source.length);
        target[key] = copy;
        for (let index = 0; index < source.length; index++) {
          sources.push(source[index]);
          targets.push(copy as Record<number, unknown>);
          keys.push(index);
        }
      } else if (source !== null && typeof source === 'object' && isPlainObject(source)) {
        const copy: Record<string, unknown> = {};
        target[key] = copy;
        for (const [name, item] of Object.entries(source)) {
          const masked = this.text(name);
          // Defined, not assigned: a key named `__proto__` stays data, as in JSON.parse.
          Object.defineProperty(copy, masked, {
            value: undefined,
            writable: true,
            enumerable: true,
            configurable: true,
          });
          sources.push(item);
          targets.push(copy);
          keys.push(masked);
        }
      } else {
        target[key] = source;
      }
    }
    return root[0] as T;
  }

  /** The text masked, then cut to `maxLength` (see `shorten`). */
  shorten(text: string, maxLength: number): string {
    return shorten(text, maxLength, this);
  }
}

/**
 * `text` with the run's secrets masked (when there is a redactor), then cut to `maxLength` by
 * `cutText`. Masked whole first, a secret is either all in the text, as its mask, or not at all:
 * a cut cannot leave part of its value.
 */
export function shorten(text: string, maxLength: number, redactor?: SecretRedactor | null): string {
  return cutText(redactor ? redactor.text(text) : text, maxLength);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
