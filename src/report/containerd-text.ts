/**
 * The containerd parts of `pullpath resolve`'s text chain: the hosts.toml that applied instead of a
 * [[registry]] entry, and per host what containerd sends (URL path, ?ns=, capabilities, TLS, header names —
 * never header values, which may carry credentials).
 */
import type { MatchedRegistry, PullSource } from '../resolve/resolution.ts';

export function containerdRegistryLines(r: MatchedRegistry | null, indent: string): string[] {
  if (r === null) return [`${indent}hosts.toml: none applies (no directory for this registry, nor _default); containerd contacts the registry itself`];
  return [`${indent}hosts.toml: directory "${r.prefix}" (${r.location})`, `${indent}          from ${r.origin}`];
}

export function containerdSourceDetail(s: PullSource, indent: string): string[] {
  const e = s.containerd;
  if (e === undefined) return [];
  const parts = [`capabilities [${e.capabilities.join(', ')}]`];
  if (e.ns !== null) parts.push(`?ns=${e.ns}`);
  if (e.skipVerify) parts.push(e.scheme === 'http' && e.httpFallback !== true ? 'skip_verify (no effect on plain HTTP)' : 'skip_verify (TLS not verified; still HTTPS)');
  if (e.scheme === 'http') parts.push('plain HTTP');
  if (e.httpFallback === true) parts.push('HTTPS first, then HTTP on a TLS error');
  if (e.caFiles.length > 0) parts.push(`ca ${e.caFiles.join(', ')}`);
  if (e.clientCerts.length > 0) parts.push(`client ${e.clientCerts.map((c) => c.cert + (c.key ? `+${c.key}` : '')).join(', ')}`);
  const names = Object.keys(e.headers);
  if (names.length > 0) parts.push(`headers ${names.join(', ')}`);
  if (e.dialTimeoutMs !== null) parts.push(`dial_timeout ${e.dialTimeoutMs} ms`);
  return [`${indent}${parts.join('; ')}`];
}
