/**
 * The containerd part of a scenario's `[config]`: the node's hosts directories and its config.toml.
 *
 * ```toml
 * [config]
 * hosts = { "docker.io" = '''
 * [host."http://mirror.example.com:5000"]
 *   capabilities = ["pull", "resolve"]
 * ''' }
 * containerd-config = '''            # optional: without it the directories are read, as `ctr --hosts-dir`
 * version = 2
 * [plugins."io.containerd.grpc.v1.cri".registry]
 *   config_path = "/etc/containerd/certs.d"
 * '''
 * hosts-root = "/etc/containerd/certs.d"   # optional: where the hosts directories are on the node
 * containerd-compat = "1.6"                # optional: 1.6 (default), 1.7, 2.x
 * ```
 */
import type { TableReader } from './table-reader.ts';
import { isTable } from './table-reader.ts';
import type { ScenarioContainerd } from './types.ts';

export const CONTAINERD_CONFIG_KEYS = ['hosts', 'containerd-config', 'hosts-root', 'containerd-compat'] as const;

/** containerd's own default `config_path` in its documentation (and what the scenario's `hosts` are written under). */
export const DEFAULT_HOSTS_ROOT = '/etc/containerd/certs.d';

/** The containerd node the `[config]` table describes, or null when it describes none. */
export function readContainerdConfig(t: TableReader): ScenarioContainerd | null {
  if (!CONTAINERD_CONFIG_KEYS.some((k) => t.has(k))) return null;
  const raw = t.raw('hosts');
  const hosts: Record<string, string | null> = {};
  if (raw !== undefined) {
    if (!isTable(raw)) throw t.fail('hosts', 'a table of host directory name → hosts.toml text (e.g. hosts = { "docker.io" = \'\'\'…\'\'\' })', raw);
    for (const [name, text] of Object.entries(raw)) {
      // A directory name as containerd looks it up: host, host:port, host_port_ or _default; never a path.
      if (name === '' || name.includes('/') || name === '.' || name === '..') throw t.fail(`hosts."${name}"`, 'a host directory name (docker.io, mirror:5000, _default)', name);
      if (text !== false && typeof text !== 'string') throw t.fail(`hosts."${name}"`, 'the hosts.toml text (a string), or false for a directory without hosts.toml', text);
      hosts[name] = text === false ? null : text;
    }
  }
  const config = t.string('containerd-config') ?? null;
  const root = t.string('hosts-root') ?? DEFAULT_HOSTS_ROOT;
  if (!root.startsWith('/')) throw t.fail('hosts-root', 'an absolute directory path on the node', root);
  const compat = (t.string('containerd-compat', { oneOf: ['1.6', '1.7', '2.x'] }) ?? '1.6') as ScenarioContainerd['compat'];
  return { hosts, root, config, compat };
}
