/**
 * Which proxy the runtime uses for a request: Go's `http.ProxyFromEnvironment` (golang.org/x/net/http/httpproxy
 * as vendored in Go 1.19, which skopeo 1.9.3 and CRI-O are built with), as a pure function of the environment.
 * containers/image sets that function as its transport's Proxy, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY mean for
 * a pull exactly what they mean here. The decision also says *why* (which variable, which NO_PROXY entry), for
 * `resolve`. The environment is an argument: nothing here reads process.env.
 *
 * Go's rules, in short (each one is a row in test/fixtures/proxy/go-proxy-oracle.json, Go's own answers):
 * - upper case wins: HTTPS_PROXY before https_proxy, HTTP_PROXY before http_proxy, NO_PROXY before no_proxy;
 *   an empty variable counts as unset;
 * - https:// requests use HTTPS_PROXY only, http:// requests HTTP_PROXY only (no fallback between them);
 * - with REQUEST_METHOD set (a CGI program), an HTTP_PROXY for an http:// request is an error, not a proxy;
 * - `localhost` and loopback addresses are never proxied, whatever NO_PROXY says;
 * - NO_PROXY: comma-separated, case-insensitive; `*` alone switches the proxy off; `a.b` matches a.b and
 *   *.a.b; `.a.b` and `*.a.b` match subdomains only; IP addresses and CIDR ranges match IP hosts only
 *   (never a name that resolves to them); an entry with `:port` matches that port only (default ports count);
 * - a proxy value without a known scheme (http, https, socks5) is read again with `http://` in front.
 */
import { domainToASCII } from 'node:url';
import { goHostname, goParseUrl, goPort, GoUrlError, type GoUrl } from './go-url.ts';
import { cidrContains, ipEqual, isLoopback, parseGoCidr, parseGoIp, type GoCidr, type Ip16 } from './go-ip.ts';

/** The variables Go reads (any other key of the environment is ignored). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export type ProxyVariable = 'HTTPS_PROXY' | 'https_proxy' | 'HTTP_PROXY' | 'http_proxy';

/** A proxy URL as Go parsed it. `password` is a secret: never print it (use `display`). */
export interface ProxyUrl {
  scheme: string;
  /** URL.Host as Go keeps it (`proxy.corp:3128`, `[fd00::5]:3128`). */
  host: string;
  hostname: string;
  /** The port written, or '' (the dial port is then the scheme's default: see `port`). */
  portText: string;
  /** The port dialled: written, or 80 (http), 443 (https), 1080 (socks5). */
  port: number;
  username: string | null;
  password: string | null;
  path: string;
  /** Printable form: scheme and host, credentials replaced by `***` (Go ignores the path). */
  display: string;
}

export interface ProxyConfig {
  httpProxy: ProxyUrl | null;
  httpsProxy: ProxyUrl | null;
  /** Which variable each came from (for reasons). */
  httpVar: ProxyVariable | null;
  httpsVar: ProxyVariable | null;
  /** NO_PROXY as read, and from which variable. */
  noProxy: string;
  noProxyVar: 'NO_PROXY' | 'no_proxy' | null;
  /** REQUEST_METHOD is set. */
  cgi: boolean;
  /** Variables set to a value Go could not parse (Go then ignores them silently). */
  invalid: { variable: ProxyVariable; error: string }[];
  /** Parsed NO_PROXY entries, in order; `*` clears the rest. */
  ipMatchers: Matcher[];
  domainMatchers: Matcher[];
}

type Matcher =
  | { kind: 'all'; entry: string }
  | { kind: 'cidr'; entry: string; cidr: GoCidr }
  | { kind: 'ip'; entry: string; ip: Ip16; port: string }
  | { kind: 'domain'; entry: string; host: string; port: string; matchHost: boolean };

export type ProxyReason =
  | { kind: 'proxy'; variable: ProxyVariable }
  | { kind: 'no-variable'; variables: string }
  | { kind: 'localhost' }
  | { kind: 'loopback' }
  | { kind: 'no-proxy'; entry: string; variable: 'NO_PROXY' | 'no_proxy'; all: boolean }
  | { kind: 'cgi' }
  | { kind: 'not-http' };

export interface ProxyDecision {
  /** The proxy to go through; null: a direct connection (or an error). */
  proxy: ProxyUrl | null;
  reason: ProxyReason;
  /** Go's error (the CGI refusal): the request fails with it. */
  error?: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, socks5: 1080 };

function getEnvAny(env: ProxyEnv, ...names: string[]): [string, string | null] {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return [v, n];
  }
  return ['', null];
}

function idnaASCII(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  const a = domainToASCII(s);
  return a === '' ? s : a;
}

