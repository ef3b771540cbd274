/**
 * Query parameters that carry a map, such as `metadata.customer=acme&metadata.plan=pro`: a query
 * DTO marks the property with @QueryMap(), and the validation pipe gathers the parameters named
 * `<property>.<key>` (or `<property>[<key>]`, OpenAPI's deepObject style, which generated clients
 * send) into one object before validating, so the DTO validates and documents one property.
 */
const queryMaps = new WeakMap<object, string[]>();

export function QueryMap(): PropertyDecorator {
  return (prototype, property) => {
    const owner = prototype.constructor;
    queryMaps.set(owner, [...(queryMaps.get(owner) ?? []), String(property)]);
  };
}

/** The maps `dto` declares, and every class it extends. */
function mapsOf(dto: unknown): string[] {
  const names: string[] = [];
  for (let type = dto; typeof type === 'function' && type !== Function.prototype; type = Object.getPrototypeOf(type)) {
    names.push(...(queryMaps.get(type) ?? []));
  }
  return names;
}

/**
 * The query with each map's parameters gathered under the map's name. A key given twice keeps
 * every value, and a bare `<property>=…` beside the map's keys keeps both (arrays the map's
 * validator refuses); anything else is left as it was, for the whitelist to judge.
 */
export function gatherQueryMaps(dto: unknown, query: unknown): unknown {
  const names = mapsOf(dto);
  if (names.length === 0 || typeof query !== 'object' || query === null) return query;
  // Without a prototype (as the query parser makes the query), `toString` or `__proto__` is data.
  const rest: Record<string, unknown> = Object.create(null);
  const maps: Record<string, Record<string, unknown>> = Object.create(null);
  for (const [name, value] of Object.entries(query)) {
    const entry = mapEntry(names, name);
    if (!entry) {
      rest[name] = value;
      continue;
    }
    const map = (maps[entry.map] ??= Object.create(null) as Record<string, unknown>);
    map[entry.key] = entry.key in map ? [map[entry.key], value].flat() : value;
  }
  for (const [name, map] of Object.entries(maps)) rest[name] = name in rest ? [rest[name], map] : map;
  return rest;
}

function mapEntry(names: string[], parameter: string): { map: string; key: string } | undefined {
  for (const map of names) {
    if (parameter.startsWith(`${map}.`)) return { map, key: parameter.slice(map.length + 1) };
    if (parameter.startsWith(`${map}[`) && parameter.endsWith(']')) {
      return { map, key: parameter.slice(map.length + 1, -1) };
    }
  }
  return undefined;
}
