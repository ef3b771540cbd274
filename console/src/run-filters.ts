import { RUN_STATUSES, type RunStatus } from './types';

/** Filters of the runs search taking one id each (GET /v1/runs and POST /v1/runs/stop). */
export const ID_FILTERS = ['workflow_id', 'schedule_id', 'parent_run_id', 'root_run_id', 'retry_of'] as const;
/** Filters of the runs search taking an ISO-8601 time. */
export const TIME_FILTERS = ['created_after', 'created_before', 'finished_after', 'finished_before'] as const;

export type IdFilter = (typeof ID_FILTERS)[number];
export type TimeFilter = (typeof TIME_FILTERS)[number];

/**
 * What the runs page searches for. Its URL query has the API's own names (`status` repeated,
 * `metadata.<key>=<value>`), so a filtered view is a link to share and the same query goes to
 * GET /v1/runs.
 */
export type RunFilters = {
  status: RunStatus[];
  metadata: Record<string, string>;
} & Partial<Record<IdFilter | TimeFilter, string>>;

export const NO_FILTERS: RunFilters = { status: [], metadata: {} };

/** A page of the search, newest first. */
export const PAGE_LIMIT = 50;

const METADATA_PREFIX = 'metadata.';
const SINGLE_FILTERS = [...ID_FILTERS, ...TIME_FILTERS];

/** The filters a URL query gives; unknown statuses and empty values are left out. */
export function filtersFromQuery(search: string): RunFilters {
  const params = new URLSearchParams(search);
  const named = new Set(params.getAll('status').flatMap((value) => value.split(',')));
  const filters: RunFilters = { status: RUN_STATUSES.filter((status) => named.has(status)), metadata: {} };
  for (const name of SINGLE_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  for (const [name, value] of params) {
    if (name.startsWith(METADATA_PREFIX) && name.length > METADATA_PREFIX.length) {
      filters.metadata[name.slice(METADATA_PREFIX.length)] = value;
    }
  }
  return filters;
}

/** The URL query of the filters (without `?`), in a fixed order: the same filters give the same link. */
export function queryFromFilters(filters: RunFilters): string {
  const params = new URLSearchParams();
  for (const status of RUN_STATUSES.filter((status) => filters.status.includes(status)))
    params.append('status', status);
  for (const name of SINGLE_FILTERS) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  for (const [key, value] of Object.entries(filters.metadata)) params.append(METADATA_PREFIX + key, value);
  return params.toString();
}

export function hasFilter(filters: RunFilters): boolean {
  return queryFromFilters(filters) !== '';
}

/** GET /v1/runs for the filters: the first page, or the one after `cursor`. */
export function searchPath(filters: RunFilters, cursor?: string): string {
  const params = new URLSearchParams(queryFromFilters(filters));
  params.set('limit', String(PAGE_LIMIT));
  if (cursor) params.set('cursor', cursor);
  return `/v1/runs?${params}`;
}

/** The body of POST /v1/runs/stop: the same filters as JSON (`status` an array, `metadata` an object). */
export function stopBody(filters: RunFilters): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (filters.status.length) body.status = filters.status;
  for (const name of SINGLE_FILTERS) if (filters[name]) body[name] = filters[name];
  if (Object.keys(filters.metadata).length) body.metadata = filters.metadata;
  return body;
}

/** A time filter (ISO-8601) as a `datetime-local` input shows it: the browser's local time. */
export function localInputFromIso(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = date.getSeconds() ? `:${pad(date.getSeconds())}` : '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`;
}

/** A `datetime-local` input's value (local time) as the ISO-8601 instant the API takes; undefined when empty. */
export function isoFromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
