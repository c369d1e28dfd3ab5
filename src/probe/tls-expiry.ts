/**
 * TLS certificate expiry per endpoint, seen on the connections the probes already make (no second
 * handshake, so the certificate measured is the one the probe was served, through --connect-to and
 * proxies alike). undici publishes every new connection on node:diagnostics_channel
 * (`undici:client:connected`, with the socket and the origin's host/port/servername); for a TLS socket
 * the peer chain is read once, and the earliest notAfter in it is kept per `host:port`, the figure
 * blackbox_exporter calls `probe_ssl_earliest_cert_expiry` (a chain that holds an expiring intermediate
 * fails as surely as an expiring leaf). A connection kept alive is not re-read: certificates change only
 * with a new handshake.
 */
import diagnostics from 'node:diagnostics_channel';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

interface ConnectedMessage {
  connectParams?: { hostname?: string; host?: string; port?: string | number; protocol?: string; servername?: string | null };
  socket?: unknown;
}

/** Earliest notAfter (Unix seconds) of a peer chain, stopping at a self-signed root; null when unreadable. */
export function earliestNotAfter(cert: DetailedPeerCertificate | null | undefined): number | null {
  let earliest: number | null = null;
  const seen = new Set<string>();
  for (let c = cert; c && c.valid_to && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    const t = Date.parse(c.valid_to);
    if (Number.isFinite(t)) earliest = earliest === null ? t / 1000 : Math.min(earliest, t / 1000);
    if (c.issuerCertificate === c) break;
  }
  return earliest;
}

/** `host:port` as the probe names a host (`ProbeEndpoint.host`): the port is explicit only when not 443. */
export function hostKey(hostname: string, port: string | number | undefined): string {
  const p = port === undefined || port === '' ? 443 : Number(port);
  const h = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return p === 443 ? h : `${h}:${p}`;
}

/**
 * Calls `onExpiry(hostKey, notAfterSeconds)` for every new TLS connection of this process until the
 * returned function is called.
 */
export function watchCertificateExpiry(onExpiry: (host: string, notAfterSeconds: number) => void): () => void {
  const channel = diagnostics.channel('undici:client:connected');
  const listener = (message: unknown): void => {
    const { connectParams, socket } = message as ConnectedMessage;
    const tls = socket as Partial<TLSSocket> | undefined;
    if (!connectParams || typeof tls?.getPeerCertificate !== 'function') return;
    // servername is the name TLS was asked for (the configured host, even when --connect-to dials elsewhere).
    const name = connectParams.servername || connectParams.hostname || connectParams.host?.split(':')[0];
    if (!name) return;
    const notAfter = earliestNotAfter(tls.getPeerCertificate(true));
    if (notAfter !== null) onExpiry(hostKey(name, connectParams.port), notAfter);
  };
  channel.subscribe(listener);
  return () => channel.unsubscribe(listener);
}
