/**
 * `pullpath lint --runtime containerd`: the hosts.toml and config.toml pitfalls users hit, each naming file and
 * line, worded as what containerd will do and what to write instead. Pure: works on a decoded ContainerdSetup
 * (plus, when containerd would not read them, the hosts directories the user expected it to read).
 */
import type { LintFinding } from '../config/lint/finding.ts';
import type { ContainerdSetup, HostDirEntry } from './setup.ts';
import type { HostEntry } from './hosts-file.ts';
import { scanHostsToml } from './toml-host-order.ts';
import { goPort } from './go-url.ts';

export interface ContainerdLintInput {
  setup: ContainerdSetup;
  /**
   * Hosts directories that exist but that containerd will NOT read because config.toml has no config_path
   * (1.6/1.7), e.g. /etc/containerd/certs.d or the --hosts-dir given with --containerd-config.
   */
  unreadRoots?: Array<{ dir: string; names: string[] }>;
}

export interface ContainerdLintReport {
  files: string[];
  findings: LintFinding[];
}

const HTTP_PORTS = new Set(['80', '5000', '8080', '8081', '8082', '3128']);

/** Line of a key inside `[host."key"]` (or the root table when host is null). */
function keyLine(entry: HostDirEntry, host: string | null, key: string): number | undefined {
  if (entry.text === null) return undefined;
  const scan = scanHostsToml(entry.text);
  if (host === null) return scan.rootKeys.get(key);
  return scan.hostKeys.get(host)?.get(key);
}

function hostFindings(entry: HostDirEntry, h: HostEntry, out: LintFinding[]): void {
  const file = entry.file;
  const label = h.key !== null ? `[host."${h.key}"]` : 'server';
  const caps = h.capabilities;
  if (caps.includes('pull') && !caps.includes('resolve')) {
    out.push({
      severity: 'warning',
      code: 'PP_LINT_CTRD_NO_RESOLVE',
      file,
      line: keyLine(entry, h.key, 'capabilities') ?? h.line,
      message: `${label} has capabilities [${caps.join(', ')}] without "resolve": containerd never resolves a tag there, so tag pulls (image:tag) skip this host and go to the next one; only digest pulls and the fetches after resolution use it`,
      fix: `capabilities = ["pull", "resolve"] if the host may answer tags (a mirror you trust to map tags), or pull by digest`,
    });
  }
  if (!caps.includes('pull') && caps.length > 0) {
    out.push({
      severity: 'warning',
      code: 'PP_LINT_CTRD_NO_PULL',
      file,
      line: keyLine(entry, h.key, 'capabilities') ?? h.line,
      message: `${label} has capabilities [${caps.join(', ')}] without "pull": containerd never pulls from it`,
      fix: 'add "pull" (and "resolve" for tags), or remove the host',
    });
  }
  if (h.skipVerify === true && h.key !== null) {
    const written = h.key;
    const hasScheme = written.startsWith('http');
    if (!hasScheme) {
      const port = goPort(h.host);
      out.push({
        severity: 'warning',
        code: 'PP_LINT_CTRD_SKIP_VERIFY_NOT_HTTP',
        file,
        line: keyLine(entry, h.key, 'skip_verify') ?? h.line,
        message: `${label}: skip_verify = true only stops certificate checks; containerd still speaks HTTPS to ${h.host}${HTTP_PORTS.has(port) ? ` (port ${port} usually serves plain HTTP: expect "http: server gave HTTP response to HTTPS client")` : ''}`,
        fix: `if the registry serves plain HTTP, write the key with its scheme: [host."http://${h.host}"]`,
      });
    } else if (h.scheme === 'http') {
      out.push({
        severity: 'warning',
        code: 'PP_LINT_CTRD_SKIP_VERIFY_ON_HTTP',
        file,
        line: keyLine(entry, h.key, 'skip_verify') ?? h.line,
        message: `${label}: skip_verify has no effect on a plain-HTTP host in containerd 1.6 (1.7 and 2.x then try HTTPS first and fall back to HTTP)`,
        fix: 'drop skip_verify, or use https:// if the registry has a certificate',
      });
    }
  }
}

