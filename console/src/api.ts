/**
 * The console's only way to the API. The key lives in sessionStorage (gone when the tab closes)
 * and travels in the X-API-Key header, never in a URL. The acting group, when chosen, is the
 * API's ordinary `group_id` query parameter.
 */
const KEY_STORAGE = 'runloom.apiKey';
const GROUP_STORAGE = 'runloom.groupId';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDocument {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [member: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: ProblemDocument) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }

  get status(): number {
    return this.problem.status;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

export const credentials = {
  key: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  groupId: (): string | null => sessionStorage.getItem(GROUP_STORAGE),
  signIn(key: string): void {
    sessionStorage.setItem(KEY_STORAGE, key);
  },
  setGroup(groupId: string | null): void {
    if (groupId) sessionStorage.setItem(GROUP_STORAGE, groupId);
    else sessionStorage.removeItem(GROUP_STORAGE);
  },
  signOut(): void {
    sessionStorage.removeItem(KEY_STORAGE);
    sessionStorage.removeItem(GROUP_STORAGE);
  },
};

/** `path` with the acting group added, for every /v1 call. */
export function withGroup(path: string): string {
  const groupId = credentials.groupId();
  if (!groupId) return path;
  return `${path}${path.includes('?') ? '&' : '?'}group_id=${encodeURIComponent(groupId)}`;
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'X-API-Key': credentials.key() ?? '', ...extra };
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<ApiResponse<T>> {
  const hasBody = options.body !== undefined;
  const response = await fetch(withGroup(path), {
    method,
    headers: authHeaders({ ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...options.headers }),
    body: hasBody ? JSON.stringify(options.body) : undefined,
    signal: options.signal,
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw new ApiError(
      typeof body === 'object' && body ? { ...body, status: response.status } : { status: response.status },
    );
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export const api = {
  get: async <T>(path: string, signal?: AbortSignal): Promise<T> => (await request<T>('GET', path, { signal })).body,
  post: async <T>(path: string, body: unknown = {}): Promise<T> => (await request<T>('POST', path, { body })).body,
};

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return `${error.status} ${error.problem.title ?? ''}: ${error.message}${fields ? ` (${fields})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
