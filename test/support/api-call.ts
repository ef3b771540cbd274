import { ADMIN_KEY } from './test-app.js';

/** One JSON request to a server process, its status and parsed body. */
export async function call(base: string, method: string, path: string, body?: unknown, key = ADMIN_KEY) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}
