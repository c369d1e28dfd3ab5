/**
 * The registry part of containerd's own config.toml: where the CRI plugin looks for hosts directories
 * (`config_path`, a colon-separated list) or, deprecated, inline `mirrors` and `configs`.
 *
 *   version 1 (containerd 1.x only): [plugins.cri.registry]
 *   version 2:                       [plugins."io.containerd.grpc.v1.cri".registry]
 *   version 3 (containerd 2.x):      [plugins."io.containerd.cri.v1.images".registry]
 *
 * Precedence and conflicts (pkg/cri/config ValidatePluginConfig, 1.6.20 and 1.7; ValidateImageConfig in 2.x):
 * `mirrors` together with a non-empty `config_path` is an error that stops the CRI plugin from loading; in 1.6/1.7
 * so is `configs.<host>.tls`; in 2.x `configs` is only deprecated. Without `config_path`, the inline mirrors
 * apply. containerd 2.x defaults `config_path` to "/etc/containerd/certs.d:/etc/docker/certs.d" when neither
 * `config_path` nor `mirrors` is set; 1.6 and 1.7 default it to "" (hosts.toml files are then NOT read).
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ContainerdCompat } from './endpoint.ts';
import { scanTomlSections } from '../config/toml-lines.ts';

export interface InlineMirror {
  endpoints: string[];
  origin: string;
}

export interface InlineTls {
  insecureSkipVerify: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
  origin: string;
}

export interface ContainerdRegistryConfig {
  file: string;
  version: number;
  /** The `config_path` value as written (null when unset), and where. */
  configPath: string | null;
  configPathOrigin: string | null;
  /** The roots containerd uses: `config_path` split on ':' (empty entries dropped), or 2.x's default. */
  roots: string[];
  /** true when `roots` is containerd 2.x's built-in default, not from the file. */
  rootsDefaulted: boolean;
  mirrors: Record<string, InlineMirror>;
  tls: Record<string, InlineTls>;
  headers: Record<string, string[]>;
  /** Where the registry section is (file:line) for findings; the file itself when absent. */
  registryOrigin: string;
  /** The error that stops the CRI plugin from loading (containerd's text), or null. */
  error: string | null;
  /** containerd's warnings (deprecations) and our observations, with origins. */
  warnings: Array<{ origin: string; message: string }>;
}

