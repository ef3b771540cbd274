import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this process as a lease owner; unique across hosts, processes and restarts. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
