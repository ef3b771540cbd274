/**
 * What importing documents into a group would change, decided before anything is written: ids for
 * what will be created (so documents of one bundle can call each other, and a dry run can check
 * everything a real import would), each document's definitions with their calls resolved to ids,
 * and the writes that make the group match the documents. Nothing here touches the database.
 */
import type { FieldProblem } from '../../common/problem.js';
import { referencedSecrets } from '../../execution/template.js';
import { sortedUnion } from './export-document.js';
import type { ImportedDocument } from './import-document.js';
import { dependencyOrder } from './dependency-order.js';
import { toStoredDefinition, type CalledWorkflowIds } from './portable-definition.js';
import type { DocumentSchedule } from './workflow-document.js';

/** A workflow of the group, as the plan compares documents with it. */
export interface ExistingWorkflow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  definition: unknown;
  /** Oldest first. */
  versions: { id: string; number: number; name: string; description: string | null; definition: unknown }[];
  schedules: ExistingSchedule[];
}

export interface StoredSchedule {
  cron: string;
  timezone: string;
  workflowVersionId: string | null;
  input: Record<string, unknown>;
  callbackUrl: string | null;
  enabled: boolean;
  metadata: Record<string, unknown>;
}

export type ExistingSchedule = StoredSchedule & { id: string };

export interface NewVersion {
  id: string;
  number: number;
  name: string;
  description: string | null;
  definition: Record<string, unknown>;
}

export type Change =
  | { target: 'workflow'; field?: 'name' | 'description' | 'definition'; change: 'created' | 'updated' }
  | { target: 'version'; number: number; change: 'created' }
  | { target: 'schedule'; cron: string; change: 'created' | 'deleted' };

export interface WorkflowPlan {
  at: string;
  slug: string;
  workflowId: string;
  action: 'created' | 'updated' | 'unchanged';
  /** The workflow's fields to write: all of them for a creation, the changed ones for an update. */
  write: { name?: string; description?: string | null; definition?: Record<string, unknown> };
  newVersions: NewVersion[];
  /** Each schedule with the definition its runs execute, for checking its input. */
  newSchedules: (StoredSchedule & { field: string; definition: Record<string, unknown> })[];
  deletedScheduleIds: string[];
  /** Definitions to be written (the draft when it changes, new versions), with where they sit in the body. */
  writtenDefinitions: { field: string; definition: Record<string, unknown> }[];
  /** Every secret name the document's definitions use or its `requires` names. */
  secrets: string[];
  changes: Change[];
}

/**
 * The plans for `documents` in dependency order (a workflow after those of the bundle it calls),
 * or every problem found. `existing` holds the group's workflows with the slugs the documents have
 * or call; `newId` makes the ids of what will be created.
 */
export function planImport(
  documents: ImportedDocument[],
  existing: ReadonlyMap<string, ExistingWorkflow>,
  newId: () => string,
): { plans: WorkflowPlan[]; problems: FieldProblem[] } {
  const ordered = dependencyOrder(documents);
  const targets = new Map(ordered.map((imported) => [imported.document.slug, target(imported, existing, newId)]));
  const ids: CalledWorkflowIds = {
    workflowIdOf: (slug) => targets.get(slug)?.workflowId ?? existing.get(slug)?.id,
    versionIdOf: (slug, number) =>
      targets.get(slug)?.versionIds.get(number) ?? existing.get(slug)?.versions.find((v) => v.number === number)?.id,
  };
  const problems: FieldProblem[] = [];
  const plans = ordered.map((imported) => {
    const planned = planWorkflow(
      imported,
      existing.get(imported.document.slug),
      targets.get(imported.document.slug)!,
      ids,
    );
    problems.push(...planned.problems);
    return planned.plan;
  });
  return { plans, problems };
}

interface Target {
  workflowId: string;
  /** Version number → id, for the document's versions and the group's versions beyond them. */
  versionIds: Map<number, string>;
}

function target(
  imported: ImportedDocument,
  existing: ReadonlyMap<string, ExistingWorkflow>,
  newId: () => string,
): Target {
  const current = existing.get(imported.document.slug);
  const versionIds = new Map((current?.versions ?? []).map((version) => [version.number, version.id]));
  for (const version of imported.document.versions) {
    if (!versionIds.has(version.number)) versionIds.set(version.number, newId());
  }
  return { workflowId: current?.id ?? newId(), versionIds };
}

