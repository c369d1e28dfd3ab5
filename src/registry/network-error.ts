/**
 * Node/undici transport failures reworded as Go's net/http words them, so the text users see matches what
 * the runtime logs (and what they will search for): `Get "https://h/v2/": dial tcp 127.0.0.1:5000: connect:
 * connection refused`, `… http: server gave HTTP response to HTTPS client`, `… context deadline exceeded`.
 */
import type { ErrorClass } from './error-class.ts';
import { MAX_RESPONSE_HEADER_BYTES } from './dispatcher-factory.ts';
import { looksLikeTls, malformedStatusLine } from './status-line.ts';

export interface NetErrorContext {
  /** `GET` / `HEAD`: rendered as Go's `Get` / `Head`. */
  method: string;
  /** The (redacted) URL as configured. */
  url: string;
  /** The signal of the attempt: tells a deadline from a user's cancel. */
  signal?: AbortSignal;
  /**
   * Whose wording: `skopeo-1.9` (built with Go 1.19: `x509: …`) or `current` (Go ≥ 1.20 adds
   * `tls: failed to verify certificate: ` in front of certificate errors). Default `skopeo-1.9`.
   */
  style?: 'skopeo-1.9' | 'current';
}

export interface GoError {
  /** Full Go wording: `Get "URL": inner`. */
  message: string;
  /** The part after the URL. */
  inner: string;
  errorClass: ErrorClass;
  /** What the wording alone does not say (e.g. "the server answered with TLS bytes"), for the step's detail. */
  hint?: string;
}

const CERT_UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function goMethod(method: string): string {
  const m = method.toUpperCase();
  return m.charAt(0) + m.slice(1).toLowerCase();
}

interface ErrLike {
  name?: string;
  code?: string;
  message?: string;
  host?: string;
  cert?: { subjectaltname?: string };
  address?: string;
  port?: number;
  hostname?: string;
  cause?: unknown;
  /** undici's HTTPParserError: the bytes from where parsing failed (a latin1 string or a Buffer). */
  data?: unknown;
}

function innermost(err: unknown): ErrLike {
  let e = err as ErrLike;
  // undici sometimes wraps the socket error in `cause`; the coded one is what we need.
  while (e && !e.code && e.cause && typeof e.cause === 'object') e = e.cause as ErrLike;
  return e ?? {};
}

/**
 * Go's x509.HostnameError text: an IP host checked against IP SANs, a name against DNS SANs
 * (`cannot validate certificate for IP because it doesn't contain any IP SANs`, `certificate is valid for A, B, not H`).
 */
export function goHostnameError(host: string, subjectAltName: string | undefined): string {
  const sans = (subjectAltName ?? '').split(/,\s*/).filter(Boolean);
  const isIp = /^[0-9.]+$/.test(host) || host.includes(':');
  if (isIp) {
    const ips = sans.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice('IP Address:'.length));
    if (ips.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    return `x509: certificate is valid for ${ips.join(', ')}, not ${host}`;
  }
  const names = sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice('DNS:'.length));
  if (names.length === 0) return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  return `x509: certificate is valid for ${names.join(', ')}, not ${host}`;
}

