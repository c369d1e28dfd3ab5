/**
 * Reading what the containerd flags select (cli/containerd-flags.ts parses them): the hosts directory trees and
 * containerd's config.toml, for every config-taking command and for lint. Loaded on demand.
 */
import { ConfigError } from '../src/errors.ts';
import { containerdSetupFromTexts, type ContainerdSetup } from '../src/containerd/setup.ts';
import { readContainerdConfig, readHostsDirs } from '../src/containerd/read-tree.ts';
import { parseContainerdConfig } from '../src/containerd/config-toml.ts';
import type { ContainerdLintInput } from '../src/containerd/lint.ts';
import { DEFAULT_CONTAINERD_CONFIG, hostsDirsFromFlags, parseContainerdCompat, type ContainerdFlagValues } from './containerd-flags.ts';

/**
 * Reads what containerd would read. --hosts-dir: those roots (as ctr --hosts-dir; config.toml is not read unless
 * --containerd-config is given too, and then its config_path is replaced by the flag). Otherwise config.toml
 * (explicit: must exist; default: absent means containerd's defaults) and the roots its config_path names.
 */
export async function loadContainerdSetupFromFlags(values: ContainerdFlagValues): Promise<ContainerdSetup> {
  const compat = parseContainerdCompat(values.compat);
  const dirs = hostsDirsFromFlags(values);
  const explicitConfig = values['containerd-config'];
  if (dirs.length > 0) {
    if (explicitConfig === undefined) return containerdSetupFromTexts({ hostsDirs: await readHostsDirs(dirs), compat });
  }
  const configPath = explicitConfig ?? DEFAULT_CONTAINERD_CONFIG;
  const configText = await readContainerdConfig(configPath);
  if (configText === null && explicitConfig !== undefined) {
    throw new ConfigError(`${configPath}: open ${configPath}: no such file or directory`, { file: configPath, code: 'PP_ERR_CONFIG_NOT_FOUND' });
  }
  if (configText === null) {
    // No config.toml: containerd 1.x reads no hosts.toml (config_path defaults to ""); 2.x uses its default roots.
    const roots = compat === '2.x' ? ['/etc/containerd/certs.d', '/etc/docker/certs.d'] : [];
    if (dirs.length > 0 || roots.length > 0) return containerdSetupFromTexts({ hostsDirs: await readHostsDirs(dirs.length > 0 ? dirs : roots), compat });
    return containerdSetupFromTexts({ hostsDirs: [], configToml: { path: `${configPath} (absent)`, text: '' }, compat });
  }
  const parsed = parseContainerdConfig(configText.path, configText.text, compat);
  const roots = dirs.length > 0 ? dirs : parsed.roots;
  return containerdSetupFromTexts({ hostsDirs: await readHostsDirs(roots), configToml: configText, compat });
}

/**
 * What `lint --runtime containerd` checks: the setup as containerd's CRI plugin sees it (config.toml, and the
 * roots its config_path names) — or, with --hosts-dir alone, as ctr --hosts-dir sees it. When config.toml has no
 * config_path, the hosts directories the user expected to be read (--hosts-dir, else /etc/containerd/certs.d) are
 * listed as unread.
 */
export async function loadContainerdLintInput(values: ContainerdFlagValues): Promise<ContainerdLintInput> {
  const compat = parseContainerdCompat(values.compat);
  const dirs = hostsDirsFromFlags(values);
  const explicitConfig = values['containerd-config'];
  if (dirs.length > 0 && explicitConfig === undefined) {
    return { setup: containerdSetupFromTexts({ hostsDirs: await readHostsDirs(dirs), compat }) };
  }
  const configPath = explicitConfig ?? DEFAULT_CONTAINERD_CONFIG;
  const configText = await readContainerdConfig(configPath);
  if (configText === null) {
    if (explicitConfig !== undefined) throw new ConfigError(`${configPath}: open ${configPath}: no such file or directory`, { file: configPath, code: 'PP_ERR_CONFIG_NOT_FOUND' });
    return loadContainerdLintInput({ ...values, 'hosts-dir': dirs.length > 0 ? dirs : ['/etc/containerd/certs.d'], 'containerd-config': undefined });
  }
  const parsed = parseContainerdConfig(configText.path, configText.text, compat);
  const setup = containerdSetupFromTexts({ hostsDirs: await readHostsDirs(parsed.roots), configToml: configText, compat });
  if (parsed.roots.length > 0) return { setup };
  const expected = await readHostsDirs(dirs.length > 0 ? dirs : ['/etc/containerd/certs.d']);
  return { setup, unreadRoots: expected.map((r) => ({ dir: r.dir, names: Object.keys(r.hosts) })) };
}