function toProxyUrl(u: GoUrl): ProxyUrl {
  const hostname = goHostname(u);
  const portText = goPort(u);
  const port = portText !== '' ? Number(portText) : (DEFAULT_PORTS[u.scheme] ?? 0);
  const creds = u.user ? '***@' : '';
  return {
    scheme: u.scheme,
    host: u.host,
    hostname,
    portText,
    port,
    username: u.user ? u.user.username : null,
    password: u.user ? u.user.password : null,
    path: u.path,
    display: `${u.scheme}://${creds}${u.host}`, // never the path: an odd value can carry credentials there
  };
}

/** httpproxy's parseProxy: null for an empty value; throws GoUrlError where Go reports the value invalid. */
export function parseProxyValue(value: string): ProxyUrl | null {
  if (value === '') return null;
  let first: GoUrl | null = null;
  let err: GoUrlError | null = null;
  try {
    first = goParseUrl(value);
  } catch (e) {
    if (!(e instanceof GoUrlError)) throw e;
    err = e;
  }
  if (err || (first && first.scheme !== 'http' && first.scheme !== 'https' && first.scheme !== 'socks5')) {
    try {
      return toProxyUrl(goParseUrl('http://' + value));
    } catch (e) {
      if (!(e instanceof GoUrlError)) throw e;
    }
  }
  if (err) throw new GoUrlError(`invalid proxy address ${JSON.stringify(redactValue(value))}: ${err.message}`); // Go's %q, credentials hidden
  return toProxyUrl(first!);
}

/** net.SplitHostPort, for NO_PROXY entries; null where Go errors. */
function splitHostPort(s: string): [string, string] | null {
  const colon = s.lastIndexOf(':');
  if (colon < 0) return null;
  let host: string;
  if (s[0] === '[') {
    const end = s.indexOf(']');
    if (end < 0 || end + 1 !== colon) return null; // `]` must be followed by the port's colon
    host = s.slice(1, end);
    if (s.slice(1).includes('[') || s.slice(end + 1).includes(']')) return null;
  } else {
    host = s.slice(0, colon);
    if (host.includes(':') || s.includes('[') || s.includes(']')) return null; // too many colons, stray brackets
  }
  return [host, s.slice(colon + 1)];
}

/** Reads the environment once, as Go does at the first request (FromEnvironment + init). */
export function proxyConfigFromEnv(env: ProxyEnv): ProxyConfig {
  const [httpValue, httpVar] = getEnvAny(env, 'HTTP_PROXY', 'http_proxy');
  const [httpsValue, httpsVar] = getEnvAny(env, 'HTTPS_PROXY', 'https_proxy');
  const [noProxy, noProxyVar] = getEnvAny(env, 'NO_PROXY', 'no_proxy');
  const invalid: ProxyConfig['invalid'] = [];
  const read = (value: string, variable: string | null): ProxyUrl | null => {
    try {
      return parseProxyValue(value);
    } catch (e) {
      invalid.push({ variable: variable as ProxyVariable, error: (e as Error).message });
      return null;
    }
  };
  const httpProxy = read(httpValue, httpVar);
  const httpsProxy = read(httpsValue, httpsVar);
  const cfg: ProxyConfig = {
    httpProxy,
    httpsProxy,
    httpVar: httpProxy ? (httpVar as ProxyVariable) : null,
    httpsVar: httpsProxy ? (httpsVar as ProxyVariable) : null,
    noProxy,
    noProxyVar: noProxyVar as ProxyConfig['noProxyVar'],
    cgi: (env.REQUEST_METHOD ?? '') !== '',
    invalid,
    ipMatchers: [],
    domainMatchers: [],
  };
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') {
      cfg.ipMatchers = [{ kind: 'all', entry: raw.trim() }];
      cfg.domainMatchers = [{ kind: 'all', entry: raw.trim() }];
      break;
    }
    const cidr = parseGoCidr(p);
    if (cidr) {
      cfg.ipMatchers.push({ kind: 'cidr', entry: raw.trim(), cidr });
      continue;
    }
    let phost: string;
    let pport = '';
    const hp = splitHostPort(p);
    if (hp) {
      [phost, pport] = hp;
      if (phost.length === 0) continue;
      if (phost[0] === '[' && phost[phost.length - 1] === ']') phost = phost.slice(1, -1);
    } else {
      phost = p;
    }
    const pip = parseGoIp(phost);
    if (pip) {
      cfg.ipMatchers.push({ kind: 'ip', entry: raw.trim(), ip: pip, port: pport });
      continue;
    }
    if (phost.length === 0) continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    let matchHost = false;
    if (phost[0] !== '.') {
      matchHost = true;
      phost = '.' + phost;
    }
    phost = idnaASCII(phost);
    cfg.domainMatchers.push({ kind: 'domain', entry: raw.trim(), host: phost, port: pport, matchHost });
  }
  return cfg;
}

