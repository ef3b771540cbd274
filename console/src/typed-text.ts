/**
 * Values typed into a form, in the InputNode's type names: `str`, `int`, `float`, `bool`, and
 * JSON for `dict`, `list` and `any`.
 */
const JSON_TYPES = new Set(['dict', 'list', 'any']);

export const isJsonType = (type: string): boolean => JSON_TYPES.has(type);

/** The typed value of a field's text; undefined for an empty field, which is left out. */
export function parseTypedText(label: string, type: string, text: string): unknown {
  if (text === '') return undefined;
  switch (type) {
    case 'str':
      return text;
    case 'int':
    case 'float':
      return Number(text);
    case 'bool':
      return text === 'true';
    default:
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${label}: not valid JSON`);
      }
  }
}
