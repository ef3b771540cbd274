import { useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage } from '../api';
import { loadAllWorkflows } from '../all-workflows';
import { BulkStop } from '../components/BulkStop';
import { RunFiltersForm } from '../components/RunFiltersForm';
import { RunsTable } from '../components/RunsTable';
import { ErrorAlert } from '../components/common';
import { useLoad } from '../hooks';
import { filtersFromQuery, hasFilter, queryFromFilters, searchPath, type RunFilters } from '../run-filters';
import { navigate, useQuery } from '../router';
import type { CursorPage, Run } from '../types';

interface Found {
  items: Run[];
  nextCursor: string | null;
  loading: boolean;
  error?: string;
}

/** The runs the filters find, newest first, a page at a time: `loadMore` follows `next_cursor`. */
function useRunSearch(filters: RunFilters) {
  const [found, setFound] = useState<Found>({ items: [], nextCursor: null, loading: true });
  const [generation, setGeneration] = useState(0);
  // Which search a page answers: a page that arrives after the filters changed (or a reload) is dropped.
  const search = useRef(0);
  useEffect(() => {
    const controller = new AbortController();
    search.current += 1;
    setFound({ items: [], nextCursor: null, loading: true });
    api.get<CursorPage<Run>>(searchPath(filters), controller.signal).then(
      (page) =>
        !controller.signal.aborted && setFound({ items: page.items, nextCursor: page.next_cursor, loading: false }),
      (error: unknown) =>
        !controller.signal.aborted &&
        setFound({ items: [], nextCursor: null, loading: false, error: errorMessage(error) }),
    );
    return () => controller.abort();
  }, [filters, generation]);

  const loadMore = async () => {
    if (!found.nextCursor) return;
    const searching = search.current;
    setFound((current) => ({ ...current, loading: true, error: undefined }));
    try {
      const page = await api.get<CursorPage<Run>>(searchPath(filters, found.nextCursor));
      if (searching !== search.current) return;
      setFound((current) => ({
        items: [...current.items, ...page.items],
        nextCursor: page.next_cursor,
        loading: false,
      }));
    } catch (error) {
      if (searching === search.current)
        setFound((current) => ({ ...current, loading: false, error: errorMessage(error) }));
    }
  };

  return { ...found, loadMore, reload: () => setGeneration((g) => g + 1) };
}

/**
 * Every run of the group, across workflows, filtered by what the address's query says (so a
 * filtered view can be shared or reloaded), with a bulk stop of the live runs it matches.
 */
export function RunsPage() {
  const query = useQuery();
  const filters = useMemo(() => filtersFromQuery(query), [query]);
  const workflows = useLoad(loadAllWorkflows, []);
  const names = useMemo(
    () => new Map(workflows.data?.items.map((workflow) => [workflow.id, workflow.name])),
    [workflows.data],
  );
  const runs = useRunSearch(filters);
  const apply = (next: RunFilters) => {
    const nextQuery = queryFromFilters(next);
    // The same search again looks for new runs.
    if (nextQuery === query.replace(/^\?/, '')) runs.reload();
    else navigate(nextQuery ? `/runs?${nextQuery}` : '/runs');
  };

  return (
    <main>
      <h1>Runs</h1>
      <p className="hint">Every workflow’s runs in this group, newest first.</p>
      {/* Keyed by the search: a new address gives a form and a stop button that start from it. */}
      <RunFiltersForm
        key={`filters${query}`}
        applied={filters}
        workflows={workflows.data?.items ?? []}
        onApply={apply}
      />
      <ErrorAlert message={workflows.error && `Workflows: ${workflows.error}`} />
      <BulkStop key={`stop${query}`} filters={filters} onStopped={runs.reload} />
      <ErrorAlert message={runs.error} />
      {runs.items.length === 0 && runs.loading && <p>Loading…</p>}
      {(runs.items.length > 0 || !(runs.loading || runs.error)) && (
        <RunsTable
          runs={runs.items}
          caption={`${runs.items.length} run${runs.items.length === 1 ? '' : 's'}${runs.nextCursor ? ' (more to load)' : ''}`}
          workflowNames={names}
          empty={hasFilter(filters) ? 'No run matches these filters.' : 'No runs yet.'}
        />
      )}
      {runs.nextCursor && (
        <button type="button" onClick={runs.loadMore} disabled={runs.loading}>
          {runs.loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </main>
  );
}
