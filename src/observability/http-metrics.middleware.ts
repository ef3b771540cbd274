import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/** Counts every request by its route pattern (e.g. `/v1/runs/:run_id`), never by its raw path. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = performance.now();
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      const pattern = route ? `${request.baseUrl}${route}` : 'unmatched';
      this.metrics.httpRequest(request.method, pattern, response.statusCode, performance.now() - started);
    });
    next();
  }
}
