/**
 * The contract between containerd's resolution model (src/containerd/, which reads hosts.toml trees and
 * containerd's config.toml) and the pull engine (src/pull/), which contacts hosts the way containerd's remote
 * resolver does. A containerd Resolution is the same `Resolution` as for containers/image; each of its
 * `PullSource`s carries a `containerd` endpoint, because containerd does not rewrite the repository name: it
 * keeps the reference's path and changes the host URL, the path prefix, the headers and the `?ns=` query.
 */

/** What containerd may do with a host (hosts.toml `capabilities`). */
export type ContainerdCapability = 'pull' | 'resolve' | 'push';

/** Which containerd's behaviour to emulate where versions differ (`--compat` with `--runtime containerd`). */
export type ContainerdCompat = '1.6' | '1.7' | '2.x';

/** One host containerd contacts for a reference, after hosts.toml processing (config/hosts.go RegistryHost). */
export interface ContainerdEndpoint {
  /** `http` or `https`: a host key without a scheme gets https; loopback registries without a file get http. */
  scheme: 'http' | 'https';
  /** `host[:port]` as dialled (docker.io's own fallback is `registry-1.docker.io`). */
  host: string;
  /** The URL path requests go under, already cleaned: `/v2`, `/v2/prefix/v2`, `//v2`, or as given with override_path. */
  path: string;
  capabilities: ContainerdCapability[];
  /** `skip_verify = true`: TLS verification off. It never allows plain HTTP. */
  skipVerify: boolean;
  /** `ca` files, as written (relative paths resolved against the hosts.toml directory). */
  caFiles: string[];
  /** `client` pairs: certificate file and key file (null when the pair is one file). */
  clientCerts: Array<{ cert: string; key: string | null }>;
  /** `[host."…".header]` values, sent on every request to this host. */
  headers: Record<string, string[]>;
  /** The `?ns=` value (the reference's registry, `docker.io` for registry-1.docker.io), null when not added. */
  ns: string | null;
  /** `dial_timeout` in milliseconds, null for containerd's default. */
  dialTimeoutMs: number | null;
  /** true for `server` or, without one, the registry itself: always tried last. */
  isServer: boolean;
  /**
   * containerd 1.7+/2.x: an `http://` host with TLS settings (skip_verify, ca, client; the loopback default sets
   * skip_verify) and a port other than 80 is tried over HTTPS first and falls back to HTTP on a TLS error
   * (docker.NewHTTPFallback); `scheme` is then `https`. Absent or false: no fallback.
   */
  httpFallback?: boolean;
}
