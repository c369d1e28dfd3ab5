/**
 * The parts of Go's `net/url.Parse` (Go 1.19) that decide how a proxy variable is read. A proxy value is
 * whatever a user typed into HTTPS_PROXY, and Go's parser accepts, rejects and re-reads such values in
 * its own way (`proxy.corp:3128` parses as scheme `proxy.corp`; `http://proxy:port` fails, and the retry
 * with `http://` in front yields host `http:`). The WHATWG URL parser Node has differs on exactly these
 * inputs, so the decision of which proxy Go would dial is made with this parser. Checked against Go's own
 * answers in test/fixtures/proxy/go-proxy-oracle.json.
 */

export interface GoUrl {
  scheme: string;
  opaque: string;
  /** null: no `@` in the authority. */
  user: { username: string; password: string | null } | null;
  /** As Go's URL.Host: `name:port`, `[v6]:port`, or empty. */
  host: string;
  path: string;
}

export class GoUrlError extends Error {}

const HEX = /^[0-9a-fA-F]{2}$/;

function hasCtl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

type Mode = 'path' | 'host' | 'user' | 'fragment';

// Characters Go's shouldEscape lets through unescaped in a host (encodeHost): unreserved plus sub-delims and a few more.
const HOST_OK = new Set("!$&'()*+,;=:[]<>\"-_.~".split(''));

function isAlnum(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/** Go's unescape: `%XX` decoded (bytes, then UTF-8), errors where Go errors. */
function unescape(s: string, mode: Mode): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) throw new GoUrlError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      // In a host, Go accepts %XX only for non-ASCII bytes (and %25 in zones).
      if (mode === 'host' && parseInt(hex[0]!, 16) < 8 && s.slice(i, i + 3) !== '%25') throw new GoUrlError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (mode === 'host' && code < 0x80 && !isAlnum(ch) && !HOST_OK.has(ch)) throw new GoUrlError(`invalid character ${JSON.stringify(ch)} in host name`);
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Go's validOptionalPort: empty, or `:` followed by digits only. */
export function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

const USERINFO_OK = new Set("-._:~!$&'()*+,;=%@".split(''));

function validUserinfo(s: string): boolean {
  for (const c of s) if (!isAlnum(c) && !USERINFO_OK.has(c)) return false;
  return true;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new GoUrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${JSON.stringify(colonPort)} after host`);
    return unescape(host, 'host');
  }
  const i = host.lastIndexOf(':');
  if (i !== -1) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${JSON.stringify(colonPort)} after host`);
  }
  return unescape(host, 'host');
}

function parseAuthority(authority: string): { user: GoUrl['user']; host: string } {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return { user: null, host };
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new GoUrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: { username: unescape(userinfo, 'user'), password: null }, host };
  return { user: { username: unescape(userinfo.slice(0, colon), 'user'), password: unescape(userinfo.slice(colon + 1), 'user') }, host };
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new GoUrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** Go's `url.Parse` (not via a request), for the fields a proxy decision reads. Throws GoUrlError where Go errors. */
export function goParseUrl(rawURL: string): GoUrl {
  const hash = rawURL.indexOf('#');
  const u = hash < 0 ? rawURL : rawURL.slice(0, hash);
  if (hasCtl(u)) throw new GoUrlError('net/url: invalid control character in URL');
  const out: GoUrl = { scheme: '', opaque: '', user: null, host: '', path: '' };
  if (u === '*') {
    out.path = '*';
  } else {
    let [scheme, rest] = getScheme(u);
    out.scheme = scheme.toLowerCase();
    if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
    else {
      const q = rest.indexOf('?');
      if (q >= 0) rest = rest.slice(0, q);
    }
    if (!rest.startsWith('/')) {
      if (out.scheme !== '') {
        out.opaque = rest;
        return withFragment(out, rawURL, hash);
      }
      const slash = rest.indexOf('/');
      const segment = slash < 0 ? rest : rest.slice(0, slash);
      if (segment.includes(':')) throw new GoUrlError('first path segment in URL cannot contain colon');
    }
    if ((out.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      const afterSlashes = rest.slice(2);
      const slash = afterSlashes.indexOf('/');
      const authority = slash < 0 ? afterSlashes : afterSlashes.slice(0, slash);
      rest = slash < 0 ? '' : afterSlashes.slice(slash);
      const a = parseAuthority(authority);
      out.user = a.user;
      out.host = a.host;
    }
    out.path = unescape(rest, 'path');
  }
  return withFragment(out, rawURL, hash);
}

function withFragment(out: GoUrl, raw: string, hash: number): GoUrl {
  if (hash >= 0) unescape(raw.slice(hash + 1), 'fragment'); // only for its errors
  return out;
}

/** Go's splitHostPort on URL.Host: the port only when it is digits after the last colon. */
function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

/** URL.Hostname(). */
export function goHostname(u: Pick<GoUrl, 'host'>): string {
  return splitHostPort(u.host)[0];
}

/** URL.Port(). */
export function goPort(u: Pick<GoUrl, 'host'>): string {
  return splitHostPort(u.host)[1];
}
