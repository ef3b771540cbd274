import type { ImportedDocument } from './import-document.js';
import { calledSlugs } from './portable-definition.js';

/**
 * Documents after the documents of the bundle they call (drafts, versions or `requires`); a cycle,
 * which the call checks refuse, keeps the bundle's order.
 */
export function dependencyOrder(documents: ImportedDocument[]): ImportedDocument[] {
  const bySlug = new Map(documents.map((imported) => [imported.document.slug, imported]));
  const ordered: ImportedDocument[] = [];
  const visited = new Set<string>();
  const visit = (imported: ImportedDocument) => {
    const slug = imported.document.slug;
    if (visited.has(slug)) return;
    visited.add(slug);
    const { definition, versions, requires } = imported.document;
    const calls = [definition, ...versions.map((version) => version.definition)].flatMap(calledSlugs);
    for (const called of [...calls, ...requires.workflows]) {
      const dependency = bySlug.get(called);
      if (dependency) visit(dependency);
    }
    ordered.push(imported);
  };
  documents.forEach(visit);
  return ordered;
}
