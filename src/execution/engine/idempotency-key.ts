import { createHash } from 'node:crypto';

/**
 * A node's idempotency key: the SHA-256, in lower-case hex (64 characters), of
 * `<call path>:<node id>`. The call path names the logical call a run stands for (a root run's own
 * id; a child run's parent path plus `/<node id>:<item index>`), so the key is the same wherever
 * that call is made again — the node's retries, a resumed attempt of the run — and differs between
 * nodes, map items and runs that are new work. Node ids hold no `:` or `/`, so no two paths collide
 * before hashing.
 */
export function nodeIdempotencyKey(callPath: string, nodeId: string): string {
  return createHash('sha256').update(`${callPath}:${nodeId}`).digest('hex');
}
