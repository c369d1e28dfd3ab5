/**
 * Which hosts directory containerd reads for a registry host (config.HostDirFromRoot and the CRI plugin's
 * list of roots): in each root, `host_port_` first (on Linux too), then `host:port`, then `_default`; the first
 * directory that EXISTS wins — even when it is empty or its hosts.toml is broken — and with several roots
 * (`config_path = "a:b"`) root `a`'s `_default` wins over root `b`'s `quay.io`.
 */

/** containerd's hostDirectory: `host:port` → `host_port_` (last colon; none for a name without a port). */
export function hostDirectoryName(host: string): string {
  const idx = host.lastIndexOf(':');
  if (idx > 0) return `${host.slice(0, idx)}_${host.slice(idx + 1)}_`;
  return host;
}

/** The directory names looked up in one root, in order. */
export function hostDirCandidates(host: string): string[] {
  const converted = hostDirectoryName(host);
  const out: string[] = [];
  if (converted !== host) out.push(converted);
  out.push(host, '_default');
  return out;
}

/**
 * The first (root index, directory name) that exists, or null. `exists(rootIndex, name)` answers from the
 * tree read beforehand (no I/O here).
 */
export function findHostDir(host: string, rootCount: number, exists: (root: number, name: string) => boolean): { root: number; name: string } | null {
  const names = hostDirCandidates(host);
  for (let root = 0; root < rootCount; root++) {
    for (const name of names) if (exists(root, name)) return { root, name };
  }
  return null;
}
