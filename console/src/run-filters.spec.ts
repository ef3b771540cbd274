import { describe, expect, it } from '@jest/globals';
import {
  filtersFromQuery,
  hasFilter,
  isoFromLocalInput,
  localInputFromIso,
  NO_FILTERS,
  queryFromFilters,
  searchPath,
  stopBody,
  type RunFilters,
} from './run-filters';

const WORKFLOW = '0b7c6a52-7d1e-4c4b-9a55-2f1f0e3c9d10';

describe('run filters', () => {
  it('read the URL query in the API’s names: status repeated or comma-separated, metadata.<key>', () => {
    expect(
      filtersFromQuery(
        `?status=failed,stopped&status=running&workflow_id=${WORKFLOW}&created_after=2026-12-01T10:00:00.000Z` +
          '&metadata.customer=acme&metadata.region=eu%3Dwest&retry_of=&status=nonsense&limit=7',
      ),
    ).toEqual({
      status: ['running', 'failed', 'stopped'],
      workflow_id: WORKFLOW,
      created_after: '2026-12-01T10:00:00.000Z',
      metadata: { customer: 'acme', region: 'eu=west' },
    });
    expect(filtersFromQuery('')).toEqual(NO_FILTERS);
  });

  it('write a query that reads back the same, in one order whatever order they were set in', () => {
    const filters: RunFilters = {
      metadata: { customer: 'a&b', 'tier.level': 'gold' },
      root_run_id: 'r1',
      status: ['stopped', 'failed'],
      finished_before: '2026-12-02T00:00:00.000Z',
    };
    const query = queryFromFilters(filters);
    expect(query).toBe(
      'status=failed&status=stopped&root_run_id=r1&finished_before=2026-12-02T00%3A00%3A00.000Z' +
        '&metadata.customer=a%26b&metadata.tier.level=gold',
    );
    expect(filtersFromQuery(query)).toEqual({ ...filters, status: ['failed', 'stopped'] });
    expect(queryFromFilters(NO_FILTERS)).toBe('');
  });

  it('know whether anything is filtered (bulk stop needs a filter)', () => {
    expect(hasFilter(NO_FILTERS)).toBe(false);
    expect(hasFilter({ ...NO_FILTERS, status: ['running'] })).toBe(true);
    expect(hasFilter({ ...NO_FILTERS, metadata: { customer: 'acme' } })).toBe(true);
    expect(hasFilter({ ...NO_FILTERS, schedule_id: 's' })).toBe(true);
  });

  it('ask the API for 50 runs a page, after the cursor when loading more', () => {
    const filters: RunFilters = { ...NO_FILTERS, status: ['failed'], metadata: { customer: 'acme' } };
    expect(searchPath(NO_FILTERS)).toBe('/v1/runs?limit=50');
    expect(searchPath(filters)).toBe('/v1/runs?status=failed&metadata.customer=acme&limit=50');
    expect(searchPath(filters, 'abc+/=')).toBe(
      '/v1/runs?status=failed&metadata.customer=acme&limit=50&cursor=abc%2B%2F%3D',
    );
  });

  it('send the same filters as the bulk stop’s JSON body, with nothing that was not chosen', () => {
    expect(
      stopBody({ status: ['running', 'waiting'], metadata: { customer: 'acme' }, workflow_id: WORKFLOW, retry_of: '' }),
    ).toEqual({ status: ['running', 'waiting'], workflow_id: WORKFLOW, metadata: { customer: 'acme' } });
    expect(stopBody(NO_FILTERS)).toEqual({});
  });

  it('show a time filter as local time in a datetime-local input and read it back as an instant', () => {
    const iso = '2026-12-01T10:30:00.000Z';
    const local = localInputFromIso(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(isoFromLocalInput(local)).toBe(iso);
    expect(isoFromLocalInput(localInputFromIso('2026-12-01T10:30:15.000Z'))).toBe('2026-12-01T10:30:15.000Z');
    expect(localInputFromIso(undefined)).toBe('');
    expect(localInputFromIso('not a time')).toBe('');
    expect(isoFromLocalInput('')).toBeUndefined();
  });
});
