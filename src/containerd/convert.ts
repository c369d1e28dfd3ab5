/**
 * `pullpath convert`: registries.conf ↔ hosts.toml, with a warning for every semantic that does not survive.
 *
 * The two models differ in kind: containers/image matches repository-path prefixes (with wildcards) and rewrites
 * the repository path onto each mirror; containerd matches registry HOSTS and appends the whole repository path
 * to each host URL. So path prefixes, wildcards, `blocked`, tag-only mirrors and "insecure" (skip verification
 * AND allow plain HTTP) have no exact hosts.toml form; `_default`, headers, client certificates and dial
 * timeouts have no registries.conf form. Each such loss is reported (code, where, what changes), never silent.
 */
import type { RegistriesConfig, RegistryEntry } from '../config/types.ts';
import { problemOrigin, type ContainerdSetup } from './setup.ts';

export interface ConvertWarning {
  code: string;
  /** file:line of the input item. */
  origin: string;
  message: string;
}

export interface HostsTomlOutput {
  files: Array<{ dir: string; content: string }>;
  warnings: ConvertWarning[];
}

const originOf = (o: { file: string; line?: number }): string => (o.line !== undefined ? `${o.file}:${o.line}` : o.file);
const hostOf = (loc: string): string => loc.split('/')[0]!;
const pathOf = (loc: string): string => loc.split('/').slice(1).join('/');
const q = (s: string): string => JSON.stringify(s);

/** A URL key for a host + path, with override_path when the path carries a repository prefix. */
function hostKey(host: string, path: string, scheme = 'https'): { key: string; override: boolean } {
  if (path === '') return { key: `${scheme}://${host}`, override: false };
  return { key: `${scheme}://${host}/v2/${path}`, override: true };
}

/** registries.conf (loaded) → one hosts.toml per registry host. */
export function registriesConfToHostsToml(config: RegistriesConfig): HostsTomlOutput {
  const warnings: ConvertWarning[] = [];
  const byHost = new Map<string, RegistryEntry[]>();
  for (const e of config.registries) {
    const where = originOf(e.origin);
    if (e.prefix.startsWith('*.')) {
      warnings.push({ code: 'convert-wildcard', origin: where, message: `prefix "${e.prefix}": containerd has no wildcard host directories (only _default, for every registry); not converted` });
      continue;
    }
    if (e.blocked) {
      warnings.push({ code: 'convert-blocked', origin: where, message: `prefix "${e.prefix}" is blocked: containerd cannot block a registry; not converted (containerd will pull from it)` });
      continue;
    }
    const host = hostOf(e.prefix);
    byHost.set(host, [...(byHost.get(host) ?? []), e]);
  }
  if ((config.unqualifiedSearchRegistries ?? []).length > 0 || config.aliases.size > 0) {
    warnings.push({
      code: 'convert-short-names',
      origin: config.unqualifiedSearchOrigin ?? '',
      message: 'unqualified-search-registries and [aliases]: containerd has no short names (the CRI plugin normalises them to docker.io/library/…); not converted',
    });
  }
  const files: HostsTomlOutput['files'] = [];
  for (const [host, entries] of byHost) {
    // containerd configures the whole host: take the host-wide entry when there is one, else the first.
    const chosen = entries.find((e) => e.prefix === host) ?? entries[0]!;
    for (const e of entries) {
      if (e === chosen) continue;
      warnings.push({ code: 'convert-path-prefix', origin: originOf(e.origin), message: `prefix "${e.prefix}": containerd configures ${host} as a whole; this entry is dropped (the file follows "${chosen.prefix}")` });
    }
    const where = originOf(chosen.origin);
    const prefixPath = pathOf(chosen.prefix);
    if (prefixPath !== '') {
      warnings.push({ code: 'convert-path-prefix', origin: where, message: `prefix "${chosen.prefix}": in containerd these mirrors apply to every repository of ${host}, not only ${chosen.prefix}/…` });
    }
    const lines: string[] = [`# converted by pullpath from ${where} ([[registry]] prefix = ${q(chosen.prefix)})`];
    // The primary location is containers/image's last source: containerd's server.
    const locHost = hostOf(chosen.location);
    const locPath = pathOf(chosen.location);
    if (locHost !== host || locPath !== prefixPath) {
      const key = hostKey(locHost === 'docker.io' ? 'registry-1.docker.io' : locHost, stripSuffix(locPath, prefixPath, where, 'location', warnings));
      lines.push(`server = ${q(key.key)}`);
      if (key.override) lines.push('override_path = true');
    }
    if (chosen.insecure) {
      warnings.push({ code: 'convert-insecure', origin: where, message: `insecure = true on ${chosen.location}: written as skip_verify = true; containerd 1.6 never falls back to plain HTTP (use http:// in server if it only speaks HTTP)` });
      lines.push('skip_verify = true');
    }
    lines.push('');
    if (chosen.mirrors.length === 0) lines.push('[host]');
    for (const m of chosen.mirrors) {
      const mw = originOf(m.origin);
      const key = hostKey(hostOf(m.location), stripSuffix(pathOf(m.location), prefixPath, mw, 'mirror', warnings));
      const digestOnly = chosen.mirrorByDigestOnly || m.pullFromMirror === 'digest-only';
      if (m.pullFromMirror === 'tag-only') {
        warnings.push({ code: 'convert-tag-only', origin: mw, message: `mirror ${m.location} is tag-only: containerd has no tag-only capability; written as ["pull", "resolve"], so digest pulls use it too` });
      }
      lines.push(`[host.${q(key.key)}]`);
      lines.push(digestOnly ? '  capabilities = ["pull"]' : '  capabilities = ["pull", "resolve"]');
      if (key.override) lines.push('  override_path = true');
      if (m.insecure) {
        warnings.push({ code: 'convert-insecure', origin: mw, message: `mirror ${m.location} insecure = true: written as skip_verify = true; containerd 1.6 never falls back to plain HTTP (write http:// if the mirror only speaks HTTP)` });
        lines.push('  skip_verify = true');
      }
      lines.push('');
    }
    files.push({ dir: host, content: endWithOneNewline(lines.join('\n')) });
  }
  return { files, warnings };
}

