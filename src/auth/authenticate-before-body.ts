import type { NextFunction, Request, Response } from 'express';
import { requestHasBody } from '../common/body-deadline.js';
import type { ApiKeyGuard } from './api-key.guard.js';

/**
 * Checks the API key of every `/v1` request from its headers alone, before the body parser reads
 * a byte: a request without a valid key is answered 401 (or 429) at once, whatever body it is
 * still sending, and the connection is closed rather than drained. The guard then authorises the
 * caller found here (`request.caller`). Paths under `keyless` take no key (resume links: the link is
 * the credential).
 */
export function authenticateBeforeBody(guard: ApiKeyGuard, keyless: string[] = []) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!request.path.startsWith('/v1/') || keyless.some((path) => request.path.startsWith(`${path}/`))) return next();
    guard.authenticate(request).then(
      (caller) => {
        request.caller = caller;
        next();
      },
      (error: unknown) => {
        if (requestHasBody(request) && !request.complete) response.setHeader('Connection', 'close');
        next(error);
      },
    );
  };
}