/** The directory's own registry name: `reg.example_5000_` → `reg.example:5000`. */
function registryOfDir(name: string): string {
  const m = /^(.*)_(\d+)_$/.exec(name);
  return m ? `${m[1]}:${m[2]}` : name;
}

function dirFindings(setup: ContainerdSetup, root: Map<string, HostDirEntry>, entry: HostDirEntry, out: LintFinding[]): void {
  const { name } = entry;
  if (/_\d+$/.test(name)) {
    out.push({
      severity: 'warning',
      code: 'PP_LINT_CTRD_DIR_NAME',
      file: entry.dirPath,
      message: `directory "${name}" never matches: containerd looks for "HOST_PORT_" (with a trailing underscore) or "HOST:PORT"`,
      fix: `rename it to "${name}_"`,
    });
  }
  if (name === 'registry-1.docker.io' || name === 'index.docker.io') {
    out.push({
      severity: 'warning',
      code: 'PP_LINT_CTRD_DIR_NAME',
      file: entry.dirPath,
      message: `directory "${name}" is never used for Docker Hub images: containerd looks up the reference's registry, "docker.io"`,
      fix: 'rename the directory to "docker.io"',
    });
  }
  if (entry.problem !== null) {
    const p = entry.problem;
    const serverOnly = p.message === 'invalid `host` tree';
    out.push({
      severity: 'error',
      code: p.crash ? 'PP_LINT_CTRD_HOST_PANIC' : 'PP_LINT_CTRD_FILE_IGNORED',
      file: p.file,
      ...(p.line > 0 ? { line: p.line } : {}),
      message: p.crash
        ? `two or more keys under [host] and one is not a table: ctr and containerd ${setup.compat === '2.x' ? '1.6/1.7' : setup.compat} panic while sorting the hosts (${p.message})`
        : `containerd ignores this whole file (it logs "failed to decode hosts.toml: ${p.message}") and contacts the registry itself`,
      fix: p.crash
        ? 'put every per-host setting in its own [host."URL"] table'
        : serverOnly
          ? 'a file needs at least one [host."…"] table in containerd 1.6: add [host."URL"] for the mirror (an empty [host] line is enough if server alone is meant)'
          : 'fix the error; until then no mirror in this file is used',
    });
  }
  if (entry.hosts === null && entry.problem === null && name !== '_default' && root.has('_default') && entry.certFiles.ca.length + entry.certFiles.client.length === 0) {
    out.push({
      severity: 'warning',
      code: 'PP_LINT_CTRD_EMPTY_DIR_HIDES_DEFAULT',
      file: entry.dirPath,
      message: `directory "${name}" has no hosts.toml: containerd stops at it and contacts ${registryOfDir(name)} itself; _default does not apply to it`,
      fix: 'add a hosts.toml, or remove the directory so _default applies',
    });
  }
  if (entry.hosts !== null) {
    // A directory named without the port whose server names the same host WITH a port: the user meant host:port,
    // but references to host:port look for host_port_ / host:port and never read this directory.
    const srv = entry.hosts[entry.hosts.length - 1]!;
    if (!name.includes(':') && !/_\d+_$/.test(name) && srv.key === null && srv.host.startsWith(`${name}:`) && goPort(srv.host) !== '') {
      out.push({
        severity: 'warning',
        code: 'PP_LINT_CTRD_DIR_NAME',
        file: entry.file,
        line: srv.line || undefined,
        message: `directory "${name}" applies only to ${name}/… references; ${srv.host}/… references look for "${name}_${goPort(srv.host)}_" or "${srv.host}" and never read this file`,
        fix: `rename the directory to "${name}_${goPort(srv.host)}_"`,
      });
    }
    for (const h of entry.hosts) hostFindings(entry, h, out);
    const server = entry.hosts[entry.hosts.length - 1]!;
    const mirrors = entry.hosts.length - 1;
    const registry = registryOfDir(name);
    const sourceHosts = registry === 'docker.io' ? ['docker.io', 'registry-1.docker.io', 'index.docker.io'] : [registry];
    if (server.key === null && server.host !== '' && mirrors > 0 && sourceHosts.includes(server.host)) {
      out.push({
        severity: 'warning',
        code: 'PP_LINT_CTRD_SERVER_IS_SOURCE',
        file: entry.file,
        line: server.line || undefined,
        message: `server = ${server.scheme}://${server.host}: when the ${mirrors} mirror(s) fail or answer 404, containerd pulls from ${server.host} itself${registry === 'docker.io' ? ' (Docker Hub rate limits apply)' : ''}`,
        fix: 'to never contact the source, set server to the mirror you trust (it is then tried last) and drop the source',
      });
    }
  }
}

