/**
 * `((name))` text templates, shared by every node type whose config holds templates
 * (TextTemplateNode, FailNode, HttpRequestNode, TextGenerationNode).
 *
 * Every `((…))` with no parenthesis inside is a placeholder: there is no escape, so a template
 * never silently leaves a mistyped placeholder in its output. The name, trimmed of whitespace,
 * must match CONNECTOR_NAME because each placeholder becomes a required input connector.
 */
import { type ConfigProblem, type InputConnector, NodeFailure } from './node-type.js';

/** Names of connectors a config can create (placeholders, CodeNode inputs). */
export const CONNECTOR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const PLACEHOLDER = /\(\(([^()]*)\)\)/g;

interface PlaceholderMatch {
  raw: string;
  name: string;
  valid: boolean;
}

function scan(template: string): PlaceholderMatch[] {
  return [...template.matchAll(PLACEHOLDER)].map(([raw, inner]) => {
    const name = inner.trim();
    return { raw, name, valid: CONNECTOR_NAME.test(name) };
  });
}

/** The distinct placeholder names across `templates`, in order of first appearance. */
export function placeholderNames(...templates: (string | undefined)[]): string[] {
  const names = templates.flatMap((template) => (template === undefined ? [] : scan(template).filter((m) => m.valid)));
  return [...new Set(names.map((m) => m.name))];
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
        `invalid placeholder ${shorten(m.raw)}: a placeholder name is a letter or _ ` +
        'followed by letters, digits or _',
    }));
}

/** Strings are inserted as they are, every other value as JSON. */
export function renderTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (raw: string, inner: string) => {
    const name = inner.trim();
    if (!CONNECTOR_NAME.test(name)) return raw;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      throw new NodeFailure(`input "${name}" has no value for ((${name}))`, 'input_missing');
    }
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  });
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
