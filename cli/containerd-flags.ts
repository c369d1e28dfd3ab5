/**
 * `--runtime containerd` and its flags, shared by every config-taking command through cli/config-flags.ts:
 *   --runtime containerd|containers-image   (default containers-image)
 *   --hosts-dir DIR                          repeatable and colon-separated, as containerd's config_path (ctr --hosts-dir)
 *   --containerd-config FILE                 containerd's config.toml (default /etc/containerd/config.toml when
 *                                            --runtime containerd and no --hosts-dir)
 *   --compat 1.6|1.7|2.x                     which containerd to emulate (with --runtime containerd)
 * Flag parsing only (no heavy imports, so `pullpath resolve` without --runtime containerd loads nothing more);
 * the readers are in cli/containerd-load.ts.
 */
import { UsageError } from '../src/errors.ts';
import type { ContainerdCompat } from '../src/containerd/endpoint.ts';

export const containerdFlagOptions = {
  runtime: { type: 'string' },
  'hosts-dir': { type: 'string', multiple: true },
  'containerd-config': { type: 'string' },
} as const;

export const containerdFlagsHelp = `containerd (hosts.toml, as containerd's CRI plugin and ctr read them):
  --runtime NAME             containers-image (default: registries.conf, as podman, skopeo and CRI-O) or
                             containerd (hosts.toml trees and containerd's config.toml)
  --hosts-dir DIR            a hosts directory root (/etc/containerd/certs.d), as ctr --hosts-dir and
                             config_path: repeatable or colon-separated; in each root, host_port_, then
                             host:port, then _default; the first directory that exists wins. Implies
                             --runtime containerd
  --containerd-config FILE   containerd's config.toml (version 1, 2 or 3): config_path, or the deprecated
                             inline mirrors/configs. Default with --runtime containerd and no --hosts-dir:
                             /etc/containerd/config.toml (absent: containerd's defaults)
  --compat VERSION           with --runtime containerd: 1.6 (default, = 1.6.20), 1.7 or 2.x where containerd
                             versions differ (a file without [host], loopback https-first with HTTP
                             fallback, dial_timeout, header-order of [host] tables, default config_path)`;

export interface ContainerdFlagValues {
  runtime?: string | undefined;
  'hosts-dir'?: string[] | undefined;
  'containerd-config'?: string | undefined;
  compat?: string | undefined;
}

export const DEFAULT_CONTAINERD_CONFIG = '/etc/containerd/config.toml';

/** Which runtime the flags select; --hosts-dir / --containerd-config imply containerd. */
export function runtimeFromFlags(values: ContainerdFlagValues): 'containers-image' | 'containerd' {
  const implied = values['hosts-dir'] !== undefined || values['containerd-config'] !== undefined;
  if (values.runtime === undefined) return implied ? 'containerd' : 'containers-image';
  if (values.runtime === 'containerd') return 'containerd';
  if (values.runtime === 'containers-image' || values.runtime === 'crio' || values.runtime === 'cri-o' || values.runtime === 'podman') {
    if (implied) throw new UsageError(`--${values['hosts-dir'] !== undefined ? 'hosts-dir' : 'containerd-config'} applies to --runtime containerd, not --runtime ${values.runtime}`);
    return 'containers-image';
  }
  throw new UsageError(`--runtime: expected containerd or containers-image, got "${values.runtime}"`);
}

/** `--compat` under --runtime containerd: 1.6, 1.7 or 2.x (patch versions and a leading v accepted). */
export function parseContainerdCompat(value: string | undefined): ContainerdCompat {
  if (value === undefined) return '1.6';
  const v = value.replace(/^v/, '');
  if (/^1\.6(\.\d+)?$/.test(v)) return '1.6';
  if (/^1\.7(\.\d+)?$/.test(v)) return '1.7';
  if (/^2(\.x|\.\d+(\.\d+)?)?$/.test(v)) return '2.x';
  throw new UsageError(`--compat: with --runtime containerd, expected 1.6, 1.7 or 2.x, got "${value}"`);
}

/** The --hosts-dir values, each split on ':' as containerd splits config_path (empty parts dropped). */
export function hostsDirsFromFlags(values: ContainerdFlagValues): string[] {
  return (values['hosts-dir'] ?? []).flatMap((v) => v.split(':')).filter((p) => p !== '');
}