/** All findings for a setup. */
export function lintContainerd(input: ContainerdLintInput): ContainerdLintReport {
  const { setup } = input;
  const findings: LintFinding[] = [];
  const files: string[] = [];
  const cfg = setup.config;
  if (cfg !== null) {
    files.push(cfg.file);
    if (cfg.error !== null) {
      const mirrorsConflict = cfg.error.startsWith('`mirrors`');
      const line = /:(\d+)$/.exec(mirrorsConflict ? (Object.values(cfg.mirrors)[0]?.origin ?? cfg.registryOrigin) : cfg.registryOrigin);
      findings.push({
        severity: 'error',
        code: mirrorsConflict ? 'PP_LINT_CTRD_MIRRORS_WITH_CONFIG_PATH' : 'PP_LINT_CTRD_CONFIG',
        file: cfg.file,
        ...(line ? { line: Number(line[1]) } : {}),
        message: `containerd's CRI plugin does not load (every kubelet pull fails): ${cfg.error}`,
        fix: mirrorsConflict ? 'move each mirror to a hosts.toml under config_path ([host."URL"] with capabilities = ["pull", "resolve"]) and delete the mirrors table' : 'fix the configuration',
      });
    }
    for (const w of cfg.warnings) {
      const line = /:(\d+)$/.exec(w.origin);
      findings.push({ severity: 'warning', code: 'PP_LINT_CTRD_DEPRECATED', file: cfg.file, ...(line ? { line: Number(line[1]) } : {}), message: w.message, fix: 'use config_path and hosts.toml files' });
    }
    const unset = cfg.configPath === null || cfg.configPath === '';
    if (unset && setup.compat !== '2.x') {
      for (const r of input.unreadRoots ?? []) {
        const withFiles = r.names.length;
        if (withFiles === 0) continue;
        findings.push({
          severity: 'warning',
          code: 'PP_LINT_CTRD_CONFIG_PATH_UNSET',
          file: cfg.file,
          ...(/:(\d+)$/.test(cfg.registryOrigin) ? { line: Number(/:(\d+)$/.exec(cfg.registryOrigin)![1]) } : {}),
          message: `config_path is not set, so containerd's CRI plugin ignores ${r.dir} (${withFiles} host director${withFiles === 1 ? 'y' : 'ies'}: ${r.names.slice(0, 5).join(', ')}${withFiles > 5 ? ', …' : ''}); kubelet pulls go to each registry itself`,
          fix: `set [plugins."io.containerd.grpc.v1.cri".registry] config_path = "${r.dir}" and restart containerd (ctr --hosts-dir reads the files; the CRI plugin does not)`,
        });
      }
    }
  }
  setup.dirs.forEach((root) => {
    for (const entry of root.values()) {
      if (entry.exists) files.push(entry.file);
      dirFindings(setup, root, entry, findings);
    }
  });
  for (const w of setup.warnings) {
    if (cfg !== null && w.origin.startsWith(cfg.file)) continue;
    const m = /^(.*):(\d+)$/.exec(w.origin);
    findings.push({ severity: 'warning', code: 'PP_LINT_CTRD_HOST_ORDER', file: m ? m[1]! : w.origin, ...(m ? { line: Number(m[2]) } : {}), message: w.message, fix: 'write each host as its own [host."URL"] table, in the order they should be tried' });
  }
  return { files, findings };
}
