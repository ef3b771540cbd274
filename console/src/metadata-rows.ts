/** Run metadata (string → string) as the rows of a key/value editor. */
export interface MetadataRow {
  key: string;
  value: string;
}

export const EMPTY_ROW: MetadataRow = { key: '', value: '' };

/** The metadata the rows give: rows without a key are left out (an empty editor gives `{}`); a later key wins. */
export function metadataFromRows(rows: MetadataRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.key.trim() !== '').map((row) => [row.key.trim(), row.value]));
}

/** The rows showing `metadata`, and one empty row to type a new pair into. */
export function rowsFromMetadata(metadata: Record<string, string>): MetadataRow[] {
  return [...Object.entries(metadata).map(([key, value]) => ({ key, value })), EMPTY_ROW];
}
