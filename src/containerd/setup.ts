/**
 * Everything containerd would read for pulls, decoded once: the hosts directories (each hosts.toml parsed, or the
 * reason containerd ignores it) and, from config.toml, the roots or the deprecated inline mirrors.
 * Pure: the texts come in (see read-tree.ts for the I/O).
 */
import type { ContainerdCompat } from './endpoint.ts';
import { parseHostsFile, type HostEntry } from './hosts-file.ts';
import { parseContainerdConfig, type ContainerdRegistryConfig } from './config-toml.ts';

/** Input: one root directory and its subdirectories. */
export interface HostsDirInput {
  dir: string;
  /** Directory name → its hosts.toml (null: the directory exists without a hosts.toml). */
  hosts: Record<string, { path: string; text: string } | null>;
  /** Directory name → the other file names in it (Docker-style `*.crt`, `*.cert`, `*.key` are used when hosts.toml is absent or ignored). */
  files?: Record<string, string[]>;
}

export interface ContainerdSetupInput {
  hostsDirs: HostsDirInput[];
  configToml?: { path: string; text: string };
  compat?: ContainerdCompat;
}

/** Where a problem is: `file:line`, or the file alone when no line applies (never `file:0`). */
export function problemOrigin(p: { file: string; line: number }): string {
  return p.line > 0 ? `${p.file}:${p.line}` : p.file;
}

/** A hosts.toml problem: containerd logs it and ignores the whole file. */
export interface ContainerdProblem {
  file: string;
  /** The line concerned; 0 when the problem has none (a file without a [host] table, a TOML error without position). */
  line: number;
  /** containerd's error text (after "failed to decode hosts.toml"). */
  message: string;
  /** true when ctr/containerd 1.6–1.7 panics on the file instead. */
  crash?: boolean;
}

export interface ContainerdWarning {
  origin: string;
  message: string;
}

/** One host directory as containerd will use it. */
export interface HostDirEntry {
  root: string;
  name: string;
  dirPath: string;
  /** The hosts.toml path (whether or not it exists). */
  file: string;
  exists: boolean;
  /** The hosts.toml text (null when absent), for findings that point at a key's line. */
  text: string | null;
  /** Decoded hosts, or null when the file is absent, empty or ignored (the registry itself is used). */
  hosts: HostEntry[] | null;
  problem: ContainerdProblem | null;
  /** Docker-style certificate files used when `hosts` is null. */
  certFiles: { ca: string[]; client: Array<{ cert: string; key: string | null }> };
}

export interface ContainerdSetup {
  compat: ContainerdCompat;
  /** `hosts-dir`: hosts directories given directly (ctr --hosts-dir); `config-path`: from config.toml;
   *  `inline-mirrors`: deprecated config.toml mirrors; `none`: no configuration (the registry itself). */
  mode: 'hosts-dir' | 'config-path' | 'inline-mirrors' | 'none';
  roots: string[];
  /** Per root: directory name → entry. */
  dirs: Array<Map<string, HostDirEntry>>;
  config: ContainerdRegistryConfig | null;
  problems: ContainerdProblem[];
  warnings: ContainerdWarning[];
  /** The error that stops the CRI plugin (mirrors + config_path), or null. Every resolution fails with it. */
  error: string | null;
  /** Directory path → the file names in it, for the directories whose listing was given (`files`): a `ca` or
   *  `client` file missing there makes containerd fail the pull ("unable to read CA cert"). */
  listings: Map<string, Set<string>>;
}

function joinPath(a: string, b: string): string {
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

function certFilesOf(dirPath: string, names: string[]): HostDirEntry['certFiles'] {
  const ca: string[] = [];
  const client: Array<{ cert: string; key: string | null }> = [];
  const set = new Set(names);
  for (const n of [...names].sort()) {
    if (n.endsWith('.crt')) ca.push(joinPath(dirPath, n));
    if (n.endsWith('.cert')) {
      const key = n.slice(0, -5) + '.key';
      client.push({ cert: joinPath(dirPath, n), key: set.has(key) ? joinPath(dirPath, key) : null });
    }
  }
  return { ca, client };
}

/** Decodes one hosts directory root. */
function decodeRoot(input: HostsDirInput, compat: ContainerdCompat, problems: ContainerdProblem[], warnings: ContainerdWarning[]): Map<string, HostDirEntry> {
  const map = new Map<string, HostDirEntry>();
  for (const [name, file] of Object.entries(input.hosts)) {
    const dirPath = joinPath(input.dir, name);
    const entry: HostDirEntry = {
      root: input.dir,
      name,
      dirPath,
      file: file?.path ?? joinPath(dirPath, 'hosts.toml'),
      exists: file !== null,
      text: file?.text ?? null,
      hosts: null,
      problem: null,
      certFiles: certFilesOf(dirPath, input.files?.[name] ?? []),
    };
    // An empty hosts.toml counts as absent (containerd checks the length).
    if (file !== null && file.text.length > 0) {
      const parsed = parseHostsFile(file.text, dirPath, compat);
      if (parsed.ok) {
        entry.hosts = parsed.hosts;
        for (const w of parsed.warnings) warnings.push({ origin: `${file.path}:${w.line}`, message: w.message });
      } else {
        entry.problem = { file: file.path, line: parsed.line, message: parsed.error, ...(parsed.crash ? { crash: true } : {}) };
        problems.push(entry.problem);
      }
    }
    map.set(name, entry);
  }
  return map;
}

/**
 * Builds the setup from texts. With `hostsDirs`, those roots are used as given (ctr --hosts-dir, or the caller's
 * reading of config_path); with only `configToml`, its roots are returned in `roots` for the caller to read and
 * pass back, or its inline mirrors apply.
 */
export function containerdSetupFromTexts(input: ContainerdSetupInput): ContainerdSetup {
  const compat = input.compat ?? '1.6';
  const problems: ContainerdProblem[] = [];
  const warnings: ContainerdWarning[] = [];
  const config = input.configToml ? parseContainerdConfig(input.configToml.path, input.configToml.text, compat) : null;
  if (config) warnings.push(...config.warnings);
  const dirs = input.hostsDirs.map((d) => decodeRoot(d, compat, problems, warnings));
  const listings = new Map<string, Set<string>>();
  for (const d of input.hostsDirs) {
    for (const [name, files] of Object.entries(d.files ?? {})) {
      const set = new Set(files);
      if (d.hosts[name]) set.add('hosts.toml');
      listings.set(joinPath(d.dir, name), set);
    }
  }
  // ctr --hosts-dir (no config.toml): the roots as given. With a config.toml: its config_path roots (read by the
  // caller and passed as hostsDirs), or, without config_path, the inline mirrors (none: the registry itself).
  const mode: ContainerdSetup['mode'] =
    input.hostsDirs.length > 0
      ? config !== null && config.roots.length > 0
        ? 'config-path'
        : 'hosts-dir'
      : config === null
        ? 'none'
        : config.roots.length > 0
          ? 'config-path'
          : 'inline-mirrors';
  return {
    compat,
    mode,
    roots: input.hostsDirs.length > 0 ? input.hostsDirs.map((d) => d.dir) : (config?.roots ?? []),
    dirs,
    config,
    problems,
    warnings,
    error: config?.error ?? null,
    listings,
  };
}
