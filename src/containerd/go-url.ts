/**
 * The parts of Go's `net/url.Parse` and `path.Clean` that containerd's hosts.toml handling depends on.
 *
 * containerd turns a `server` value or a `[host."…"]` key into scheme, host and path with `url.Parse`, so the odd
 * cases users write (a name that begins with "http", an upper-case `HTTPS://`, a port that is not a number, a
 * space in a host) come out exactly as Go parses them: a scheme taken from `httpfoo:`, an empty host, an error.
 * Written from the Go documentation and behaviour, not from its source.
 */
import { goQuote } from '../go-quote.ts';

export interface GoUrl {
  scheme: string;
  /** Authority host (with port), percent-decoded; '' when the URL has no `//authority`. */
  host: string;
  /** Decoded path ('' when none). */
  path: string;
  /** Set when the URL is opaque (`scheme:rest` without `//`). */
  opaque: string;
}

export type GoUrlResult = { ok: true; url: GoUrl } | { ok: false; error: string };

const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** Go's `url.Parse(raw)` (not via a request): the fields containerd reads, or Go's error text (`parse "…": …`). */
export function goParseUrl(raw: string): GoUrlResult {
  const fail = (why: string): GoUrlResult => ({ ok: false, error: `parse ${goQuote(raw)}: ${why}` });
  // The fragment is cut first; containerd never reads it, but its escapes are still checked.
  const hash = raw.indexOf('#');
  const main = hash === -1 ? raw : raw.slice(0, hash);
  if (hash !== -1) {
    const frag = unescape(raw.slice(hash + 1), 'fragment');
    if (!frag.ok) return fail(frag.error);
  }
  for (let i = 0; i < main.length; i++) {
    const code = main.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return fail('net/url: invalid control character in URL');
  }
  // Scheme: letters, then letters/digits/+-. up to the first ':'; anything else means "no scheme".
  let scheme = '';
  let rest = main;
  for (let i = 0; i < main.length; i++) {
    const c = main[i]!;
    if (isAlpha(c)) continue;
    if (isDigit(c) || c === '+' || c === '-' || c === '.') {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) return fail('missing protocol scheme');
      scheme = main.slice(0, i).toLowerCase();
      rest = main.slice(i + 1);
    }
    break;
  }
  // The query is cut off (containerd ignores it).
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q !== -1) rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ok: true, url: { scheme, host: '', path: '', opaque: rest } };
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon !== -1 && (slash === -1 || colon < slash)) return fail('first path segment in URL cannot contain colon');
  }
  let host = '';
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const after = rest.slice(2);
    const slash = after.indexOf('/');
    const authority = slash === -1 ? after : after.slice(0, slash);
    rest = slash === -1 ? '' : after.slice(slash);
    const parsed = parseAuthority(authority);
    if (!parsed.ok) return fail(parsed.error);
    host = parsed.host;
  }
  const path = unescape(rest, 'path');
  if (!path.ok) return fail(path.error);
  return { ok: true, url: { scheme, host, path: path.value, opaque: '' } };
}

function parseAuthority(authority: string): { ok: true; host: string } | { ok: false; error: string } {
  const at = authority.lastIndexOf('@');
  const hostPart = at === -1 ? authority : authority.slice(at + 1);
  if (at !== -1 && !validUserinfo(authority.slice(0, at))) return { ok: false, error: 'net/url: invalid userinfo' };
  return parseHost(hostPart);
}

function validUserinfo(s: string): boolean {
  for (const c of s) {
    if (isAlpha(c) || isDigit(c)) continue;
    if ("-._:~!$&'()*+,;=%@".includes(c)) continue;
    return false;
  }
  return true;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (const c of port.slice(1)) if (!isDigit(c)) return false;
  return true;
}

function parseHost(host: string): { ok: true; host: string } | { ok: false; error: string } {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close === -1) return { ok: false, error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) {
      const colonPort = host.slice(colon);
      if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
    }
  }
  const un = unescape(host, 'host');
  if (!un.ok) return { ok: false, error: un.error };
  return { ok: true, host: un.value };
}

// Characters Go refuses unescaped in a host name (ASCII only; bytes ≥ 0x80 pass).
const HOST_OK = new Set("!$&'()*+,;=:[]<>\"-_.~".split(''));

function unescape(s: string, mode: 'host' | 'path' | 'fragment'): { ok: true; value: string } | { ok: false; error: string } {
  if (!s.includes('%')) {
    if (mode === 'host') {
      for (const c of s) {
        if (c.charCodeAt(0) >= 0x80 || isAlpha(c) || isDigit(c) || HOST_OK.has(c)) continue;
        return { ok: false, error: `invalid character ${goQuote(c)} in host name` };
      }
    }
    return { ok: true, value: s };
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const seq = s.slice(i, i + 3);
      if (seq.length < 3 || !isHex(seq[1]!) || !isHex(seq[2]!)) return { ok: false, error: `invalid URL escape ${goQuote(seq)}` };
      // In a host, only %25 (an escaped '%', for IPv6 zones) and escapes of bytes ≥ 0x80 are allowed.
      if (mode === 'host' && parseInt(seq.slice(1), 16) < 0x80 && seq !== '%25') return { ok: false, error: `invalid URL escape ${goQuote(seq)}` };
      bytes.push(parseInt(seq.slice(1), 16));
      i += 2;
      continue;
    }
    if (mode === 'host' && !(c.charCodeAt(0) >= 0x80 || isAlpha(c) || isDigit(c) || HOST_OK.has(c))) {
      return { ok: false, error: `invalid character ${goQuote(c)} in host name` };
    }
    for (const b of enc.encode(c)) bytes.push(b);
  }
  return { ok: true, value: new TextDecoder().decode(new Uint8Array(bytes)) };
}

/** Go's `path.Clean`: lexical, slash-separated; '' → '.'. */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go's `net.SplitHostPort` port part ('' when the host has none or the split fails). */
export function goPort(hostport: string): string {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close === -1 || hostport[close + 1] !== ':') return '';
    return hostport.slice(close + 2);
  }
  const colon = hostport.lastIndexOf(':');
  if (colon === -1 || hostport.indexOf(':') !== colon) return '';
  return hostport.slice(colon + 1);
}

/** Go's `net.SplitHostPort` host part, or the input when it has no port. */
export function goHostOnly(hostport: string): string {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close !== -1 && hostport[close + 1] === ':') return hostport.slice(1, close);
    return hostport;
  }
  const colon = hostport.lastIndexOf(':');
  if (colon === -1 || hostport.indexOf(':') !== colon) return hostport;
  return hostport.slice(0, colon);
}

/** containerd's IsLocalhost: `localhost` or a loopback IP, port ignored. */
export function isLocalhost(host: string): boolean {
  const h = goHostOnly(host);
  if (h === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return h.split('.').every((o) => Number(o) <= 255);
  return h === '::1' || /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || /^::ffff:127\./i.test(h);
}