/**
 * A generated file ends with exactly one newline: POSIX text, and the printed stream's next `==> FILE <==` header
 * starts on its own line (a file ending in a bare `[host]` used to run into it).
 */
export function endWithOneNewline(text: string): string {
  return text.replace(/\n*$/, '\n');
}

/** A location path with the prefix's own path removed from its end (containerd appends the repository). */
function stripSuffix(path: string, prefixPath: string, where: string, what: string, warnings: ConvertWarning[]): string {
  if (prefixPath === '') return path;
  if (path === prefixPath) return '';
  if (path.endsWith(`/${prefixPath}`)) return path.slice(0, -prefixPath.length - 1);
  warnings.push({
    code: 'convert-mirror-path',
    origin: where,
    message: `${what} path "${path}" does not end in the prefix's path "${prefixPath}": containerd appends the whole repository path, so it asks for ${path === '' ? '' : `${path}/`}${prefixPath}/… instead of ${path === '' ? '' : `${path}/`}…`,
  });
  return path;
}

export interface RegistriesConfOutput {
  text: string;
  warnings: ConvertWarning[];
}

/** The registries.conf location for a containerd host URL (host + path without the API root). */
function locationFor(host: string, path: string, override: boolean, where: string, warnings: ConvertWarning[]): string {
  if (path === '/v2' || path === '') return host;
  if (override) {
    const p = path.startsWith('/v2/') ? path.slice(4) : path.replace(/^\//, '');
    if (!path.startsWith('/v2/')) warnings.push({ code: 'convert-api-prefix', origin: where, message: `override_path "${path}" does not start with /v2: containers/image always requests HOST/v2/…; written as ${host}/${p}` });
    return `${host}/${p}`;
  }
  // "/prefix/v2": the API root sits under a path, which containers/image cannot express.
  warnings.push({ code: 'convert-api-prefix', origin: where, message: `the registry API is under "${path}": containers/image always requests HOST/v2/…; written as ${host}` });
  return host;
}

/** hosts.toml directories (the first root that has a name wins, as containerd looks up) → registries.conf text. */
export function hostsTomlToRegistriesConf(setup: ContainerdSetup): RegistriesConfOutput {
  const warnings: ConvertWarning[] = [];
  const out: string[] = ['# converted by pullpath from hosts.toml directories', ''];
  const seen = new Set<string>();
  for (const root of setup.dirs) {
    for (const entry of [...root.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (seen.has(entry.name)) continue;
      seen.add(entry.name);
      const where = entry.exists ? entry.file : entry.dirPath;
      if (entry.name === '_default') {
        warnings.push({ code: 'convert-default', origin: where, message: '_default applies to every registry: registries.conf has no catch-all prefix ("*.domain" wildcards only); not converted' });
        continue;
      }
      if (entry.problem !== null) {
        warnings.push({ code: 'convert-ignored-file', origin: problemOrigin(entry.problem), message: `containerd ignores this file (${entry.problem.message}); not converted` });
        continue;
      }
      if (entry.hosts === null) continue;
      const m = /^(.*)_(\d+)_$/.exec(entry.name);
      const registry = m ? `${m[1]}:${m[2]}` : entry.name;
      const server = entry.hosts[entry.hosts.length - 1]!;
      const sourceHosts = registry === 'docker.io' ? ['', 'docker.io', 'registry-1.docker.io'] : ['', registry];
      let location = registry;
      if (!sourceHosts.includes(server.host) || (server.path !== '/v2' && server.path !== '')) {
        location = locationFor(server.host, server.path, !server.path.endsWith('/v2'), `${entry.file}:${server.line}`, warnings);
      }
      out.push('[[registry]]', `prefix = ${q(registry)}`, `location = ${q(location)}`);
      if (server.skipVerify === true || server.scheme === 'http') {
        out.push('insecure = true');
        warnings.push({ code: 'convert-insecure', origin: `${entry.file}:${server.line}`, message: 'server uses http:// or skip_verify: written as insecure = true, which also lets containers/image fall back to plain HTTP' });
      }
      out.push('');
      for (const h of entry.hosts.slice(0, -1)) {
        const hw = `${entry.file}:${h.line}`;
        if (!h.capabilities.includes('pull')) {
          warnings.push({ code: 'convert-no-pull', origin: hw, message: `[host."${h.key}"] has no "pull" capability: containers/image has no push-only mirrors; not converted` });
          continue;
        }
        if (h.host === '' || (h.scheme !== 'http' && h.scheme !== 'https')) {
          warnings.push({ code: 'convert-unusable', origin: hw, message: `[host."${h.key}"] is not a usable URL for containerd either; not converted` });
          continue;
        }
        out.push('[[registry.mirror]]', `location = ${q(locationFor(h.host, h.path, !h.path.endsWith('/v2'), hw, warnings))}`);
        if (!h.capabilities.includes('resolve')) out.push('pull-from-mirror = "digest-only"');
        if (h.scheme === 'http' || h.skipVerify === true) {
          out.push('insecure = true');
          warnings.push({ code: 'convert-insecure', origin: hw, message: `[host."${h.key}"] ${h.scheme === 'http' ? 'is plain HTTP' : 'has skip_verify'}: written as insecure = true (containers/image: skip verification and allow plain HTTP)` });
        }
        if (h.headers !== null && Object.keys(h.headers).length > 0) {
          warnings.push({ code: 'convert-headers', origin: hw, message: `[host."${h.key}"] headers (${Object.keys(h.headers).join(', ')}): registries.conf has no headers; credentials go in auth.json` });
        }
        if (h.caFiles !== null || h.clientPairs !== null) {
          warnings.push({ code: 'convert-certs', origin: hw, message: `[host."${h.key}"] ca/client files: containers/image reads them from /etc/containers/certs.d/${h.host}/ (*.crt, *.cert + *.key); copy them there` });
        }
        if (h.dialTimeoutMs !== null) warnings.push({ code: 'convert-dial-timeout', origin: hw, message: `[host."${h.key}"] dial_timeout: no registries.conf equivalent` });
        out.push('');
      }
    }
  }
  return { text: endWithOneNewline(out.join('\n')), warnings };
}
