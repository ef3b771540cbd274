/**
 * Types that turn the generated `paths` into the signature of `Runloom.request`: which paths take a
 * method, which path/query parameters and body an operation needs, what its success answer is.
 */
import type { paths } from './generated/openapi.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The paths that have an operation for `method`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends Record<Lowercase<M>, object> ? P : never;
}[keyof paths];

export type Operation<P extends keyof paths, M extends HttpMethod> =
  paths[P] extends Record<Lowercase<M>, infer Op> ? Op : never;

type PathOption<Op> = Op extends { parameters: { path: infer Path } } ? { path: Path } : { path?: never };

type QueryOption<Op> = Op extends { parameters: { query?: infer Query } }
  ? [NonNullable<Query>] extends [never]
    ? { query?: never }
    : Op extends { parameters: { query: object } }
      ? { query: NonNullable<Query> }
      : { query?: NonNullable<Query> }
  : { query?: never };

type JsonBody<Op> = Op extends { requestBody?: infer Body }
  ? [NonNullable<Body>] extends [never]
    ? never
    : NonNullable<Body> extends { content: { 'application/json': infer Json } }
      ? Json
      : never
  : never;

type BodyOption<Op> = [JsonBody<Op>] extends [never]
  ? { body?: never }
  : Op extends { requestBody: object }
    ? { body: JsonBody<Op> }
    : { body?: JsonBody<Op> };

export interface CommonRequestOptions {
  /** Extra headers (`Idempotency-Key`, `If-Match`, `traceparent`, …). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type RequestOptions<Op> = PathOption<Op> & QueryOption<Op> & BodyOption<Op> & CommonRequestOptions;

/** `[options]` when every option may be left out, `[options]` required otherwise. */
export type RequestArgs<Op> =
  object extends RequestOptions<Op> ? [options?: RequestOptions<Op>] : [options: RequestOptions<Op>];

type SuccessStatus = 200 | 201 | 202 | 204;

type SuccessBody<Response> = Response extends { content: { 'application/json': infer Json } }
  ? Json
  : Response extends { content: { 'text/event-stream': unknown } }
    ? string
    : undefined;

/** The JSON body of any of the operation's 2xx answers (`undefined` for 204). */
export type ResponseBody<Op> = Op extends { responses: infer Responses }
  ? {
      [Status in keyof Responses]: Status extends SuccessStatus ? SuccessBody<Responses[Status]> : never;
    }[keyof Responses]
  : never;
