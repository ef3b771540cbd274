/** A webhook trigger as the API shows it; `url` and `secret` only in the answers that make them. */
export interface Trigger {
  id: string;
  workflow_id: string;
  name: string;
  mode: 'sync' | 'async';
  enabled: boolean;
  input_mapping: string;
  verification: { type: string; tolerance_seconds?: number };
  last_delivery_at: string | null;
  url?: string | null;
  secret?: string | null;
}

export const triggerPath = (trigger: Pick<Trigger, 'id'>) => `/v1/triggers/${trigger.id}`;

/** A hook URL to give a sender: the API answers a path when PUBLIC_URL is unset, on this same server. */
export function absoluteUrl(url: string): string {
  return url.startsWith('/') ? `${window.location.origin}${url}` : url;
}
