/** The SECRETS_KEY format: 32 bytes (AES-256) as 64 hex digits or as base64 (e.g. `openssl rand -base64 32`). */
export const SECRETS_KEY_BYTES = 32;

export function parseSecretsKey(raw: string): Buffer | undefined {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  return key.length === SECRETS_KEY_BYTES ? key : undefined;
}
