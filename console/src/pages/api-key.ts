import type { ApiKeyRole } from '../types';

/** An API key as GET /v1/api-keys shows it. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  default_group_id: string;
  group_ids: string[];
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** POST /v1/api-keys's answer: the only time `key` is shown. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}
