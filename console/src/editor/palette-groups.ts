/** The palette's sections: node types grouped by what they are for, filtered by a search. */

const GROUPS: { name: string; types: string[] }[] = [
  { name: 'Inputs & outputs', types: ['InputNode', 'OutputNode'] },
  { name: 'Text & AI', types: ['TextTemplateNode', 'TextGenerationNode'] },
  { name: 'Logic & data', types: ['ConditionNode', 'TransformNode', 'CodeNode', 'MapNode', 'FailNode'] },
  { name: 'Flow & waits', types: ['DelayNode', 'WaitNode', 'SignalNode'] },
  { name: 'Integrations', types: ['HttpRequestNode'] },
  { name: 'Sub-workflows', types: ['WorkflowNode'] },
];
/** Where a type the console does not know yet (added to the API later) is listed. */
const OTHER = 'Other';

/** What the palette needs of a catalog entry. */
export interface PaletteItem {
  type: string;
  description: string;
}

export interface PaletteGroup<T extends PaletteItem> {
  name: string;
  items: T[];
}

/** Types whose name or description holds every word of `query`, by group, in the groups' order. */
export function paletteGroups<T extends PaletteItem>(catalog: T[], query: string): PaletteGroup<T>[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matching = catalog.filter((item) => {
    const text = `${item.type} ${item.description}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const groupOf = (type: string) => GROUPS.find((group) => group.types.includes(type))?.name ?? OTHER;
  return [...GROUPS.map((group) => group.name), OTHER]
    .map((name) => ({
      name,
      items: matching.filter((item) => groupOf(item.type) === name).sort((a, b) => rank(a.type) - rank(b.type)),
    }))
    .filter((group) => group.items.length > 0);
}

function rank(type: string): number {
  const at = GROUPS.flatMap((group) => group.types).indexOf(type);
  return at < 0 ? Number.MAX_SAFE_INTEGER : at;
}
