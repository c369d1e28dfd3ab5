/**
 * Registry HTTP error responses worded as containers/image words them (`registryHTTPResponseToError`,
 * research containers-image.md §7.2), plus a class for machines.
 *
 * Two wordings exist upstream. c/image ≤ 5.2x (skopeo 1.9.3, the one observed in skopeo-e2e-findings.md)
 * prints `code words: message` whenever the body carried a `detail` or a non-default message, so
 * docker-registry's 404 reads `manifest unknown: manifest unknown`. Newer c/image drops the code words when
 * the message is the code's default (`manifest unknown`). `style` picks one; the default is the observed one.
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorClass } from './error-class.ts';
import type { Challenge } from './www-authenticate.ts';
import { goQuote } from '../go-quote.ts';

export type ErrorWordingStyle = 'skopeo-1.9' | 'current';

/** Default messages of the distribution errcodes (registry/api/errcode and api/v2). */
const DEFAULT_MESSAGES: Record<string, string> = {
  UNKNOWN: 'unknown error',
  UNSUPPORTED: 'The operation is unsupported.',
  UNAUTHORIZED: 'authentication required',
  DENIED: 'requested access to the resource is denied',
  UNAVAILABLE: 'service unavailable',
  TOOMANYREQUESTS: 'too many requests',
  DIGEST_INVALID: 'provided digest did not match uploaded content',
  SIZE_INVALID: 'provided length did not match content length',
  NAME_INVALID: 'invalid repository name',
  TAG_INVALID: 'manifest tag did not match URI',
  NAME_UNKNOWN: 'repository name not known to registry',
  MANIFEST_UNKNOWN: 'manifest unknown',
  MANIFEST_INVALID: 'manifest invalid',
  MANIFEST_UNVERIFIED: 'manifest failed signature verification',
  MANIFEST_BLOB_UNKNOWN: 'blob unknown to registry',
  BLOB_UNKNOWN: 'blob unknown to registry',
  BLOB_UPLOAD_UNKNOWN: 'blob upload unknown to registry',
  BLOB_UPLOAD_INVALID: 'blob upload invalid',
  PAGINATION_NUMBER_INVALID: 'invalid number of results requested',
  RANGE_INVALID: 'invalid content range',
};

/** `MANIFEST_UNKNOWN` → `manifest unknown` (errcode.ErrorCode.Error()); unknown codes become UNKNOWN. */
function codeWords(code: string): string {
  return code.toLowerCase().replaceAll('_', ' ');
}


interface ErrcodeError {
  code: string;
  message: string;
  hasDetail: boolean;
}

function renderErrcode(e: ErrcodeError, style: ErrorWordingStyle): string {
  const def = DEFAULT_MESSAGES[e.code] ?? DEFAULT_MESSAGES.UNKNOWN!;
  const message = e.message === '' ? def : e.message;
  if (style === 'current' && message === def) return message;
  // errcode.Errors.UnmarshalJSON keeps a bare ErrorCode (rendered as its words) when there is no detail
  // and the message is empty or the default.
  if (!e.hasDetail && message === def) return codeWords(e.code);
  return `${codeWords(e.code)}: ${message}`;
}

/** Parses a 4xx body as distribution's errcode JSON, the way handleErrorResponse does. */
function parseErrorBody(status: number, body: Buffer): ErrcodeError | { unexpected: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const obj = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  if (obj && typeof obj.details === 'string' && obj.details !== '') {
    const code = status === 401 ? 'UNAUTHORIZED' : status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
    return { code, message: obj.details, hasDetail: false };
  }
  const errors = obj && Array.isArray(obj.errors) ? (obj.errors as unknown[]) : null;
  if (!errors || errors.length === 0) return { unexpected: body.toString('utf8') };
  const first = (errors[0] ?? {}) as Record<string, unknown>;
  const rawCode = typeof first.code === 'string' ? first.code : '';
  const code = rawCode in DEFAULT_MESSAGES ? rawCode : 'UNKNOWN';
  return { code, message: typeof first.message === 'string' ? first.message : '', hasDetail: first.detail != null };
}

/** Class of an HTTP status. */
export function classifyStatus(status: number): ErrorClass {
  if (status === 401) return 'unauthorized';
  // 407 comes from a proxy in front of a plain-HTTP registry (absolute-form requests), never from a registry.
  if (status === 407) return 'proxy';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  return 'http-error';
}

/** `500 Internal Server Error`, as Go's `Response.Status`. */
export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'status code ' + status}`;
}

/**
 * The runtime's text for a ping (`GET /v2/`) answered with anything but 200/401: the ping uses
 * `httpResponseToError`, not the registry error body (skopeo 1.9.3 prints `invalid status code from registry
 * 503 (Service Unavailable)`; a 429 that outlasted the retries is `too many requests to registry`).
 */
export function pingResponseError(status: number): { message: string; errorClass: ErrorClass } {
  const errorClass = classifyStatus(status);
  if (status === 429) return { message: 'too many requests to registry', errorClass };
  return { message: `invalid status code from registry ${status} (${STATUS_CODES[status] ?? ''})`, errorClass };
}

/**
 * The runtime's text for a non-success registry response (without the caller's prefix such as
 * `reading manifest v1 in NAME: `). `challenges` are this response's WWW-Authenticate challenges.
 */
export function registryResponseError(
  status: number,
  body: Buffer,
  challenges: Challenge[] = [],
  style: ErrorWordingStyle = 'skopeo-1.9',
): { message: string; errorClass: ErrorClass } {
  const errorClass = classifyStatus(status);
  if (status < 400 || status >= 500) return { message: `received unexpected HTTP status: ${statusLine(status)}`, errorClass };
  for (const c of challenges) {
    if (c.scheme !== 'bearer') continue;
    const kind = c.params.error;
    if (kind !== 'invalid_token' && kind !== 'insufficient_scope') continue;
    const code = kind === 'invalid_token' ? 'UNAUTHORIZED' : 'DENIED';
    const message = c.params.error_description || DEFAULT_MESSAGES[code]!;
    return { message: renderErrcode({ code, message, hasDetail: false }, style), errorClass };
  }
  const parsed = parseErrorBody(status, body);
  if ('unexpected' in parsed) {
    if (status === 401) {
      return { message: renderErrcode({ code: 'UNAUTHORIZED', message: '', hasDetail: true }, style), errorClass };
    }
    const bytes = Buffer.from(parsed.unexpected, 'utf8');
    const sample = bytes.length > 50 ? bytes.subarray(0, 50).toString('utf8') + '...' : parsed.unexpected;
    return { message: `StatusCode: ${status}, ${goQuote(sample)}`, errorClass };
  }
  return { message: renderErrcode(parsed, style), errorClass };
}
