/**
 * Per pull source: would the runtime's requests to it go through a proxy, which one, and why. A source's
 * requests go to `https://HOST/v2/…` (and, for an insecure source, also `http://HOST/v2/…` after an HTTPS
 * failure); docker.io is contacted as registry-1.docker.io, so NO_PROXY is matched against that name.
 * Pure: the proxy configuration (read once from the environment or a cluster Proxy object) and a Resolution in.
 */
import type { PullSource, Resolution } from '../resolve/resolution.ts';
import { describeProxyReason, proxyForUrl, type ProxyConfig, type ProxyDecision } from './proxy-for-url.ts';

export interface SourceProxyRoute {
  /** The URL the decision is for (`https://host/v2/`). */
  url: string;
  /** The proxy as printable (credentials replaced by `***`), or null: a direct connection. */
  via: string | null;
  /** Why, in words: `HTTPS_PROXY`, `NO_PROXY entry \`.corp.example.com\``, `loopback is never proxied`. */
  reason: string;
  /** Go's error instead of a connection (the CGI refusal), or null. */
  error: string | null;
}

export interface SourceProxy {
  https: SourceProxyRoute;
  /** Insecure sources only: the plain-HTTP fallback's route. */
  http: SourceProxyRoute | null;
}

/** The host the runtime dials for a physical reference (`host[:port]/path…`). */
export function registryHostOf(reference: string): string {
  const host = reference.split('/', 1)[0]!;
  return host === 'docker.io' ? 'registry-1.docker.io' : host;
}

function route(cfg: ProxyConfig, url: string): SourceProxyRoute {
  const d: ProxyDecision = proxyForUrl(cfg, url);
  return { url, via: d.proxy ? d.proxy.display : null, reason: describeProxyReason(d.reason), error: d.error ?? null };
}

export function sourceProxy(cfg: ProxyConfig, source: Pick<PullSource, 'reference' | 'insecure'>): SourceProxy {
  const host = registryHostOf(source.reference);
  return { https: route(cfg, `https://${host}/v2/`), http: source.insecure ? route(cfg, `http://${host}/v2/`) : null };
}

/** The Resolution with each source that is contacted (and each short-name candidate's) annotated with its proxy route. */
export function withProxyRoutes(cfg: ProxyConfig, r: Resolution): Resolution {
  // A blocked source is never contacted: it has no route.
  const annotate = (sources: PullSource[]): PullSource[] => sources.map((s) => (s.blocked ? s : { ...s, proxy: sourceProxy(cfg, s) }));
  return {
    ...r,
    sources: annotate(r.sources),
    ...(r.candidates !== undefined ? { candidates: r.candidates.map((c) => ({ ...c, sources: annotate(c.sources) })) } : {}),
  };
}

/** Whether any proxy variable is in force (text output mentions proxies only then). */
export function anyProxy(cfg: ProxyConfig): boolean {
  return cfg.httpProxy !== null || cfg.httpsProxy !== null || cfg.invalid.length > 0;
}