function planWorkflow(
  { at, document }: ImportedDocument,
  current: ExistingWorkflow | undefined,
  { workflowId, versionIds }: Target,
  ids: CalledWorkflowIds,
): { plan: WorkflowPlan; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const stored = (definition: Record<string, unknown>, field: string) => {
    const converted = toStoredDefinition(definition, ids, field);
    problems.push(...converted.problems);
    return converted.definition;
  };
  document.requires.workflows.forEach((slug, index) => {
    if (!ids.workflowIdOf(slug)) {
      problems.push({
        field: `${at}requires.workflows[${index}]`,
        message: `no workflow with slug "${slug}" in this group or the import`,
      });
    }
  });
  const draft = stored(document.definition, `${at}definition`);
  const changes: Change[] = [];
  const write = current
    ? changedFields(current, { ...document, definition: draft })
    : {
        name: document.name,
        description: document.description,
        definition: draft,
      };
  if (!current) changes.push({ target: 'workflow', change: 'created' });
  for (const field of current ? (Object.keys(write) as (keyof typeof write)[]) : []) {
    changes.push({ target: 'workflow', field, change: 'updated' });
  }

  const lastNumber = current?.versions.at(-1)?.number ?? 0;
  const newVersions: NewVersion[] = [];
  document.versions.forEach((version, index) => {
    const field = `${at}versions[${index}]`;
    const definition = stored(version.definition, `${field}.definition`);
    const same = current?.versions.find((v) => v.number === version.number);
    if (same) {
      const differs = versionDifference(same, { ...version, definition });
      if (differs)
        problems.push({
          field,
          message: `version conflict: version ${version.number} exists with another ${differs}; versions cannot change, add a new one`,
        });
      return;
    }
    const expected = lastNumber + newVersions.length + 1;
    if (version.number !== expected) {
      problems.push({
        field: `${field}.number`,
        message: `must be ${expected}: new versions continue the workflow's numbering`,
      });
    }
    const name = version.name ?? `v${version.number}`;
    newVersions.push({
      id: versionIds.get(version.number)!,
      number: version.number,
      name,
      description: version.description,
      definition,
    });
    changes.push({ target: 'version', number: version.number, change: 'created' });
  });

  const definitionOf = (number: number | null): Record<string, unknown> | undefined =>
    number === null
      ? draft
      : (newVersions.find((v) => v.number === number)?.definition ??
        (current?.versions.find((v) => v.number === number)?.definition as Record<string, unknown> | undefined));
  const desired = document.schedules.map((schedule, index) => {
    const field = `${at}schedules[${index}]`;
    const versionId = schedule.version === null ? null : versionIds.get(schedule.version);
    const definition = definitionOf(schedule.version);
    if (versionId === undefined || !definition) {
      problems.push({ field: `${field}.version`, message: `the workflow has no version ${schedule.version}` });
    }
    return { ...storedSchedule(schedule, versionId ?? null), field, definition: definition ?? draft };
  });
  const { kept, deleted } = matchSchedules(current?.schedules ?? [], desired);
  const newSchedules = desired.filter((_, index) => !kept.has(index));
  for (const schedule of deleted) changes.push({ target: 'schedule', cron: schedule.cron, change: 'deleted' });
  for (const schedule of newSchedules) changes.push({ target: 'schedule', cron: schedule.cron, change: 'created' });

  const documentDefinitions = [document.definition, ...document.versions.map((version) => version.definition)];
  const plan: WorkflowPlan = {
    at,
    slug: document.slug,
    workflowId,
    action: !current ? 'created' : changes.length ? 'updated' : 'unchanged',
    write,
    newVersions,
    newSchedules,
    deletedScheduleIds: deleted.map((schedule) => schedule.id),
    writtenDefinitions: [
      ...(write.definition ? [{ field: `${at}definition`, definition: write.definition }] : []),
      ...newVersions.map((version) => ({
        field: `${at}versions[${document.versions.findIndex((v) => v.number === version.number)}].definition`,
        definition: version.definition,
      })),
    ],
    secrets: sortedUnion([
      document.requires.secrets,
      ...documentDefinitions.map((d) => referencedSecrets(JSON.stringify(d))),
    ]),
    changes,
  };
  return { plan, problems };
}

/** The fields of the workflow the document changes; a definition differs when its JSON text does, key order included. */
function changedFields(
  current: ExistingWorkflow,
  wanted: { name: string; description: string | null; definition: Record<string, unknown> },
): WorkflowPlan['write'] {
  return {
    ...(wanted.name === current.name ? {} : { name: wanted.name }),
    ...(wanted.description === current.description ? {} : { description: wanted.description }),
    ...(sameJson(wanted.definition, current.definition) ? {} : { definition: wanted.definition }),
  };
}

function versionDifference(
  current: ExistingWorkflow['versions'][number],
  wanted: { name?: string; description: string | null; definition: unknown },
): string | null {
  if (!sameJson(current.definition, wanted.definition)) return 'definition';
  if (current.description !== wanted.description) return 'description';
  if (wanted.name !== undefined && wanted.name !== current.name) return 'name';
  return null;
}

function storedSchedule(schedule: DocumentSchedule, workflowVersionId: string | null): StoredSchedule {
  return {
    cron: schedule.cron,
    timezone: schedule.timezone,
    workflowVersionId,
    input: schedule.input,
    callbackUrl: schedule.callback_url,
    enabled: schedule.enabled,
    metadata: schedule.metadata,
  };
}

/**
 * Pairs each desired schedule with an equal existing one, each used once: the desired indexes kept
 * and the existing schedules no document schedule matches. Inputs and metadata are stored as sent,
 * so they are equal when their JSON text is, key order included, as definitions are.
 */
export function matchSchedules(
  current: ExistingSchedule[],
  desired: StoredSchedule[],
): { kept: Set<number>; deleted: ExistingSchedule[] } {
  const unmatched = [...current];
  const kept = new Set<number>();
  desired.forEach((schedule, index) => {
    const at = unmatched.findIndex((candidate) => scheduleKey(candidate) === scheduleKey(schedule));
    if (at < 0) return;
    unmatched.splice(at, 1);
    kept.add(index);
  });
  return { kept, deleted: unmatched };
}

function scheduleKey(schedule: StoredSchedule): string {
  const { cron, timezone, workflowVersionId, input, callbackUrl, enabled, metadata } = schedule;
  return JSON.stringify([cron, timezone, workflowVersionId, input, callbackUrl, enabled, metadata]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
