/** How a masked secret starts (`[secret:NAME]`, see execution/secret-redactor.ts). */
export const SECRET_MASK_START = '[secret:';
const ELLIPSIS = '...';

/**
 * `text` in at most `maxLength` UTF-16 code units, ending in "..." when cut. The cut never splits
 * a `[secret:NAME]` mask (it keeps all of one or none) nor a surrogate pair, half of which
 * PostgreSQL refuses in jsonb. Text that may hold a secret is masked before it gets here
 * (SecretRedactor.shorten): cut first, a secret could be left in part, beyond masking's reach.
 */
export function cutText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = Math.max(maxLength - ELLIPSIS.length, 0);
  const mask = end > 0 ? text.lastIndexOf(SECRET_MASK_START, end - 1) : -1;
  if (mask !== -1) {
    const close = text.indexOf(']', mask);
    if (close === -1 || close >= end) end = mask;
  }
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
