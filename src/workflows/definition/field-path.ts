/** Field paths in problems, written the way JavaScript reads them: `nodes[2].config.headers["X-Key"]`. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `.key`, or `["key"]` when the key is not an identifier. */
export function member(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Appends a relative path such as `inputs[1]` or `["X-Key"]` to `base`. */
export function joinPath(base: string, relative: string): string {
  if (relative === '') return base;
  return relative.startsWith('[') ? `${base}${relative}` : `${base}.${relative}`;
}

/** Turns a JSON pointer into a path, using `value` to tell array indexes from object keys. */
export function pointerToPath(pointer: string, value: unknown): string {
  let path = '';
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += Array.isArray(current) ? `[${key}]` : member(key);
    current = (current as Record<string, unknown> | undefined)?.[key];
  }
  return path;
}
