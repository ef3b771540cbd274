import type { ApiKeyRole } from '../generated/prisma/client.js';

/** The authenticated API key behind a request, and the group the request acts in. */
export interface Caller {
  keyId: string;
  role: ApiKeyRole;
  defaultGroupId: string;
  groupIds: string[];
}

declare module 'express' {
  interface Request {
    caller?: Caller;
    /** The workspace this request acts in: `group_id` if given and allowed, else the key's default. */
    actingGroupId?: string;
  }
}
