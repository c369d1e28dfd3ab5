/**
 * The one place that creates undici dispatchers. Every request of the registry client gets its dispatcher
 * here, so tests pass undici's MockAgent through `dispatcherFactoryFrom` and the host map is applied to
 * every connection. Verified, insecure and custom-CA connections get separate Agents (TLS options are
 * per connection pool in undici).
 */
import type { Agent as UndiciAgent, buildConnector as UndiciConnector, Dispatcher } from 'undici';
import { Agent, buildConnector } from './undici-core.ts';
import { ClientPool } from './client-pool.ts';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { HostMap } from './host-map.ts';
import type { TlsMaterial } from './certs-d.ts';
import { proxyForUrl, type ProxyConfig, type ProxyDecision } from '../proxy/proxy-for-url.ts';
import { AbsoluteFormDispatcher, FailingDispatcher, proxiedConnector, proxyAuthorization } from '../proxy/proxy-connector.ts';
import { ProxyError } from '../proxy/proxy-error.ts';

export interface DispatcherRequest {
  /** Skip TLS certificate verification (an insecure endpoint, or `--tls-verify=false`). */
  insecure: boolean;
  /** certs.d material for the endpoint's host, if any. */
  tls?: TlsMaterial | null;
}

export interface DispatcherFactory {
  /**
   * The dispatcher for `req`. With `origin` (`https://host:port`), the production factory returns that
   * origin's own ClientPool (O(1) per request, cheaper than routing through an Agent); callers then pass `origin` and
   * `path` to `dispatcher.request`. Test factories may return one dispatcher for every origin.
   */
  get(req: DispatcherRequest, origin?: string): Dispatcher;
  /** Closes every dispatcher this factory created. */
  close(): Promise<void>;
}

export interface DispatcherFactoryOptions {
  hostMap?: HostMap;
  /**
   * Max connections per origin (ClientPool `connections`); null: no cap. Default 16. Requests beyond the cap wait in
   * the pool's queue (still in flight, their deadline running); the runtime's Go transport has no cap.
   */
  connectionsPerOrigin?: number | null;
  /** Idle keep-alive, ms. Default 30 s (the runtime's TCP keep-alive is 30 s, idle conns live 90 s). */
  keepAliveTimeoutMs?: number;
  /** TCP + TLS connect timeout, ms. Default 10 s (the runtime's TLS handshake timeout). */
  connectTimeoutMs?: number;
  /**
   * Backstops only: the engine enforces deadlines with AbortSignal. undici's timers are coarse (~1 s),
   * so these are set high. Default 300 s each.
   */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /**
   * The proxy variables as the runtime read them (`proxyConfigFromEnv(process.env)`, or a cluster's Proxy
   * object). Each origin's pool goes direct or through the proxy Go's ProxyFromEnvironment picks for it.
   * Absent: every connection is direct.
   */
  proxy?: ProxyConfig;
}

type ConnectFn = UndiciConnector.connector;

/**
 * Response header limit: Go's client default (Transport.MaxResponseHeaderBytes unset: `10 << 20`, which the
 * runtime's transport leaves unset). undici's default is Node's 16 KiB, which failed registries whose
 * WWW-Authenticate or Link headers the runtime reads fine. (1 MiB, http.DefaultMaxHeaderBytes, is Go's *server* limit.)
 */
export const MAX_RESPONSE_HEADER_BYTES = 10 << 20;

/**
 * Wraps a connector so that the host map decides where to dial, while SNI stays the configured name.
 *
 * https dials TCP first and starts TLS on the connected socket (undici's `httpSocket`), as Go's transport does (dial,
 * then handshake). The same handshake, but a refused or unreachable endpoint never builds a TLS socket: with
 * insecure mirrors pinged https-first, that was a TLS socket created and torn down for nothing at every attempt on a
 * refused mirror. The pending dial stays the socket returned, so destroying it ends the handshake too. Each phase
 * has the connect timeout (the runtime: 30 s dial, then 10 s TLS handshake).
 */
function mappedConnector(base: ConnectFn, plain: ConnectFn, hostMap: HostMap | undefined): ConnectFn {
  return (opts, callback) => {
    const protocol = opts.protocol;
    const origPort = Number(opts.port) || (protocol === 'https:' ? 443 : 80);
    const target = hostMap?.lookup(opts.hostname, origPort);
    let dial = opts;
    if (target) {
      const servername = opts.servername || (isIP(opts.hostname) ? undefined : opts.hostname);
      dial = Object.assign({}, opts, { hostname: target.hostname, port: String(target.port) }, servername ? { servername } : null);
    }
    if (protocol !== 'https:' || opts.httpSocket) return base(dial, callback);
    const tcp = Object.assign({}, dial, { protocol: 'http:', port: String(Number(dial.port) || 443) });
    return plain(tcp, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('connect failed'), null);
      base(Object.assign({}, dial, { httpSocket: socket }), callback);
    });
  };
}

/**
 * Creates the production factory: keep-alive Pools per origin, grouped by TLS setting, all dialling through
 * the host map. Each TLS setting has one SecureContext, shared by every connection (Node otherwise builds a
 * context, with its CA store, for every TLS connection: that dominated memory when thousands of insecure
 * endpoints are pinged https-first).
 */
