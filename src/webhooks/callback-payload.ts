import type { Run } from '../generated/prisma/client.js';
import { toRunResponse } from '../runs/dto/run.dto.js';

/** The callback body: the run as the API returns it; `timestamp` is when it finished (the same on every attempt). */
export function callbackPayload(run: Run): string {
  return JSON.stringify({
    type: `run.${run.status}`,
    timestamp: (run.finishedAt ?? new Date()).toISOString(),
    data: toRunResponse(run),
  });
}
