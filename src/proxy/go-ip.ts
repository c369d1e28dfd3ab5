/**
 * IP addresses and CIDR ranges as Go 1.19's `net.ParseIP` / `net.ParseCIDR` read them, for NO_PROXY.
 * Every address is kept as 16 bytes (IPv4 as IPv4-mapped IPv6, as Go's net.IP does), so an IPv4 entry
 * equals the same address written `::ffff:a.b.c.d`, as Go's IP.Equal says.
 */

export type Ip16 = Uint8Array;

const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    // netip.ParseAddr: 1-3 digits, no leading zero, at most 255.
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Go's net.ParseIP (no zones): 16 bytes, or null. */
export function parseGoIp(s: string): Ip16 | null {
  const v4 = parseV4(s);
  if (v4) return Uint8Array.from([...V4_PREFIX, ...v4]);
  // node:net only here, on the first address with a colon: `resolve` imports this module and would otherwise
  // load node:net and its streams (about 2 ms of start-up) for nothing.
  if (!s.includes(':') || s.includes('%') || !process.getBuiltinModule('node:net').isIPv6(s)) return null;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const t = parseV4(s.slice(lastColon + 1));
    if (!t) return null;
    tail = t;
    text = s.slice(0, lastColon + 1) + '0:0'; // placeholder groups, replaced below
  }
  const [head, rest] = text.includes('::') ? [text.split('::')[0]!, text.split('::')[1]!] : [text, null];
  const hg = head === '' ? [] : head.split(':');
  const rg = rest === null || rest === '' ? [] : rest.split(':');
  const groups = rest === null ? hg : [...hg, ...Array<string>(8 - hg.length - rg.length).fill('0'), ...rg];
  if (groups.length !== 8) return null;
  const bytes: number[] = [];
  for (const g of groups) {
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return Uint8Array.from(bytes);
}

export function isV4(ip: Ip16): boolean {
  for (let i = 0; i < 12; i++) if (ip[i] !== V4_PREFIX[i]) return false;
  return true;
}

/** IP.IsLoopback: 127.0.0.0/8 or ::1. */
export function isLoopback(ip: Ip16): boolean {
  if (isV4(ip)) return ip[12] === 127;
  for (let i = 0; i < 15; i++) if (ip[i] !== 0) return false;
  return ip[15] === 1;
}

export function ipEqual(a: Ip16, b: Ip16): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface GoCidr {
  /** The network address, masked, 16 bytes. */
  net: Ip16;
  /** 16-byte mask. */
  mask: Uint8Array;
  /** An IPv4 network (Go compares 4-byte forms): contains IPv4 addresses only; otherwise IPv6 ones only. */
  v4: boolean;
}

function maskOf(bits: number): Uint8Array {
  const m = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const b = Math.max(0, Math.min(8, bits - i * 8));
    m[i] = b === 0 ? 0 : (0xff << (8 - b)) & 0xff;
  }
  return m;
}

/** Go's net.ParseCIDR, or null where it errors. */
export function parseGoCidr(s: string): GoCidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addrText = s.slice(0, slash);
  const maskText = s.slice(slash + 1);
  const ip = parseGoIp(addrText);
  if (!ip) return null;
  // netip.Is4 is true only for dotted IPv4 (not ::ffff:a.b.c.d), which sets the mask length limit.
  const is4 = parseV4(addrText) !== null;
  if (!/^[0-9]+$/.test(maskText)) return null; // dtoi: digits only (leading zeros allowed), the whole string
  const n = Number(maskText);
  if (n > (is4 ? 32 : 128) || maskText.length > 8) return null;
  const mask = maskOf(is4 ? 96 + n : n);
  const net = ip.map((b, i) => b & mask[i]!);
  return { net, mask, v4: isV4(net) };
}

/** IPNet.Contains. */
export function cidrContains(c: GoCidr, ip: Ip16): boolean {
  if (isV4(ip) !== c.v4) return false;
  for (let i = c.v4 ? 12 : 0; i < 16; i++) if ((ip[i]! & c.mask[i]!) !== c.net[i]) return false;
  return true;
}
