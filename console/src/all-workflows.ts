import { api } from './api';
import type { Page, Workflow } from './types';

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

/** Every workflow of the group (up to 2,000, newest first), for the selects that offer them. */
export async function loadAllWorkflows(signal: AbortSignal): Promise<{ items: Workflow[]; total: number }> {
  const items: Workflow[] = [];
  let total = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await api.get<Page<Workflow>>(`/v1/workflows?page=${page}&page_size=${PAGE_SIZE}`, signal);
    items.push(...answer.items);
    total = answer.total;
    if (items.length >= total || answer.items.length < PAGE_SIZE) break;
  }
  return { items, total };
}