/** Rewords `err` (thrown by undici for `ctx`) as Go would, with a class. */
export function goNetworkError(err: unknown, ctx: NetErrorContext): GoError {
  const e = innermost(err);
  const https = ctx.url.startsWith('https:');
  const verify = ctx.style === 'current' ? 'tls: failed to verify certificate: ' : '';
  let inner: string;
  let errorClass: ErrorClass;
  let hint: string | undefined;
  const reason = ctx.signal?.aborted ? (ctx.signal.reason as ErrLike | undefined) : undefined;
  if (reason !== undefined || e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED') {
    const timedOut = reason?.name === 'TimeoutError' || (reason as { code?: string } | undefined)?.code === 'PP_ERR_DEADLINE';
    inner = timedOut ? 'context deadline exceeded' : 'context canceled';
    errorClass = timedOut ? 'timeout' : 'cancelled';
  } else if (e.code === 'PP_ERR_PROXY') {
    // On the way through the proxy (src/proxy/proxy-error.ts): Go wraps a failed dial to the proxy as
    // `proxyconnect tcp: …`; a refused CONNECT is the proxy's status text alone (`Proxy Authentication Required`).
    const pe = e as ErrLike & { stage?: string };
    inner = pe.stage === 'dial' ? `proxyconnect tcp: ${goNetworkError(pe.cause, { ...ctx, url: ctx.url }).inner}` : (pe.message ?? 'proxy error');
    errorClass = 'proxy';
    // What the status text alone does not say (Go prints only the text): whose side the problem is on.
    const st = (e as { status?: number }).status;
    if (st === 407) hint = 'the proxy wants credentials: put user:password in the proxy URL (HTTPS_PROXY=http://USER:PASS@HOST:PORT)';
    else if (st === 403) hint = "the proxy's rules refused CONNECT to this host:port (squid: http_access / SSL_ports)";
    else if (st === 502 || st === 503 || st === 504) hint = 'the proxy could not reach the registry (its name, its port, or the registry is down behind the proxy)';
  } else {
    switch (e.code) {
      case 'ECONNREFUSED':
        inner = `dial tcp ${e.address ?? '?'}${e.port ? `:${e.port}` : ''}: connect: connection refused`;
        errorClass = 'refused';
        break;
      case 'ENOTFOUND':
        inner = `dial tcp: lookup ${e.hostname ?? '?'}: no such host`;
        errorClass = 'dns';
        break;
      case 'EAI_AGAIN':
        inner = `dial tcp: lookup ${e.hostname ?? '?'}: temporary failure in name resolution`;
        errorClass = 'dns';
        break;
      case 'ECONNRESET':
        inner = 'read: connection reset by peer';
        errorClass = 'reset';
        break;
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        inner = `dial tcp ${e.address ?? '?'}${e.port ? `:${e.port}` : ''}: connect: ${e.code === 'EHOSTUNREACH' ? 'no route to host' : 'network is unreachable'}`;
        errorClass = 'refused';
        break;
      case 'UND_ERR_SOCKET':
      case 'UND_ERR_CLOSED':
        inner = 'EOF'; // the server closed the connection without a response
        errorClass = 'reset';
        break;
      case 'UND_ERR_CONNECT_TIMEOUT':
        // undici's connect timer covers TCP and TLS; on loopback the TCP part is instant, so this is the handshake.
        inner = https ? 'net/http: TLS handshake timeout' : `dial tcp ${ctx.url.replace(/^\w+:\/\/([^/]+).*$/, '$1')}: i/o timeout`;
        errorClass = 'timeout';
        break;
      case 'UND_ERR_HEADERS_TIMEOUT':
        inner = 'net/http: timeout awaiting response headers';
        errorClass = 'timeout';
        break;
      case 'UND_ERR_BODY_TIMEOUT':
        inner = 'context deadline exceeded';
        errorClass = 'timeout';
        break;
      case 'UND_ERR_HEADERS_OVERFLOW':
        // As skopeo 1.9.3 prints it (the transport wraps its own message once more).
        inner = `net/http: HTTP/1.x transport connection broken: net/http: server response headers exceeded ${MAX_RESPONSE_HEADER_BYTES} bytes; aborted`;
        errorClass = 'too-large';
        break;
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
      case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      case 'ERR_SSL_HTTP_REQUEST':
        // OpenSSL read "HTTP/1.x …" where a TLS record was expected: Go detects the same and says so.
        inner = 'http: server gave HTTP response to HTTPS client';
        errorClass = 'http-to-https';
        break;
      case 'CERT_HAS_EXPIRED':
      case 'CERT_NOT_YET_VALID':
        inner = `${verify}x509: certificate has expired or is not yet valid`;
        errorClass = 'tls';
        break;
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        inner = verify + goHostnameError(e.host ?? ctx.url.replace(/^\w+:\/\/([^/:]+|\[[^\]]+\]).*$/, '$1'), e.cert?.subjectaltname);
        errorClass = 'tls';
        break;
      default:
        if (e.code && CERT_UNKNOWN_AUTHORITY.has(e.code)) {
          inner = `${verify}x509: certificate signed by unknown authority`;
          errorClass = 'tls';
        } else if (e.code && /^ERR_(SSL|TLS)_/.test(e.code)) {
          inner = `remote error: tls: ${(e.message ?? e.code).replace(/^.*:SSL routines:[^:]*:/, '').replace(/:.*$/, '')}`;
          errorClass = 'tls';
        } else if (e.name === 'HTTPParserError' && (typeof e.data === 'string' || Buffer.isBuffer(e.data))) {
          // Not HTTP where an HTTP response was expected. undici hands over the bytes from where it failed;
          // at the first line (the only case worded here) that is the start of the response, as Go quotes it.
          const data = typeof e.data === 'string' ? Buffer.from(e.data, 'latin1') : e.data;
          const go = malformedStatusLine(data);
          // Go's transport wraps it (mapRoundTripError, the connection closed): skopeo 1.9.3 prints
          // `net/http: HTTP/1.x transport connection broken: malformed HTTP response "\x15\x03…"`.
          inner = go ? `net/http: HTTP/1.x transport connection broken: ${go}` : (e.message ?? String(err));
          // A port that does not speak plain HTTP is not a registry at this URL (whatever else it may be).
          errorClass = go ? 'not-a-registry' : 'other';
          if (go && looksLikeTls(data)) hint = 'the server answered with TLS bytes: this port speaks https, not plain http';
        } else {
          inner = e.message ?? String(err);
          errorClass = 'other';
        }
    }
  }
  return { message: `${goMethod(ctx.method)} "${ctx.url}": ${inner}`, inner, errorClass, ...(hint ? { hint } : {}) };
}
