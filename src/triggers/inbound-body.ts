import typeis from 'type-is';
import { Problem } from '../common/problem.js';

/**
 * A delivery's body as its input mapping sees it, read from the raw bytes the signature covers:
 * JSON parsed, a form as an object (a repeated field as an array), anything else as text.
 */
export function parseInboundBody(rawBody: Buffer, contentType: string | undefined): unknown {
  if (rawBody.length === 0) return null;
  const text = rawBody.toString('utf8');
  // typeis.is answers the matching type itself (application/vnd.api+json), not the pattern it matched.
  if (contentType && typeis.is(contentType, ['json', '+json'])) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Problem(400, 'malformed-json', 'Bad Request', 'The request body is not valid JSON.');
    }
  }
  if (contentType && typeis.is(contentType, ['urlencoded'])) return formFields(text);
  return text;
}

function formFields(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = fields[name];
    if (seen === undefined) fields[name] = value;
    else fields[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/** Headers as a mapping reads them: lower-case names, repeated ones joined as Node joins them. */
export function mappingHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
