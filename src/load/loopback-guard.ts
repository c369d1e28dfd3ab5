/**
 * The load command's safety rule: it only sends load to loopback unless told otherwise. Every endpoint a
 * resolution can contact is checked where it is really dialled (after the host map): through a proxy, when the
 * proxy variables send it there (the proxy gets every request, so the proxy itself must be on loopback).
 */
import { isIP } from 'node:net';
import type { Resolution } from '../resolve/resolution.ts';
import type { HostMap } from '../registry/host-map.ts';
import { proxyForUrl, type ProxyConfig } from '../proxy/proxy-for-url.ts';

export function isLoopbackAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

function splitHostPort(hostPort: string): { host: string; port: number | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  return { host: (m?.[1] ?? hostPort).replace(/^\[|\]$/g, ''), port: m?.[2] ? Number(m[2]) : null };
}

/** The configured hosts (`host[:port]`) that would be dialled outside loopback; empty when all are local. */
export function nonLoopbackTargets(resolutions: readonly Resolution[], hostMap: HostMap, proxy?: ProxyConfig): string[] {
  const bad = new Set<string>();
  for (const r of resolutions) {
    const sources = r.candidates?.length ? r.candidates.flatMap((c) => c.sources) : r.sources;
    for (const s of sources) {
      if (s.blocked) continue; // never dialled
      const hostPort = s.reference.split('/')[0]!;
      const { host, port } = splitHostPort(hostPort);
      const dialHost = host === 'docker.io' ? 'registry-1.docker.io' : host;
      const ports = port !== null ? [port] : [443, 80];
      const targets = ports.map((p) => hostMap.lookup(dialHost, p)?.hostname ?? dialHost);
      if (!targets.every(isLoopbackAddress)) bad.add(hostPort);
      if (proxy) {
        // Both schemes: an insecure endpoint is tried over https, then http (each may have its own proxy).
        for (const scheme of ['https', 'http']) {
          const via = proxyForUrl(proxy, `${scheme}://${dialHost}${port !== null ? `:${port}` : ''}/`).proxy;
          if (via && !isLoopbackAddress(hostMap.lookup(via.hostname, via.port)?.hostname ?? via.hostname)) bad.add(`${hostPort} (through the proxy ${via.display})`);
        }
      }
    }
  }
  return [...bad].sort();
}
