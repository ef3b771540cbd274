import { createHash, randomBytes } from 'node:crypto';
import { HOOKS_PATH } from '../common/logged-path.js';

/** 192 random bits, URL-safe: a hook URL cannot be guessed, and only its hash is stored. */
export function newTriggerToken(): string {
  return `rlh_${randomBytes(24).toString('base64url')}`;
}

export function hashTriggerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The URL a sender posts to: absolute under PUBLIC_URL when set, else a path on this API. */
export function triggerUrl(publicUrl: string | undefined, token: string): string {
  return `${publicUrl ?? ''}${HOOKS_PATH}/${token}`;
}
