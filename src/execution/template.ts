/**
 * `((name))` text templates, shared by every node type whose config holds templates
 * (TextTemplateNode, FailNode, HttpRequestNode, TextGenerationNode).
 *
 * Every `((…))` with no parenthesis inside is a placeholder: there is no escape, so a template
 * never silently leaves a mistyped placeholder in its output. The name, trimmed of whitespace,
 * must match CONNECTOR_NAME because each placeholder becomes a required input connector.
 *
 * `((secrets.NAME))` is the exception: it is no connector, but the group secret NAME, looked up
 * only when the node executes (the run passes the values it resolved in `secrets`).
 */
import { cutText } from '../common/cut-text.js';
import { userCodeLimits, userCodeSandbox } from './node-services.js';
import { type ConfigProblem, type InputConnector, type NodeContext, NodeFailure } from './node-type.js';
import type { SecretValues } from './secret-values.js';
import type { TemplateJob } from './code-sandbox/sandbox-protocol.js';

/** Names of connectors a config can create (placeholders, CodeNode inputs). */
export const CONNECTOR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const PLACEHOLDER = /\(\(([^()]*)\)\)/g;
const SECRET_PREFIX = 'secrets.';
/** Every `((secrets.NAME))` in any text, e.g. a whole definition as JSON. */
const SECRET_REFERENCE = /\(\(\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\)\)/g;

interface PlaceholderMatch {
  raw: string;
  name: string;
  valid: boolean;
  /** Set for `((secrets.NAME))`: NAME. */
  secret?: string;
}

function scan(template: string): PlaceholderMatch[] {
  return [...template.matchAll(PLACEHOLDER)].map(([raw, inner]) => {
    const name = inner.trim();
    if (name.startsWith(SECRET_PREFIX)) {
      const secret = name.slice(SECRET_PREFIX.length);
      return { raw, name, valid: CONNECTOR_NAME.test(secret), secret };
    }
    return { raw, name, valid: CONNECTOR_NAME.test(name) };
  });
}

/** The distinct placeholder names across `templates`, in order of first appearance; secrets are no placeholders. */
export function placeholderNames(...templates: (string | undefined)[]): string[] {
  const names = templates.flatMap((template) =>
    template === undefined ? [] : scan(template).filter((m) => m.valid && m.secret === undefined),
  );
  return [...new Set(names.map((m) => m.name))];
}

/** The distinct secret names `((secrets.NAME))` referenced anywhere in `text`. */
export function referencedSecrets(text: string): string[] {
  return [...new Set([...text.matchAll(SECRET_REFERENCE)].map(([, name]) => name))];
}

const definitionSecrets = new WeakMap<object, readonly string[]>();

/**
 * `referencedSecrets` of a stored definition. A definition object is scanned once: the runs of one
 * workflow version share one (RunnableDefinitions), and stringifying it per run cost more than
 * executing a small run's nodes.
 */
export function secretsReferencedBy(definition: unknown): readonly string[] {
  if (typeof definition !== 'object' || definition === null) return referencedSecrets(JSON.stringify(definition) ?? '');
  let names = definitionSecrets.get(definition);
  if (!names) definitionSecrets.set(definition, (names = referencedSecrets(JSON.stringify(definition))));
  return names;
}

/** One required input connector per placeholder across `templates`. */
export function placeholderInputs(...templates: (string | undefined)[]): InputConnector[] {
  return placeholderNames(...templates).map((name) => ({
    name,
    required: true,
    description: `fills ((${name}))`,
  }));
}

/** A problem per malformed placeholder; `path` is where the template sits in the config. */
export function checkTemplate(template: string | undefined, path: string): ConfigProblem[] {
  if (template === undefined) return [];
  return scan(template)
    .filter((m) => !m.valid)
    .map((m) => ({
      path,
      message:
        `invalid placeholder ${cutText(m.raw, 40)}: a placeholder name is a letter or _ ` +
        'followed by letters, digits or _',
    }));
}

/** Strings are inserted as they are, every other value as JSON; `((secrets.NAME))` from `secrets`. */
export function renderTemplate(template: string, values: Record<string, unknown>, secrets: SecretValues = {}): string {
  return template.replace(PLACEHOLDER, (raw: string, inner: string) => {
    const name = inner.trim();
    if (name.startsWith(SECRET_PREFIX)) return secretValue(name.slice(SECRET_PREFIX.length), secrets);
    if (!CONNECTOR_NAME.test(name)) return raw;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      throw new NodeFailure(`input "${name}" has no value for ((${name}))`, 'input_missing');
    }
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  });
}

function secretValue(name: string, secrets: SecretValues): string {
  if (Object.hasOwn(secrets, name)) return secrets[name];
  throw new NodeFailure(`secret "${name}" is not set in this run's group`, 'secret_missing');
}

/** A fill longer than this (in UTF-16 code units) happens in a sandbox worker, off the event loop. */
const INLINE_FILL_LENGTH = 64 * 1024;
const FILL_TIMEOUT_MS = 5000;

/**
 * `renderTemplate` for node execution: a fill that would exceed the value limit fails with
 * `value_too_large` before any text is built (a chain of doubling templates stops there), and a
 * large fill runs in a sandbox worker. A small fill is returned at once, not as a promise, so a node
 * that only fills templates executes without a turn of the event loop.
 */
export function fillTemplate(
  template: string,
  values: Record<string, unknown>,
  ctx: Pick<NodeContext<unknown>, 'signal' | 'groupId' | 'services' | 'secrets'>,
): string | Promise<string> {
  const { maxValueBytes, maxTimeoutMs } = userCodeLimits(ctx.services);
  const secrets = ctx.secrets ?? {};
  const length = filledLength(template, values, secrets);
  // A UTF-16 code unit is at least one byte of UTF-8, so this never refuses a fill that fits.
  if (length > maxValueBytes) {
    throw new NodeFailure(
      `the filled template would be at least ${length} bytes, more than the limit of ${maxValueBytes} bytes (MAX_VALUE_BYTES)`,
      'value_too_large',
    );
  }
  if (length <= INLINE_FILL_LENGTH) return renderTemplate(template, values, secrets);
  const timeoutMs = Math.min(FILL_TIMEOUT_MS, maxTimeoutMs);
  return fillInSandbox({ kind: 'template', template, values, secrets, timeoutMs }, ctx);
}

async function fillInSandbox(
  job: TemplateJob,
  ctx: Pick<NodeContext<unknown>, 'signal' | 'groupId' | 'services'>,
): Promise<string> {
  const outcome = await userCodeSandbox(ctx.services).run(job, ctx.signal, ctx.groupId);
  if (!outcome.ok) throw new NodeFailure(outcome.message, outcome.type);
  return JSON.parse(outcome.resultJson) as string;
}

/** The length of the filled text, without building it; missing values count as nothing. */
function filledLength(template: string, values: Record<string, unknown>, secrets: SecretValues): number {
  const lengths = new Map<string, number>();
  let length = template.length;
  for (const { raw, name, valid, secret } of scan(template)) {
    if (secret !== undefined) {
      if (valid && Object.hasOwn(secrets, secret)) length += secrets[secret].length - raw.length;
      continue;
    }
    if (!valid || !Object.hasOwn(values, name)) continue;
    let inserted = lengths.get(name);
    if (inserted === undefined) {
      const value = values[name];
      inserted = typeof value === 'string' ? value.length : (JSON.stringify(value) ?? '').length;
      lengths.set(name, inserted);
    }
    length += inserted - raw.length;
  }
  return length;
}
