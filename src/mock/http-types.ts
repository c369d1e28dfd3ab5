/**
 * The mock's request and response as plain data: the handler maps one to the other, and the socket
 * adapters (node:http, msw) only translate. Faults that act on the socket travel beside it as a FaultPlan.
 */
import type { BlobContent } from './blob-content.ts';
import type { RouteName } from './spec.ts';

export interface MockRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  scheme: 'http' | 'https';
}

/** A slice of a blob, streamed by the adapter. */
export interface BlobBody {
  blob: BlobContent;
  start: number;
  end: number;
}

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  /** Absent for HEAD and empty answers. */
  body?: Buffer | BlobBody;
}

/** What the fault rules decided for one request; the adapter carries it out on the socket. */
export interface FaultPlan {
  /** Wait this long before the headers. */
  delayMs: number;
  /** Never answer. */
  blackhole: boolean;
  /** Destroy the socket: before anything (`afterBytes` undefined) or after the headers and this many body bytes. */
  reset: { afterBytes: number | undefined } | undefined;
  /** Send this many body bytes, then close cleanly. */
  truncateAfter: number | undefined;
  /** Pace the body. */
  bytesPerSecond: number | undefined;
  /** Change the body bytes (same length) so they no longer match their digest. */
  corrupt: boolean;
  /** Headers added to (or replacing those of) the answer. */
  headers: Record<string, string> | undefined;
  /** Write these bytes on the socket instead of an HTTP answer, then close. */
  raw: Buffer | undefined;
}

export function emptyPlan(): FaultPlan {
  return { delayMs: 0, blackhole: false, reset: undefined, truncateAfter: undefined, bytesPerSecond: undefined, corrupt: false, headers: undefined, raw: undefined };
}

export interface HandlerResult {
  /** The route the request matched, or 'unmatched'. */
  route: RouteName | 'unmatched';
  response: MockResponse;
  plan: FaultPlan;
}

/** The bytes of a body (blob slices copied into one buffer: for small bodies and tests). */
export function bodyLength(body: MockResponse['body']): number {
  if (body === undefined) return 0;
  return Buffer.isBuffer(body) ? body.length : body.end - body.start;
}
