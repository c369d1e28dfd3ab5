/**
 * Error answers as distribution writes them: `{"errors":[{"code","message","detail"}]}` with the status
 * from its errcode registry; the router's plain-text 404; a proxy's HTML pages.
 */
import type { MockResponse } from './http-types.ts';

const DEFAULTS: Record<number, { code: string; message: string }> = {
  400: { code: 'NAME_INVALID', message: 'invalid repository name' },
  401: { code: 'UNAUTHORIZED', message: 'authentication required' },
  403: { code: 'DENIED', message: 'requested access to the resource is denied' },
  404: { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' },
  405: { code: 'UNSUPPORTED', message: 'The operation is unsupported.' },
  416: { code: 'RANGE_INVALID', message: 'invalid content range' },
  429: { code: 'TOOMANYREQUESTS', message: 'too many requests' },
  500: { code: 'UNKNOWN', message: 'unknown error' },
  503: { code: 'UNAVAILABLE', message: 'service unavailable' },
};

/** A distribution-style JSON error. `code`/`message` default from the status. */
export function registryError(
  status: number,
  code?: string,
  message?: string,
  detail?: unknown,
  headers: Record<string, string> = {},
): MockResponse {
  const d = DEFAULTS[status] ?? { code: 'UNKNOWN', message: `status ${status}` };
  const body = Buffer.from(
    JSON.stringify({ errors: [{ code: code ?? d.code, message: message ?? d.message, ...(detail !== undefined ? { detail } : {}) }] }) + '\n',
  );
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), ...headers },
    body,
  };
}

/** distribution's router answer for a path it has no route for (and for an invalid repository name). */
export function routerNotFound(): MockResponse {
  const body = Buffer.from('404 page not found\n');
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) }, body };
}

/** A reverse proxy's 502, plain HTML, no registry headers. */
export function badGateway(): MockResponse {
  const body = Buffer.from('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n');
  return { status: 502, headers: { 'content-type': 'text/html', 'content-length': String(body.length) }, body };
}

/** A captive portal or proxy login page answering 200 to everything. */
export function htmlLoginPage(): MockResponse {
  const body = Buffer.from(
    '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Network login required</h1>' +
      '<form method="post" action="/login"><input name="user"><input name="password" type="password">' +
      '<button>Sign in</button></form></body></html>\n',
  );
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }, body };
}