type Tbl = Record<string, unknown>;
const isTable = (v: unknown): v is Tbl => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Parses config.toml text. Throws nothing: a TOML error becomes `error` (containerd does not start at all then). */
export function parseContainerdConfig(file: string, text: string, compat: ContainerdCompat): ContainerdRegistryConfig {
  const out: ContainerdRegistryConfig = {
    file,
    version: 1,
    configPath: null,
    configPathOrigin: null,
    roots: [],
    rootsDefaulted: false,
    mirrors: {},
    tls: {},
    headers: {},
    registryOrigin: file,
    error: null,
    warnings: [],
  };
  let doc: Tbl;
  try {
    doc = parseToml(text) as Tbl;
  } catch (err) {
    const line = err instanceof TomlError ? err.line : 0;
    out.error = `failed to load TOML from ${file}: ${(err as Error).message.split('\n')[0]}`;
    out.registryOrigin = `${file}:${line}`;
    return out;
  }
  const version = typeof doc['version'] === 'number' ? doc['version'] : 1;
  out.version = version;
  if (version === 3 && compat !== '2.x') {
    out.error = `unsupported config version \`3\` (containerd ${compat} reads versions 1 and 2)`;
    return out;
  }
  if (version === 1 && compat === '2.x') {
    out.warnings.push({ origin: file, message: 'containerd 2.x refuses config version 1 ("version = 2" or "3" is needed)' });
  }
  const pluginKeys = version >= 3 ? ['io.containerd.cri.v1.images'] : version === 2 ? ['io.containerd.grpc.v1.cri'] : ['cri'];
  const plugins = isTable(doc['plugins']) ? doc['plugins'] : {};
  let registry: Tbl | null = null;
  let pluginName = '';
  for (const key of pluginKeys) {
    const p = plugins[key];
    if (isTable(p) && isTable(p['registry'])) {
      registry = p['registry'];
      pluginName = key;
    }
  }
  const sections = scanTomlSections(text);
  const regSection = sections.find((s) => s.name === `plugins.${pluginName}.registry`);
  const lineOf = (key: string): string => {
    if (regSection?.keys.has(key)) return `${file}:${regSection.keys.get(key)}`;
    const sub = sections.find((s) => s.name.startsWith(`plugins.${pluginName}.registry.${key}`));
    if (sub) return `${file}:${sub.line}`;
    return regSection ? `${file}:${regSection.line}` : file;
  };
  if (regSection) out.registryOrigin = `${file}:${regSection.line}`;
  if (registry !== null) {
    if (typeof registry['config_path'] === 'string') {
      out.configPath = registry['config_path'];
      out.configPathOrigin = lineOf('config_path');
    }
    if (isTable(registry['mirrors'])) {
      for (const [host, m] of Object.entries(registry['mirrors'])) {
        const endpoints = isTable(m) && Array.isArray(m['endpoint']) ? (m['endpoint'] as unknown[]).filter((e): e is string => typeof e === 'string') : [];
        const sec = sections.find((s) => s.name === `plugins.${pluginName}.registry.mirrors.${host}`);
        out.mirrors[host] = { endpoints, origin: sec ? `${file}:${sec.keys.get('endpoint') ?? sec.line}` : lineOf('mirrors') };
      }
    }
    if (isTable(registry['configs'])) {
      for (const [host, c] of Object.entries(registry['configs'])) {
        if (!isTable(c) || !isTable(c['tls'])) continue;
        const t = c['tls'];
        const sec = sections.find((s) => s.name === `plugins.${pluginName}.registry.configs.${host}.tls`);
        out.tls[host] = {
          insecureSkipVerify: t['insecure_skip_verify'] === true,
          caFile: typeof t['ca_file'] === 'string' ? t['ca_file'] : '',
          certFile: typeof t['cert_file'] === 'string' ? t['cert_file'] : '',
          keyFile: typeof t['key_file'] === 'string' ? t['key_file'] : '',
          origin: sec ? `${file}:${sec.line}` : lineOf('configs'),
        };
      }
    }
    if (isTable(registry['headers'])) {
      for (const [k, v] of Object.entries(registry['headers'])) {
        if (Array.isArray(v)) out.headers[k] = v.filter((x): x is string => typeof x === 'string');
      }
    }
  }
  const useConfigPath = out.configPath !== null && out.configPath !== '';
  const hasMirrors = Object.keys(out.mirrors).length > 0;
  const hasTls = Object.keys(out.tls).length > 0;
  if (hasMirrors) {
    if (useConfigPath) out.error = '`mirrors` cannot be set when `config_path` is provided';
    else out.warnings.push({ origin: lineOf('mirrors'), message: '`mirrors` is deprecated, please use `config_path` instead' });
  }
  if (out.error === null && hasTls) {
    if (compat !== '2.x') {
      if (useConfigPath) out.error = '`configs.tls` cannot be set when `config_path` is provided';
      else out.warnings.push({ origin: lineOf('configs'), message: '`configs.tls` is deprecated, please use `config_path` instead' });
    } else out.warnings.push({ origin: lineOf('configs'), message: '`configs` is deprecated, please use `config_path` instead' });
  }
  if (useConfigPath) out.roots = out.configPath!.split(':').filter((p) => p !== '');
  else if (compat === '2.x' && !hasMirrors) {
    out.roots = ['/etc/containerd/certs.d', '/etc/docker/certs.d'];
    out.rootsDefaulted = true;
  }
  return out;
}