export function createDispatcherFactory(options: DispatcherFactoryOptions = {}): DispatcherFactory {
  const agents = new Map<string, UndiciAgent>();
  const pools = new Map<string, Dispatcher>();
  const connectors = new Map<string, ConnectFn>();
  const baseOf = new Map<string, ConnectFn>();
  /** The TCP half of every https dial, every http dial and every dial to a proxy: no TLS options, shared. */
  const plainBase = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 } as UndiciConnector.BuildOptions);
  const keyOf = (req: DispatcherRequest): string => (req.tls ? `${req.insecure ? 'insecure' : 'verify'}|${req.tls.files.join(',')}` : req.insecure ? 'insecure|' : 'verify|');
  const connector = (key: string, req: DispatcherRequest): ConnectFn => {
    let c = connectors.get(key);
    if (c) return c;
    const tlsOpts: Record<string, unknown> = { rejectUnauthorized: !req.insecure };
    const ctxOpts: Record<string, unknown> = {};
    if (req.tls && req.tls.ca.length > 0) ctxOpts.ca = [...rootCertificates, ...req.tls.ca]; // CAs are added, never replace
    if (req.tls?.cert && req.tls.key) {
      ctxOpts.cert = req.tls.cert;
      ctxOpts.key = req.tls.key;
    }
    tlsOpts.secureContext = createSecureContext(ctxOpts);
    const base = buildConnector({ ...tlsOpts, timeout: options.connectTimeoutMs ?? 10_000 } as UndiciConnector.BuildOptions);
    baseOf.set(key, base);
    c = mappedConnector(base, plainBase, options.hostMap);
    connectors.set(key, c);
    return c;
  };
  // --- proxy (issue 15): one connector per TLS setting and proxy; the host map applies to the proxy host only.
  const unmapped = new Map<string, ConnectFn>();
  const decisions = new Map<string, ProxyDecision>();
  const decide = (origin: string): ProxyDecision | null => {
    if (!options.proxy) return null;
    let d = decisions.get(origin);
    if (!d) {
      d = proxyForUrl(options.proxy, origin + '/');
      decisions.set(origin, d);
    }
    return d;
  };
  const tlsBase = (key: string, req: DispatcherRequest): ConnectFn => {
    let c = unmapped.get(key);
    if (!c) {
      connector(key, req); // builds the key's base connector
      c = baseOf.get(key)!;
      unmapped.set(key, c);
    }
    return c;
  };
  const proxiedPool = (key: string, req: DispatcherRequest, origin: string, d: ProxyDecision): Dispatcher => {
    const p = d.proxy!;
    const pool = new ClientPool(
      origin,
      poolOptions(
        proxiedConnector({
          proxy: p,
          dialPlain: mappedConnector(plainBase, plainBase, options.hostMap),
          dialTls: connector(key, req),
          tlsOver: tlsBase(key, req),
        }),
      ),
    );
    const plainHttp = origin.startsWith('http:');
    return plainHttp && p.scheme !== 'socks5' ? new AbsoluteFormDispatcher(pool, origin, proxyAuthorization(p)) : pool;
  };
  const poolOptions = (connect: ConnectFn) => ({
    connections: options.connectionsPerOrigin === undefined ? 16 : options.connectionsPerOrigin,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    headersTimeout: options.headersTimeoutMs ?? 300_000,
    bodyTimeout: options.bodyTimeoutMs ?? 300_000,
    maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
    connect,
  });
  return {
    get(req, origin) {
      const key = keyOf(req);
      if (origin !== undefined) {
        const pkey = `${key}|${origin}`;
        let pool = pools.get(pkey);
        if (!pool) {
          const d = decide(origin);
          if (d?.error) {
            const text = d.error;
            pool = new FailingDispatcher(() => new ProxyError('cgi', text, 'HTTP_PROXY'));
          } else if (d?.proxy) pool = proxiedPool(key, req, origin, d);
          else pool = new ClientPool(origin, poolOptions(connector(key, req)));
          pools.set(pkey, pool);
        }
        return pool;
      }
      let agent = agents.get(key);
      if (!agent) {
        agent = new Agent(poolOptions(connector(key, req)));
        agents.set(key, agent);
      }
      return agent;
    },
    async close() {
      const all: Dispatcher[] = [...agents.values(), ...pools.values()];
      agents.clear();
      pools.clear();
      // Requests abandoned at a deadline may still hold a connect/TLS handshake (undici does not abort those);
      // close gracefully for a moment, then destroy, so exiting never waits for undici's connect timeout.
      await Promise.all(
        all.map(async (a) => {
          const closed = a.close().then(() => true, () => false);
          const done = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), 250).unref())]);
          if (!done) await a.destroy().catch(() => {});
        }),
      );
    },
  };
}

/** A factory that hands out one given dispatcher (undici MockAgent in tests). `close` leaves it open. */
export function dispatcherFactoryFrom(dispatcher: Dispatcher): DispatcherFactory {
  return { get: () => dispatcher, close: async () => {} };
}
