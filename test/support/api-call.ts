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

/** `call` on the server at `base()` that keeps the text of every answer in `seen`, to search it afterwards. */
export function recordingApi(base: () => string) {
  const seen: string[] = [];
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(base(), method, path, body);
    seen.push(res.text);
    return res;
  };
  return { seen, api };
}
