/**
 * Connections through a proxy, as Go's net/http transport makes them (transport.go dialConn):
 * - https:// registry, http:// or https:// proxy: dial the proxy (TLS to it for an https:// proxy), send
 *   `CONNECT host:port`, with `Proxy-Authorization: Basic …` when the proxy URL has a user; a 200 opens the
 *   tunnel and TLS to the registry runs inside it (SNI and certificate checks against the registry's name);
 * - http:// registry, http(s) proxy: the connection to the proxy is the connection; requests go in absolute
 *   form (`GET http://host:port/v2/ HTTP/1.1`) with Proxy-Authorization on each (see AbsoluteFormDispatcher);
 * - socks5:// proxy: the SOCKS5 handshake, the registry host sent as a name, then TLS or plain HTTP inside.
 *
 * The host map applies to the proxy host only: the registry's name travels to the proxy, which resolves it
 * (as the runtime's requests do). The socket handed back at once is the proxy connection, so the ClientPool
 * can destroy a dial (the proxy dial, the CONNECT or SOCKS exchange, the TLS handshake inside) at a deadline.
 */
import type { Socket } from 'node:net';
import type { buildConnector, Dispatcher } from 'undici';
import { Dispatcher as DispatcherBase } from '../registry/undici-core.ts';
import type { ProxyUrl } from './proxy-for-url.ts';
import { ProxyError } from './proxy-error.ts';
import { SocketReader } from './socket-reader.ts';
import { socks5Connect, SocksError } from './socks5.ts';

type ConnectFn = buildConnector.connector;
type ConnectOpts = Parameters<ConnectFn>[0];
type ConnectCb = Parameters<ConnectFn>[1];

export interface ProxiedConnectorParts {
  proxy: ProxyUrl;
  /** Plain TCP to the proxy, through the host map. */
  dialPlain: ConnectFn;
  /** TLS to an https:// proxy, through the host map (the registry's TLS settings, as Go uses one TLS config). */
  dialTls: ConnectFn;
  /** TLS to the registry over an existing socket (`httpSocket`): never host-mapped. */
  tlsOver: ConnectFn;
}

/** `Basic base64(user:password)` when the proxy URL has a user (even an empty one, as Go does); else null. */
export function proxyAuthorization(p: ProxyUrl): string | null {
  if (p.username === null) return null;
  return 'Basic ' + Buffer.from(`${p.username}:${p.password ?? ''}`).toString('base64');
}

function unbracket(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** Go's JoinHostPort. */
function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function eofText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'PP_EOF') return e.message ?? 'EOF';
  if (e.code === 'ECONNRESET') return 'read: connection reset by peer';
  return e.message ?? String(err);
}

/** Go's http.ReadResponse checks on a CONNECT answer's status line; returns [status code, status text] or an error text. */
export function parseConnectStatus(head: Buffer): { status: number; text: string } | { error: string } {
  const line = head.toString('latin1').split('\r\n', 1)[0]!;
  const sp = line.indexOf(' ');
  if (sp < 0) return { error: `malformed HTTP response ${JSON.stringify(line)}` };
  const proto = line.slice(0, sp);
  const status = line.slice(sp + 1).replace(/^ +/, '');
  const codeText = status.split(' ', 1)[0]!;
  if (codeText.length !== 3) return { error: `malformed HTTP status code ${JSON.stringify(codeText)}` };
  const code = Number(codeText);
  if (!/^[0-9]{3}$/.test(codeText) || code < 0) return { error: `malformed HTTP status code ${JSON.stringify(codeText)}` };
  if (!/^HTTP\/[0-9]\.[0-9]$/.test(proto)) return { error: `malformed HTTP version ${JSON.stringify(proto)}` };
  const space = status.indexOf(' ');
  return { status: code, text: space < 0 ? '' : status.slice(space + 1) };
}