function matches(m: Matcher, host: string, port: string, ip: Ip16 | null): boolean {
  switch (m.kind) {
    case 'all':
      return true;
    case 'cidr':
      return ip !== null && cidrContains(m.cidr, ip);
    case 'ip':
      return ip !== null && ipEqual(m.ip, ip) && (m.port === '' || m.port === port);
    case 'domain':
      return (host.endsWith(m.host) || (m.matchHost && host === m.host.slice(1))) && (m.port === '' || m.port === port);
  }
}

/** A request URL's scheme, host (as written, brackets removed) and port, without WHATWG normalisation. */
function splitRequestUrl(url: string): { scheme: string; hostname: string; port: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([0-9]*))?/.exec(url);
  if (!m) return { scheme: '', hostname: '', port: '' };
  const host = m[2]!;
  return { scheme: m[1]!.toLowerCase(), hostname: host.startsWith('[') ? host.slice(1, -1) : host, port: m[3] ?? '' };
}

/** The proxy for one request URL (`https://registry.example.com:5000/v2/`), with the reason. */
export function proxyForUrl(cfg: ProxyConfig, url: string): ProxyDecision {
  const req = splitRequestUrl(url);
  let proxy: ProxyUrl | null = null;
  let variable: ProxyVariable | null = null;
  if (req.scheme === 'https') {
    proxy = cfg.httpsProxy;
    variable = cfg.httpsVar;
  } else if (req.scheme === 'http') {
    proxy = cfg.httpProxy;
    variable = cfg.httpVar;
    if (proxy && cfg.cgi) {
      return { proxy: null, reason: { kind: 'cgi' }, error: 'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy' };
    }
  } else {
    return { proxy: null, reason: { kind: 'not-http' } };
  }
  if (!proxy) return { proxy: null, reason: { kind: 'no-variable', variables: req.scheme === 'https' ? 'HTTPS_PROXY/https_proxy' : 'HTTP_PROXY/http_proxy' } };
  // canonicalAddr: the host (IDNA), the port or the scheme's default.
  const host0 = idnaASCII(req.hostname);
  const port = req.port !== '' ? req.port : String(DEFAULT_PORTS[req.scheme]);
  if (host0 === 'localhost') return { proxy: null, reason: { kind: 'localhost' } };
  const ip = parseGoIp(host0);
  if (ip && isLoopback(ip)) return { proxy: null, reason: { kind: 'loopback' } };
  const host = host0.trim().toLowerCase();
  const nv = cfg.noProxyVar ?? 'NO_PROXY';
  if (ip) {
    for (const m of cfg.ipMatchers) if (matches(m, host, port, ip)) return { proxy: null, reason: { kind: 'no-proxy', entry: m.entry, variable: nv, all: m.kind === 'all' } };
  }
  for (const m of cfg.domainMatchers) if (matches(m, host, port, ip)) return { proxy: null, reason: { kind: 'no-proxy', entry: m.entry, variable: nv, all: m.kind === 'all' } };
  return { proxy, reason: { kind: 'proxy', variable: variable! } };
}

/** One line saying why: `HTTPS_PROXY`, `NO_PROXY entry ".corp.example.com"`, `loopback is never proxied`. */
export function describeProxyReason(r: ProxyReason): string {
  switch (r.kind) {
    case 'proxy':
      return r.variable;
    case 'no-variable':
      return `no ${r.variables} set`;
    case 'localhost':
      return '`localhost` is never proxied';
    case 'loopback':
      return 'loopback is never proxied';
    case 'no-proxy':
      return r.all ? `${r.variable} is \`*\`` : `${r.variable} entry \`${r.entry}\``;
    case 'cgi':
      return 'REQUEST_METHOD is set (a CGI environment): Go refuses HTTP_PROXY for http:// requests';
    case 'not-http':
      return 'not an http(s) URL';
  }
}

/** A proxy variable's value with any credentials replaced (for error messages about the value itself). */
export function redactValue(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(value)?.[0] ?? '';
  return `${scheme}***@${value.slice(at + 1)}`;
}

/** The proxy's dial address, as Go's canonicalAddr(proxyURL): `host:port` (IPv6 in brackets). */
export function proxyDialAddress(p: ProxyUrl): { hostname: string; port: number } {
  return { hostname: idnaASCII(p.hostname), port: p.port };
}
