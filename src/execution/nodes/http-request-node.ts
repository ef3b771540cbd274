import { type ConfigProblem, NodeFailure } from '../node-type.js';
import { exchange } from '../http/http-exchange.js';
import { withClientSpan } from '../node-services.js';
import { checkTemplate, fillTemplate, placeholderInputs } from '../template.js';
import { defineNodeType, templateProperty } from './define-node-type.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const MAX_HTTP_TIMEOUT_MS = 120_000;
const DEFAULT_IDEMPOTENCY_HEADER = 'Idempotency-Key';

export type HttpRequestNodeConfig = {
  method?: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeout_ms?: number;
  fail_on_error_status?: boolean;
  /** The header carrying `ctx.idempotencyKey`; null sends none. */
  idempotency_header?: string | null;
};

// RFC 9110 token characters.
const HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

export const HttpRequestNode = defineNodeType<HttpRequestNodeConfig>({
  type: 'HttpRequestNode',
  description:
    'Sends an HTTP request built from templates. Loopback, private and link-local addresses are ' +
    'refused unless the server allows them (OUTBOUND_ALLOW_PRIVATE). Sends an Idempotency-Key header ' +
    "whose value is the same whenever this node's call is made again (its retries, a resumed or " +
    'retried run), so the receiver can deduplicate; idempotency_header renames it or turns it off.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      method: { type: 'string', enum: [...HTTP_METHODS], default: 'GET', description: 'HTTP method.' },
      url: {
        type: 'string',
        minLength: 1,
        maxLength: 8192,
        description: 'http:// or https:// URL, a template: ((name)) placeholders are filled from inputs.',
      },
      headers: {
        type: 'object',
        maxProperties: 100,
        propertyNames: { pattern: HEADER_NAME },
        additionalProperties: { type: 'string', maxLength: 8192 },
        description: 'Request headers; each value is a template.',
      },
      body: templateProperty('Request body, a template (not allowed with GET or HEAD).'),
      timeout_ms: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_HTTP_TIMEOUT_MS,
        default: 30_000,
        description: 'Fails the node when the whole exchange takes longer, in milliseconds.',
      },
      fail_on_error_status: {
        type: 'boolean',
        default: false,
        description: 'Fail the node on a 4xx or 5xx status instead of outputting it.',
      },
      idempotency_header: {
        type: ['string', 'null'],
        pattern: HEADER_NAME,
        maxLength: 256,
        default: DEFAULT_IDEMPOTENCY_HEADER,
        description:
          "The header carrying the node's idempotency key (64 hex characters, the same for every " +
          'execution of this call: retries, resumed and retried runs); null sends none. A header of ' +
          'the same name (any case) in headers is sent instead.',
      },
    },
  },
  catalogConfig: { url: 'https://example.com' },
  connectorsFromConfig: 'one required input per ((placeholder)) across url, header values and body',
  inputs: (config) => placeholderInputs(config.url, ...Object.values(config.headers ?? {}), config.body),
  outputs: () => [
    { name: 'status', description: 'the response status code' },
    { name: 'headers', description: 'the response headers, names in lower case' },
    { name: 'body', description: 'the response body: parsed when JSON, else text' },
  ],
  checkConfig(config) {
    const problems: ConfigProblem[] = [
      ...checkTemplate(config.url, 'url'),
      ...Object.entries(config.headers ?? {}).flatMap(([name, value]) =>
        checkTemplate(value, `headers[${JSON.stringify(name)}]`),
      ),
      ...checkTemplate(config.body, 'body'),
    ];
    // A URL that starts with a placeholder gets its scheme at run time.
    if (!config.url.startsWith('((') && !/^https?:\/\//i.test(config.url)) {
      problems.push({ path: 'url', message: 'must start with http:// or https://' });
    }
    const method = config.method ?? 'GET';
    if (config.body !== undefined && (method === 'GET' || method === 'HEAD')) {
      problems.push({ path: 'body', message: `is not allowed with method ${method}` });
    }
    return problems;
  },
  hasExternalEffects: true,
  async execute(inputs, ctx) {
    const { config } = ctx;
    const policy = ctx.services?.outbound ?? { allowPrivate: false };
    const fill = (template: string) => fillTemplate(template, inputs, ctx);
    const headers = await Promise.all(
      Object.entries(config.headers ?? {}).map(async ([name, value]) => [name, await fill(value)] as const),
    );
    const request = {
      method: config.method ?? 'GET',
      url: await fill(config.url),
      headers: withIdempotencyKey(Object.fromEntries(headers), config.idempotency_header, ctx.idempotencyKey),
      body: config.body === undefined ? undefined : await fill(config.body),
      timeoutMs: config.timeout_ms ?? 30_000,
    };
    const result = await withClientSpan(
      ctx.services,
      ctx.nodeId,
      `HTTP ${request.method}`,
      { 'http.request.method': request.method, 'url.full': request.url },
      () => exchange(request, policy, ctx.signal),
      (response) => response.status,
    );
    if (config.fail_on_error_status && result.status >= 400) {
      // The whole body: the engine masks the run's secrets in it before it cuts the message.
      throw new NodeFailure(`HTTP ${result.status}: ${result.text}`, 'http_status');
    }
    return { status: result.status, headers: result.headers, body: result.body };
  },
});

/**
 * Adds the idempotency key under `header` (default Idempotency-Key; null: none), unless the user
 * set that header in `headers`: a key of their own (an order id, say) is what they mean to send.
 */
function withIdempotencyKey(
  headers: Record<string, string>,
  header: string | null | undefined,
  key: string,
): Record<string, string> {
  const name = header === undefined ? DEFAULT_IDEMPOTENCY_HEADER : header;
  if (name === null) return headers;
  const lower = name.toLowerCase();
  if (Object.keys(headers).some((existing) => existing.toLowerCase() === lower)) return headers;
  return { ...headers, [name]: key };
}
