/** Where resume links of waiting SignalNodes are answered (waits/resume.controller.ts): `/v1/resume/{token}`. */
export const RESUME_PATH = '/v1/resume';

const RESUME_TOKEN = new RegExp(`^(${RESUME_PATH}/)[^/?#]+`);

/** A request path (or URL) as logs show it: a resume link's token is a credential, so it is masked. */
export function loggedPath(path: string): string {
  return path.replace(RESUME_TOKEN, '$1[redacted]');
}
