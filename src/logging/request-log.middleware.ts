import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { loggedPath } from '../common/logged-path.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request its id (the client's `X-Request-Id` when well-formed), answered in
 * `X-Request-Id` and in problem+json's `request_id`, and logs each request once answered, at `info`
 * (health probes aside). The line is built only when `info` is enabled.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    request.id = id;
    response.setHeader('X-Request-Id', id);
    const logger = PinoLogger.root;
    if (logger.isLevelEnabled('info') && !request.originalUrl.startsWith('/health')) {
      const started = performance.now();
      response.once('close', () => {
        const line = {
          req: {
            id,
            method: request.method,
            url: loggedPath(request.originalUrl),
            headers: { 'x-api-key': request.headers['x-api-key'], 'user-agent': request.headers['user-agent'] },
          },
          res: { statusCode: response.statusCode },
          responseTime: Math.round(performance.now() - started),
        };
        logger.info(line, response.writableFinished ? 'request completed' : 'request aborted');
      });
    }
    next();
  }
}
