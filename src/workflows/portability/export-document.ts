import type { FieldProblem } from '../../common/problem.js';
import { referencedSecrets } from '../../execution/template.js';
import { calledSlugs, toPortableDefinition, type CalledWorkflowNames } from './portable-definition.js';
import { DOCUMENT_FORMAT, type DocumentSchedule, type WorkflowDocument } from './workflow-document.js';

/** A workflow as stored, with what its export needs to know. */
export interface ExportSource {
  workflow: { slug: string | null; name: string; description: string | null; definition: unknown };
  /** Oldest first. */
  versions: { id: string; number: number; name: string; description: string | null; definition: unknown }[];
  /** In creation order. */
  schedules: (Omit<DocumentSchedule, 'version'> & { workflow_version_id: string | null })[];
  /** The slugs and version numbers of the workflows its definitions call. */
  called: CalledWorkflowNames;
}

/** The export document of `source`, or the calls that cannot be written by slug. */
export function buildExportDocument(
  source: ExportSource,
): { document: WorkflowDocument; problems?: never } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const portable = (definition: unknown, field: string) => {
    const converted = toPortableDefinition(definition as Record<string, unknown>, source.called, field);
    problems.push(...converted.problems);
    return converted.definition;
  };
  const definition = portable(source.workflow.definition, 'definition');
  const versions = source.versions.map((version, index) => ({
    number: version.number,
    name: version.name,
    description: version.description,
    definition: portable(version.definition, `versions[${index}].definition`),
  }));
  if (problems.length) return { problems };
  const numberOf = new Map(source.versions.map((version) => [version.id, version.number]));
  const schedules = source.schedules.map(({ workflow_version_id, ...schedule }) => ({
    cron: schedule.cron,
    timezone: schedule.timezone,
    version: workflow_version_id === null ? null : (numberOf.get(workflow_version_id) ?? null),
    input: schedule.input,
    callback_url: schedule.callback_url,
    enabled: schedule.enabled,
    metadata: schedule.metadata,
  }));
  const definitions = [definition, ...versions.map((version) => version.definition)];
  const document: WorkflowDocument = {
    runloom: DOCUMENT_FORMAT,
    slug: source.workflow.slug,
    name: source.workflow.name,
    description: source.workflow.description,
    definition,
    versions,
    schedules,
    requires: {
      workflows: sortedUnion(definitions.map(calledSlugs)),
      secrets: sortedUnion(definitions.map((json) => referencedSecrets(JSON.stringify(json)))),
    },
  };
  return { document };
}

export function sortedUnion(lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}
