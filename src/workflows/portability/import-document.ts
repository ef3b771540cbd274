/**
 * Reads the body of POST /v1/workflows/import: one export document, or a bundle
 * `{"workflows": [doc, …]}`. Every problem is reported with its path, none stops the reading.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldProblem } from '../../common/problem.js';
import { flattenValidationErrors } from '../../common/validation.js';
import { CronSchedule } from '../../schedules/cron-schedule.js';
import { CreateScheduleBody } from '../../schedules/dto/schedule.dto.js';
import { WORKFLOW_SLUG, WORKFLOW_SLUG_RULE } from '../workflow-slug.js';
import {
  DOCUMENT_FORMAT,
  type DocumentSchedule,
  type DocumentVersion,
  type WorkflowDocument,
} from './workflow-document.js';

/** More documents than one import takes: split the bundle. */
export const MAX_BUNDLE_DOCUMENTS = 200;

/** A document of the body and where it sits (`""`, or `"workflows[2]."` in a bundle). */
export interface ImportedDocument {
  at: string;
  document: WorkflowDocument & { slug: string };
}

type Json = Record<string, unknown>;
const DOCUMENT_KEYS = ['runloom', 'slug', 'name', 'description', 'definition', 'versions', 'schedules', 'requires'];
const VERSION_KEYS = ['number', 'name', 'description', 'definition'];
const SCHEDULE_KEYS = ['cron', 'timezone', 'version', 'input', 'callback_url', 'enabled', 'metadata'];

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function readImportBody(body: unknown): { documents: ImportedDocument[]; problems: FieldProblem[] } {
  if (isObject(body) && !('runloom' in body) && 'workflows' in body) return readBundle(body);
  const read = readDocument(body, '');
  return { documents: read.document ? [{ at: '', document: read.document }] : [], problems: read.problems };
}

function readBundle(body: Json): { documents: ImportedDocument[]; problems: FieldProblem[] } {
  const problems = unknownKeys(body, ['workflows'], '');
  const list = body.workflows;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BUNDLE_DOCUMENTS) {
    problems.push({ field: 'workflows', message: `must be a list of 1-${MAX_BUNDLE_DOCUMENTS} workflow documents` });
    return { documents: [], problems };
  }
  const documents: ImportedDocument[] = [];
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const at = `workflows[${index}].`;
    const read = readDocument(item, at);
    problems.push(...read.problems);
    if (!read.document) return;
    if (seen.has(read.document.slug)) problems.push({ field: `${at}slug`, message: 'is in the bundle twice' });
    seen.add(read.document.slug);
    documents.push({ at, document: read.document });
  });
  return { documents, problems };
}

function readDocument(
  value: unknown,
  at: string,
): { document?: WorkflowDocument & { slug: string }; problems: FieldProblem[] } {
  if (!isObject(value))
    return { problems: [{ field: at.slice(0, -1) || 'body', message: 'must be a workflow document (an object)' }] };
  const problems = unknownKeys(value, DOCUMENT_KEYS, at);
  const check = (ok: boolean, field: string, message: string) => ok || problems.push({ field: at + field, message });
  check(value.runloom === DOCUMENT_FORMAT, 'runloom', `must be "${DOCUMENT_FORMAT}"`);
  const slug = value.slug;
  check(
    typeof slug === 'string' && WORKFLOW_SLUG.test(slug),
    'slug',
    slug === null || slug === undefined ? 'is required: imports match workflows by slug' : WORKFLOW_SLUG_RULE,
  );
  check(isText(value.name, 1, 200), 'name', 'must be a string of 1-200 characters');
  check(
    value.description == null || isText(value.description, 0, 2000),
    'description',
    'must be null or at most 2000 characters',
  );
  check(isObject(value.definition), 'definition', 'must be a workflow definition (an object with nodes and edges)');
  const versions = readList(value.versions, 'versions', at, problems, readVersion);
  const schedules = readList(value.schedules, 'schedules', at, problems, readSchedule);
  problems.push(...versionSequenceProblems(versions, at));
  const requires = readRequires(value.requires, at, problems);
  if (problems.length) return { problems };
  const document: WorkflowDocument & { slug: string } = {
    runloom: DOCUMENT_FORMAT,
    slug: slug as string,
    name: value.name as string,
    description: (value.description as string | undefined) ?? null,
    definition: value.definition as Json,
    versions,
    schedules,
    requires,
  };
  return { document, problems };
}

