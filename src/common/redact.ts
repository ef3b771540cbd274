/** What a redacted value reads as in an audit row. */
export const REDACTED = '[redacted]';

/**
 * Field names whose values are credentials wherever they appear: a secret's value, a key's hash or
 * secret, a group's webhook secret, a resume token, and the usual names of credentials in a node's
 * headers or config (`Authorization`, `password`, `api_key`, …). Matched on the name with `-` as `_`,
 * regardless of case, as a whole or as its last `_` part (`webhook_secret`, `x_api_key`).
 */
const SECRET_NAMES = new Set([
  'secret',
  'value',
  'key',
  'hash',
  'token',
  'password',
  'passwd',
  'passphrase',
  'authorization',
  'cookie',
  'ciphertext',
  'iv',
  'signature',
  'credential',
  'credentials',
]);
const SECRET_SUFFIXES = [
  'secret',
  'hash',
  'token',
  'password',
  'api_key',
  'apikey',
  'access_key',
  'private_key',
  'auth_tag',
  'authorization',
];

/** Strings that are credentials by their shape, whatever field holds them. */
const SECRET_SHAPES = [
  /\brl_[A-Za-z0-9]{32,}/, // an API key
  /\bwhsec_[A-Za-z0-9+/=]{16,}/, // a webhook signing secret
  /\bBearer\s+\S{8,}/i,
  /\bBasic\s+[A-Za-z0-9+/=]{8,}/i,
];

/** Whether a field of this name holds a credential. */
export function isSecretName(name: string): boolean {
  const normal = name.toLowerCase().replace(/-/g, '_');
  return (
    SECRET_NAMES.has(normal) || SECRET_SUFFIXES.some((suffix) => normal === suffix || normal.endsWith(`_${suffix}`))
  );
}

/**
 * `value` as an audit row may hold it: a JSON copy in which every field named like a credential
 * (isSecretName) and every string shaped like one is replaced by "[redacted]". Keys are kept, so a
 * row still says that a header or a secret changed, never to what. Dates become ISO strings and
 * undefined fields are left out, as JSON.stringify would.
 */
export function redact(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return SECRET_SHAPES.some((shape) => shape.test(value)) ? REDACTED : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : redact(item)));
  if (typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(value)) {
      if (field === undefined || typeof field === 'function') continue;
      copy[name] = isSecretName(name) && field !== null ? REDACTED : redact(field);
    }
    return copy;
  }
  return null;
}
