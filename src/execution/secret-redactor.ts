import type { SecretValues } from './template.js';

/** What replaces a secret's value wherever it would leave a node. */
export const secretMask = (name: string) => `[secret:${name}]`;

interface Needle {
  text: string;
  mask: string;
}

/**
 * Replaces every occurrence of a run's secret values with `[secret:NAME]`. Besides the value as it
 * is, it catches the forms a value most often takes on its way through a node: JSON-escaped
 * (a body that quotes it) and percent-encoded (a URL that carries it). Longer needles go first, so a
 * secret that contains another is masked whole.
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

  /** A copy of a JSON-like value with every string (object keys included) masked. */
  value<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === 'object' && isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.text(key), this.walk(item)]));
    }
    return value;
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
