/**
 * A failure on the way through a proxy, before the registry was reached. `stage` decides Go's wording
 * (src/registry/network-error.ts turns it into text):
 * - `dial`: reaching the proxy itself failed (TCP, or TLS to an https:// proxy). Go wraps the cause as
 *   `proxyconnect tcp: <cause>` (net/http transport.go dialConn, wrapErr);
 * - `connect`: the proxy answered CONNECT with another status than 200. Go's error is the status text alone
 *   (`Proxy Authentication Required`, `Forbidden`, `Service Unavailable`);
 * - `connect-read`: the proxy closed or reset the connection before answering CONNECT (`EOF`, …);
 * - `socks`: the SOCKS5 handshake failed (Go's socks dialer wording, `socks connect tcp P->T: …`);
 * - `cgi`: Go refuses HTTP_PROXY when REQUEST_METHOD is set;
 * - `unsupported`: a proxy scheme the runtime would not speak either.
 */
export type ProxyStage = 'dial' | 'connect' | 'connect-read' | 'socks' | 'cgi' | 'unsupported';

export class ProxyError extends Error {
  readonly code = 'PP_ERR_PROXY';
  constructor(
    readonly stage: ProxyStage,
    message: string,
    /** The proxy as printable (credentials hidden). */
    readonly proxy: string,
    override readonly cause?: unknown,
    /** The status the proxy answered CONNECT with (stage `connect`). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

export function isProxyError(e: unknown): e is ProxyError {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'PP_ERR_PROXY';
}
