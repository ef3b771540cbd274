/** Where resume links of waiting SignalNodes are answered (waits/resume.controller.ts): `/v1/resume/{token}`. */
export const RESUME_PATH = '/v1/resume';

/** Where webhook triggers take deliveries (triggers/hooks.controller.ts): `/v1/hooks/{token}`. */
export const HOOKS_PATH = '/v1/hooks';

const CREDENTIAL_PATHS = new RegExp(`^(${RESUME_PATH}/|${HOOKS_PATH}/)[^/?#]+`);

/** A request path (or URL) as logs show it: resume links' and hook URLs' tokens are credentials, so they are masked. */
export function loggedPath(path: string): string {
  return path.replace(CREDENTIAL_PATHS, '$1[redacted]');
}
