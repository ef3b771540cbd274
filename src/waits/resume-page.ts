import type { JsonSchema } from '../execution/node-type.js';

/** The page posts to its own URL with its one inline script; nothing else loads. */
export const RESUME_PAGE_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'";

/** A resume link's page: the signal awaited, its schema, a JSON payload to edit and send once. */
export function resumePage(wait: { name: string; schema?: JsonSchema; waitingUntil: Date | null }): string {
  const until = wait.waitingUntil ? `<p>The link works until ${escape(wait.waitingUntil.toISOString())}.</p>` : '';
  const schema = wait.schema
    ? `<p>The payload must match this JSON Schema:</p><pre>${escape(JSON.stringify(wait.schema, null, 2))}</pre>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>Send "${escape(wait.name)}"</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
textarea{width:100%;font:14px monospace}pre{background:#f4f4f4;padding:.5rem;overflow:auto}</style></head>
<body><h1>A run waits for "${escape(wait.name)}"</h1>${until}${schema}
<label for="payload">Payload (JSON)</label>
<textarea id="payload" rows="8">${escape(JSON.stringify(exampleOf(wait.schema), null, 2))}</textarea>
<p><button id="send">Send</button></p><p id="result" role="status"></p>
<script>
document.getElementById('send').onclick = async function () {
  var result = document.getElementById('result');
  var payload;
  try { payload = JSON.parse(document.getElementById('payload').value); }
  catch (e) { result.textContent = 'The payload is not JSON: ' + e.message; return; }
  this.disabled = true;
  var answer = await fetch(location.pathname, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ payload: payload }) });
  var body = await answer.json().catch(function () { return {}; });
  result.textContent = answer.status === 202 ? 'Sent. The run goes on.' : (body.detail || ('Refused: ' + answer.status));
  if (answer.status === 422) this.disabled = false;
};
</script></body></html>`;
}

/** A starting payload for the form: an object with the schema's required properties, or null. */
function exampleOf(schema: JsonSchema | undefined): unknown {
  if (!schema || schema.type !== 'object') return null;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.fromEntries(required.map((name) => [name, null]));
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
