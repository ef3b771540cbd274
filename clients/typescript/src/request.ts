import type { paths } from './generated/openapi.js';
import type { HttpMethod, Operation, PathsWith, RequestArgs, ResponseBody } from './operations.js';
import type { Transport } from './transport.js';

interface UntypedOptions {
  path?: object;
  query?: object;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** One call of any operation of the OpenAPI document, typed by its method and path. */
export function typedRequest<M extends HttpMethod, P extends PathsWith<M> & keyof paths>(
  transport: Transport,
  method: M,
  path: P,
  ...[options]: RequestArgs<Operation<P, M>>
): Promise<ResponseBody<Operation<P, M>>> {
  const { path: pathParams, query, body, headers, signal } = (options ?? {}) as UntypedOptions;
  return transport.json({ method, path, pathParams, query, body, headers, signal });
}