/** A connector that reaches the registry named in its options through `parts.proxy`. */
export function proxiedConnector(parts: ProxiedConnectorParts): ConnectFn {
  const { proxy } = parts;
  const auth = proxyAuthorization(proxy);
  return (opts: ConnectOpts, callback: ConnectCb) => {
    let cb: ConnectCb | null = callback;
    const answer = (err: Error | null, sock?: Socket): void => {
      const c = cb;
      cb = null;
      if (!c) return;
      if (err) c(err, null);
      else c(null, sock as never);
    };
    const target = unbracket(opts.hostname);
    const https = opts.protocol === 'https:';
    const port = Number(opts.port) || (https ? 443 : 80);
    const targetAddr = joinHostPort(target, port);
    if (proxy.scheme !== 'http' && proxy.scheme !== 'https' && proxy.scheme !== 'socks5') {
      queueMicrotask(() => answer(new ProxyError('unsupported', `proxy scheme ${JSON.stringify(proxy.scheme)} is not one the runtime speaks (http, https, socks5)`, proxy.display)));
      return null as never;
    }
    const proxyTls = proxy.scheme === 'https';
    const dial = proxyTls ? parts.dialTls : parts.dialPlain;
    const dialOpts = {
      hostname: proxy.hostname,
      host: joinHostPort(proxy.hostname, proxy.port),
      protocol: proxyTls ? 'https:' : 'http:',
      port: String(proxy.port),
      servername: proxy.hostname,
    } as ConnectOpts;
    const raw = dial(dialOpts, (err, socket) => {
      if (err) return answer(new ProxyError('dial', err.message, proxy.display, err));
      void tunnel(socket as unknown as Socket);
    }) as unknown as Socket;

    const overTunnel = (socket: Socket): void => {
      if (!https) return answer(null, socket);
      // TLS to the registry inside the tunnel. A raw socket destroyed meanwhile (a deadline) ends the dial too.
      const onClose = (): void => answer(new ProxyError('connect-read', 'EOF', proxy.display, Object.assign(new Error('EOF'), { code: 'PP_EOF' })));
      socket.once('close', onClose);
      parts.tlsOver({ ...opts, httpSocket: socket } as ConnectOpts, (err, tlsSocket) => {
        socket.off('close', onClose);
        if (err) answer(err);
        else answer(null, tlsSocket as unknown as Socket);
      });
    };

    const tunnel = async (socket: Socket): Promise<void> => {
      const reader = new SocketReader(socket);
      try {
        if (proxy.scheme === 'socks5') {
          try {
            await socks5Connect(reader, target, port, proxy.username !== null ? { username: proxy.username, password: proxy.password ?? '' } : null);
          } catch (e) {
            const why = e instanceof SocksError ? e.message : eofText(e);
            throw new ProxyError('socks', `socks connect tcp ${socket.remoteAddress && socket.remotePort ? joinHostPort(socket.remoteAddress, socket.remotePort) : proxy.host}->${targetAddr}: ${why}`, proxy.display, e);
          }
        } else if (https) {
          socket.write(`CONNECT ${targetAddr} HTTP/1.1\r\nHost: ${targetAddr}\r\nUser-Agent: Go-http-client/1.1\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
          let head: Buffer;
          try {
            head = await reader.readHead(1 << 20);
          } catch (e) {
            throw new ProxyError('connect-read', eofText(e), proxy.display, e);
          }
          const st = parseConnectStatus(head);
          if ('error' in st) throw new ProxyError('connect-read', st.error, proxy.display);
          if (st.status !== 200) throw new ProxyError('connect', st.text === '' ? 'unknown status code' : st.text, proxy.display, undefined, st.status);
        }
      } catch (e) {
        reader.release();
        socket.destroy();
        return answer(e as Error);
      }
      reader.release();
      overTunnel(socket);
    };
    return raw as never;
  };
}

/**
 * Plain-HTTP requests through an http(s) proxy: the request line carries the absolute URL, and each request
 * the Proxy-Authorization header (Go's transport sets it per request on a proxy connection).
 */
export class AbsoluteFormDispatcher extends DispatcherBase {
  constructor(
    readonly inner: Dispatcher,
    readonly origin: string,
    readonly authorization: string | null,
  ) {
    super();
  }
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const path = opts.path.startsWith('/') ? this.origin + opts.path : opts.path;
    let headers = opts.headers;
    if (this.authorization) {
      if (Array.isArray(headers)) headers = [...headers, 'proxy-authorization', this.authorization];
      else headers = { ...(headers as Record<string, string> | undefined), 'proxy-authorization': this.authorization };
    }
    return this.inner.dispatch({ ...opts, path, headers: headers as Dispatcher.DispatchOptions['headers'] }, handler);
  }
  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const p = this.inner.close();
    if (callback) void p.then(callback, callback);
    else return p;
  }
  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const cb = typeof a === 'function' ? a : b;
    const p = this.inner.destroy(err);
    if (cb) void p.then(cb, cb);
    else return p;
  }
}

/** A dispatcher that fails every request with `err` (Go's CGI refusal: no request is sent). */
export class FailingDispatcher extends DispatcherBase {
  constructor(readonly make: () => Error) {
    super();
  }
  override dispatch(_opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const err = this.make();
    queueMicrotask(() => (handler as { onError?: (e: Error) => void }).onError?.(err));
    return true;
  }
  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    if (callback) queueMicrotask(callback);
    else return Promise.resolve();
  }
  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const cb = typeof a === 'function' ? a : b;
    if (cb) queueMicrotask(cb);
    else return Promise.resolve();
  }
}
