import { existsSync, statSync } from 'node:fs';
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

/** Hashed assets never change under their name; public files (the favicon) may, with a new build. */
const CACHE = {
  hashed: 'public, max-age=31536000, immutable',
  public: 'public, max-age=86400',
  page: 'no-cache',
} as const;

/** The copies `npm run build:console` writes beside each file (scripts/compress-console.ts), best first. */
const ENCODINGS = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const;

function securityHeaders(_: Request, response: Response, next: NextFunction): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/**
 * Sends `file` as its pre-compressed copy when the browser accepts one (brotli before gzip), else
 * as it is; the type is the original file's either way.
 */
function sendBuilt(request: Request, response: Response, file: string, cacheControl: string): void {
  const encoding = ENCODINGS.find(
    ({ name, extension }) => request.acceptsEncodings(name) === name && existsSync(file + extension),
  );
  response.setHeader('Vary', 'Accept-Encoding');
  response.setHeader('Cache-Control', cacheControl);
  response.type(path.extname(file));
  if (encoding) response.setHeader('Content-Encoding', encoding.name);
  // cacheControl: false keeps the Cache-Control set above.
  response.sendFile(encoding ? file + encoding.extension : file, { cacheControl: false, dotfiles: 'deny' });
}

/** The built file a request path names, if one exists inside `dir` (never a directory, never outside). */
function builtFile(dir: string, requestPath: string): string | undefined {
  let file: string;
  try {
    file = path.join(dir, decodeURIComponent(requestPath));
  } catch {
    return undefined; // not valid percent-encoding: no file has that name
  }
  if (!file.startsWith(dir + path.sep) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return file;
}

/**
 * Serves the browser console at /console: hashed assets cached for a year, files of console/public
 * (the favicon) for a day, all pre-compressed where the build compressed them; index.html for every
 * other GET under /console so that its client-side routes (/console/runs/{id}) load directly; and
 * the favicon at /favicon.ico too, which browsers ask for on any page (Swagger UI's included).
 */
export function serveConsole(app: NestExpressApplication, dir = CONSOLE_DIR): void {
  const index = path.join(dir, 'index.html');
  app.use('/favicon.ico', (request: Request, response: Response, next: NextFunction) => {
    const favicon = path.join(dir, 'favicon.svg');
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !existsSync(favicon)) return next();
    sendBuilt(request, response, favicon, CACHE.public);
  });
  app.use('/console', securityHeaders);
  app.use('/console', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const file = request.path === '/index.html' ? undefined : builtFile(dir, request.path);
    const hashed = request.path.startsWith('/assets/');
    if (file) return sendBuilt(request, response, file, hashed ? CACHE.hashed : CACHE.public);
    if (hashed) return next(new Problem(404, 'not-found', 'Not Found'));
    if (!existsSync(index)) {
      return next(
        new Problem(503, 'console-not-built', 'Service Unavailable', 'The console is not built: run npm run build.'),
      );
    }
    sendBuilt(request, response, index, CACHE.page);
  });
}
