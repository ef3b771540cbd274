import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Problem } from '../common/problem.js';

/** Where `npm run build` puts the console (Vite's output); this file sits two levels below the root in src/ and dist/. */
export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/console-app');

/** Scripts and styles come only from the app itself; the API key never leaves for another origin. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React Flow positions nodes with style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(_: Request, response: Response, next: NextFunction): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/**
 * Serves the browser console at /console: hashed assets cached for a year, and index.html for
 * every other GET under /console so that its client-side routes (/console/runs/{id}) load directly.
 */
export function serveConsole(app: NestExpressApplication, dir = CONSOLE_DIR): void {
  const index = path.join(dir, 'index.html');
  app.use('/console', securityHeaders);
  app.useStaticAssets(path.join(dir, 'assets'), { prefix: '/console/assets', immutable: true, maxAge: '1y' });
  app.use('/console', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path.startsWith('/assets/')) return next(new Problem(404, 'not-found', 'Not Found'));
    if (!existsSync(index)) {
      return next(
        new Problem(503, 'console-not-built', 'Service Unavailable', 'The console is not built: run npm run build.'),
      );
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
