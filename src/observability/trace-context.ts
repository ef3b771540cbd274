import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface IncomingTraceContext {
  traceId: string;
  /** The caller's span, which becomes the parent of the run's root span. */
  parentSpanId: string;
  header: string;
}

/** Parses a W3C `traceparent` header; undefined when absent or malformed (it is then ignored). */
export function parseTraceparent(header: string | undefined): IncomingTraceContext | undefined {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return { traceId: match[1], parentSpanId: match[2], header: match[0] };
}

/** The `traceparent` header naming `spanId` of `traceId` as the parent (sampled). */
export function formatTraceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
