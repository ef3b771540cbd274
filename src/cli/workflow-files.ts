import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isObject } from './api.js';
import { CliError } from './errors.js';

/** A workflow's export document (`runloom: workflow/v1`), as the API and the files hold it. */
export type WorkflowDocument = Record<string, unknown> & { slug?: unknown };

export interface WorkflowFile {
  /** The file's name inside the directory. */
  name: string;
  document: WorkflowDocument;
}

export type FileFormat = 'yaml' | 'json';

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** Every `.json`, `.yaml` and `.yml` document of `dir` (not its subdirectories), by file name. */
export async function readWorkflowFiles(dir: string): Promise<WorkflowFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new CliError(`Cannot read the directory ${dir}: ${(error as Error).message}`);
  }
  const names = entries
    .filter(
      (entry) => (entry.isFile() || entry.isSymbolicLink()) && EXTENSIONS.has(path.extname(entry.name).toLowerCase()),
    )
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new CliError(`No workflow files (.json, .yaml, .yml) in ${dir}`);
  const files = await Promise.all(names.map(async (name) => ({ name, document: await readDocument(dir, name) })));
  refuseRepeatedSlugs(files);
  return files;
}

async function readDocument(dir: string, name: string): Promise<WorkflowDocument> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = name.toLowerCase().endsWith('.json') ? JSON.parse(text) : (await loadYaml()).parse(text);
  } catch (error) {
    throw new CliError(
      `${file} is not valid ${name.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (!isObject(document))
    throw new CliError(`${file} must hold one workflow document (an object), as runloom pull writes`);
  return document;
}

function refuseRepeatedSlugs(files: WorkflowFile[]): void {
  const seen = new Map<unknown, string>();
  for (const file of files) {
    const slug = file.document.slug;
    if (typeof slug !== 'string') continue;
    const other = seen.get(slug);
    if (other) throw new CliError(`${other} and ${file.name} both hold the workflow "${slug}"`);
    seen.set(slug, file.name);
  }
}

/** yaml is loaded by the commands that read or write files only: the others start faster without it. */
async function loadYaml() {
  return (await import('yaml')).default;
}

export async function serializeDocument(document: unknown, format: FileFormat): Promise<string> {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  return (await loadYaml()).stringify(document, { lineWidth: 0 });
}

/** Writes `<dir>/<slug>.<yaml|json>`; returns the file name. */
export async function writeWorkflowFile(
  dir: string,
  slug: string,
  document: unknown,
  format: FileFormat,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${slug}.${format}`;
  await writeFile(path.join(dir, name), await serializeDocument(document, format));
  return name;
}
