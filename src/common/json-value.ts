/**
 * Free-form JSON properties of request bodies (run input, workflow definitions) bypass
 * class-transformer. It copies plain objects key by key, skipping every key an object inherits a
 * method for (`toString`, `valueOf`, `hasOwnProperty`, `constructor`, …) and so silently dropping
 * user data, and copying a large value costs far more than parsing it did.
 */
const jsonProperties = new WeakMap<object, string[]>();

/** Marks a DTO property whose value is kept exactly as parsed (validators still see its type). */
export function KeepJson(): PropertyDecorator {
  return (prototype, property) => {
    const owner = prototype.constructor;
    jsonProperties.set(owner, [...(jsonProperties.get(owner) ?? []), String(property)]);
  };
}

/**
 * Replaces each marked object property of `body` by an empty stand-in of the same kind, for the
 * validation pipe; `restore` puts the parsed values onto the transformed DTO.
 */
export function setJsonPropertiesAside(
  dto: unknown,
  body: unknown,
): { body: unknown; restore(transformed: unknown): unknown } {
  const properties = typeof dto === 'function' ? jsonProperties.get(dto) : undefined;
  if (!properties || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { body, restore: (transformed) => transformed };
  }
  const original = body as Record<string, unknown>;
  const standIn: Record<string, unknown> = { ...original };
  const kept = properties.filter((name) => typeof original[name] === 'object' && original[name] !== null);
  for (const name of kept) standIn[name] = Array.isArray(original[name]) ? [] : {};
  return {
    body: standIn,
    restore(transformed) {
      for (const name of kept) (transformed as Record<string, unknown>)[name] = original[name];
      return transformed;
    },
  };
}
