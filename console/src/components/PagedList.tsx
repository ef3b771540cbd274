import { useState } from 'react';
import { api } from '../api';
import { useLoad, type Loaded } from '../hooks';
import type { Page } from '../types';

const PAGE_SIZE = 50;

/** One page of a `page`/`page_size` list of the API (`path` without them), and a way to turn it. */
export function usePagedList<T>(path: string): Loaded<Page<T>> & { setPage: (page: number) => void } {
  const [page, setPage] = useState(1);
  const separator = path.includes('?') ? '&' : '?';
  const loaded = useLoad(
    (signal) => api.get<Page<T>>(`${path}${separator}page=${page}&page_size=${PAGE_SIZE}`, signal),
    [path, page],
  );
  return { ...loaded, setPage };
}

/** Previous and Next under a list that has more than a page. */
export function PageButtons({
  list,
  label,
}: {
  list: Loaded<Page<unknown>> & { setPage: (page: number) => void };
  label: string;
}) {
  if (!list.data || list.data.total <= list.data.page_size) return null;
  const { page, page_size: size, total } = list.data;
  const last = Math.ceil(total / size);
  return (
    <nav className="toolbar" aria-label={`${label} pages`}>
      <button type="button" disabled={page <= 1} onClick={() => list.setPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {last}
      </span>
      <button type="button" disabled={page >= last} onClick={() => list.setPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