function readList<T>(
  value: unknown,
  name: string,
  at: string,
  problems: FieldProblem[],
  readItem: (item: Json, field: string, problems: FieldProblem[]) => T,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ field: at + name, message: 'must be a list' });
    return [];
  }
  return value.flatMap((item, index) => {
    const field = `${at}${name}[${index}]`;
    if (isObject(item)) return [readItem(item, field, problems)];
    problems.push({ field, message: 'must be an object' });
    return [];
  });
}

function readVersion(item: Json, field: string, problems: FieldProblem[]): DocumentVersion {
  problems.push(...unknownKeys(item, VERSION_KEYS, `${field}.`));
  const check = (ok: boolean, key: string, message: string) =>
    ok || problems.push({ field: `${field}.${key}`, message });
  check(Number.isSafeInteger(item.number) && (item.number as number) >= 1, 'number', 'must be an integer from 1');
  check(item.name === undefined || isText(item.name, 1, 200), 'name', 'must be a string of 1-200 characters');
  check(
    item.description == null || isText(item.description, 0, 2000),
    'description',
    'must be null or at most 2000 characters',
  );
  check(isObject(item.definition), 'definition', 'must be a workflow definition (an object with nodes and edges)');
  return {
    number: item.number as number,
    ...(item.name === undefined ? {} : { name: item.name as string }),
    description: (item.description as string | undefined) ?? null,
    definition: item.definition as Json,
  };
}

/** The schedule fields are checked by the rules of POST …/schedules (CreateScheduleBody). */
function readSchedule(item: Json, field: string, problems: FieldProblem[]): DocumentSchedule {
  problems.push(...unknownKeys(item, SCHEDULE_KEYS, `${field}.`));
  const { version, ...fields } = item;
  const body = plainToInstance(CreateScheduleBody, fields);
  const errors = validateSync(body, { forbidUnknownValues: false });
  problems.push(...flattenValidationErrors(errors, field));
  if (typeof item.cron === 'string' && (item.timezone === undefined || typeof item.timezone === 'string')) {
    const cron = CronSchedule.parse(item.cron, item.timezone ?? 'UTC');
    if (Array.isArray(cron)) problems.push(...cron.map((p) => ({ field: `${field}.${p.field}`, message: p.message })));
  }
  if (version !== undefined && version !== null && !(Number.isSafeInteger(version) && (version as number) >= 1)) {
    problems.push({ field: `${field}.version`, message: 'must be null (the draft) or a version number' });
  }
  return {
    cron: String(item.cron).trim().split(/\s+/).join(' '),
    timezone: (item.timezone as string | undefined) ?? 'UTC',
    version: (version as number | undefined) ?? null,
    input: item.input as Json,
    callback_url: (item.callback_url as string | undefined) ?? null,
    enabled: (item.enabled as boolean | undefined) ?? true,
    metadata: (item.metadata as Json | undefined) ?? {},
  };
}

/** Versions are listed oldest first, numbered one after another. */
function versionSequenceProblems(versions: DocumentVersion[], at: string): FieldProblem[] {
  const numbers = versions.map((version) => version.number);
  const broken = numbers.findIndex((number, index) => index > 0 && number !== numbers[index - 1] + 1);
  if (broken < 0) return [];
  return [
    {
      field: `${at}versions[${broken}].number`,
      message: `must be ${numbers[broken - 1] + 1}: versions are listed oldest first, numbered one after another`,
    },
  ];
}

function readRequires(value: unknown, at: string, problems: FieldProblem[]): WorkflowDocument['requires'] {
  const requires = { workflows: [] as string[], secrets: [] as string[] };
  if (value === undefined) return requires;
  if (!isObject(value)) {
    problems.push({ field: `${at}requires`, message: 'must be an object with workflows and secrets (lists of names)' });
    return requires;
  }
  problems.push(...unknownKeys(value, ['workflows', 'secrets'], `${at}requires.`));
  for (const key of ['workflows', 'secrets'] as const) {
    const names = value[key] ?? [];
    if (Array.isArray(names) && names.every((name) => typeof name === 'string')) requires[key] = names;
    else problems.push({ field: `${at}requires.${key}`, message: 'must be a list of names' });
  }
  return requires;
}

function unknownKeys(value: Json, known: string[], at: string): FieldProblem[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => ({ field: at + key, message: 'is not part of a workflow document' }));
}

function isText(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max && (min === 0 || value.trim() !== '');
}
