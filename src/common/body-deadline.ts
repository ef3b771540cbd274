import type { NextFunction, Request, Response } from 'express';
import { Problem } from './problem.js';
import { writeProblem } from './problem.filter.js';

export function requestHasBody(request: Request): boolean {
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * A request body must have arrived `timeoutMs` after reading began, else the client gets 408 and
 * the connection is closed: a client trickling a body cannot hold a connection and a parser for
 * minutes. (The body parser itself would wait for the whole body even after failing.)
 */
export function bodyDeadline(timeoutMs: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!requestHasBody(request)) return next();
    const timer = setTimeout(() => {
      if (request.complete || response.headersSent) return;
      response.setHeader('Connection', 'close');
      response.once('finish', () => request.socket.destroy());
      writeProblem(
        request,
        response,
        new Problem(
          408,
          'request-timeout',
          'Request Timeout',
          `The request body did not arrive within ${timeoutMs} ms.`,
        ),
      );
    }, timeoutMs);
    const done = () => clearTimeout(timer);
    request.once('end', done);
    response.once('close', done);
    next();
  };
}
