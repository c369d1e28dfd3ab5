/**
 * The I/O edge of `config/`: which files the runtime reads (research §3.1–§3.2 for the classic loader, §12 for
 * v5.40), read into texts and handed to the pure `loadRegistriesConfFromTexts`.
 *
 * Classic discovery (default, `--compat 5.23`):
 *   main file: `--registries-conf` / `CONTAINERS_REGISTRIES_CONF` / `REGISTRIES_CONFIG_PATH` (must exist), else
 *   `$HOME/.config/containers/registries.conf` if it exists (even empty: it hides the system file AND the system
 *   drop-ins), else `/etc/containers/registries.conf` (may be missing);
 *   drop-ins: `--registries-conf-dir` alone, else `/etc/containers/registries.conf.d` then
 *   `$HOME/.config/containers/registries.conf.d`, each sorted by file name, `*.conf` only, not recursive.
 */
import { readdir, readFile, stat } from '../fs-async.ts';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { isStdinArg, readInput, STDIN_NAME } from '../read-input.ts';
import { RegistriesConfError } from './config-error.ts';
import { loadRegistriesConfFromTexts, type LoadTextsInput } from './load-texts.ts';
import type { CompatVersion, ConfigText, RegistriesConfig } from './types.ts';

export interface LoadFilesOptions {
  /** `--registries-conf FILE` (SystemRegistriesConfPath): must exist. */
  registriesConf?: string;
  /** `--registries-conf-dir DIR` (SystemRegistriesConfDirPath): replaces the default drop-in dirs. */
  registriesConfDir?: string;
  /** `--short-name-aliases FILE` (UserShortNameAliasConfPath). */
  shortNameAliases?: string;
  env?: NodeJS.ProcessEnv;
  /** The home directory; defaults to `$HOME`, then the passwd entry. */
  home?: string;
  compat?: CompatVersion;
  /** RootForImplicitAbsolutePaths: prefixed to the system paths (`/etc/…`, `/usr/share/…`, `/var/cache/…`). Tests use a temp dir. */
  systemRoot?: string;
  /** Effective UID (decides the root-only paths); defaults to `process.getuid()`. */
  uid?: number;
}

/** The files discovery chose, read into texts, plus what it looked at (for `lint` and explanations). */
export interface DiscoveredTexts extends LoadTextsInput {
  /** Drop-in directories in the order they were considered. */
  dropinDirs: string[];
  compat: CompatVersion;
}

export interface LoadedRegistriesConf {
  config: RegistriesConfig;
  /** Files read, in load order (same as `config.files`). */
  files: string[];
  texts: DiscoveredTexts;
}

/** Go's wording for a failed open/read, so messages match the runtime's (`open F: no such file or directory`). */
function goIoError(op: string, path: string, err: NodeJS.ErrnoException): string {
  const reason: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
  };
  if (err.code === 'EISDIR') return `read ${path}: is a directory`;
  return `${op} ${path}: ${reason[err.code ?? ''] ?? err.message}`;
}

/** Reads a file; null when it does not exist; other errors are ConfigErrors with `wrap` in front. */
async function readOptional(path: string, wrap: string): Promise<ConfigText | null> {
  if (isStdinArg(path)) return readInput(path, '--registries-conf');
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return null;
    throw new RegistriesConfError(wrap + goIoError('open', path, e), { file: path, code: 'PP_ERR_CONFIG_READ' });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** `*.conf` non-directory entries of `dir`, sorted by name (byte order); [] when `dir` does not exist. */
async function listDropIns(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return [];
    throw new RegistriesConfError(`reading registries.conf.d: ${goIoError('open', dir, e)}`, { file: dir, code: 'PP_ERR_CONFIG_READ' });
  }
  return entries
    .filter((e) => !e.isDirectory() && e.name.endsWith('.conf'))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(dir, name));
}

async function readDropIns(paths: string[], compat: CompatVersion): Promise<ConfigText[]> {
  const out: ConfigText[] = [];
  for (const p of paths) {
    const wrap = compat === '5.40' ? `loading registries configuration "${p}": ` : `loading drop-in registries configuration "${p}": `;
    const t = await readOptional(p, wrap);
    if (t !== null) out.push(t);
    else if (compat !== '5.40') {
      // Before v5.34 a drop-in that vanished between listing and open was an error.
      throw new RegistriesConfError(`${wrap}open ${p}: no such file or directory`, { file: p, code: 'PP_ERR_CONFIG_READ' });
    }
  }
  return out;
}

const nonEmpty = (s: string | undefined): s is string => s !== undefined && s !== '';

function userAliasesPath(opts: LoadFilesOptions, env: NodeJS.ProcessEnv, home: string, root: string, uid: number | undefined): string {
  if (nonEmpty(opts.shortNameAliases)) return opts.shortNameAliases;
  if (uid === 0) return join(root, '/var/cache/containers/short-name-aliases.conf');
  const cache = nonEmpty(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'containers', 'short-name-aliases.conf');
}

/** Chooses and reads the files as the runtime would, without validating them. */
export async function discoverRegistriesConf(opts: LoadFilesOptions = {}): Promise<DiscoveredTexts> {
  const env = opts.env ?? process.env;
  const compat = opts.compat ?? '5.23';
  const home = opts.home ?? (nonEmpty(env.HOME) ? env.HOME : homedir());
  const root = opts.systemRoot ?? '';
  const uid = opts.uid ?? process.getuid?.();
  const aliasesPath = userAliasesPath(opts, env, home, root, uid);
  // The runtime reads this file at each short-name lookup: a read error fails short names, not the load.
  let userAliases: ConfigText | null = null;
  let userAliasesReadError: string | null = null;
  try {
    userAliases = await readOptional(aliasesPath, `loading short-name aliases config file "${aliasesPath}": `);
  } catch (err) {
    userAliasesReadError = (err as RegistriesConfError).runtimeMessage ?? String(err);
  }
  const base = compat === '5.40' ? await discover540(opts, env, home, root, uid) : await discoverClassic(opts, env, home, root);
  // `--registries-conf -`: the main file is standard input, named <stdin> in every message.
  if (isStdinArg(base.mainPath)) base.mainPath = STDIN_NAME;
  return { ...base, userAliases, userAliasesPath: aliasesPath, userAliasesReadError, compat };
}

type Discovered = Omit<DiscoveredTexts, 'userAliases' | 'userAliasesPath' | 'compat'>;

async function discoverClassic(opts: LoadFilesOptions, env: NodeJS.ProcessEnv, home: string, root: string): Promise<Discovered> {
  const explicit = nonEmpty(opts.registriesConf)
    ? opts.registriesConf
    : nonEmpty(env.CONTAINERS_REGISTRIES_CONF)
      ? env.CONTAINERS_REGISTRIES_CONF
      : nonEmpty(env.REGISTRIES_CONFIG_PATH)
        ? env.REGISTRIES_CONFIG_PATH
        : undefined;
  const userFile = join(home, '.config/containers/registries.conf');
  const userDir = join(home, '.config/containers/registries.conf.d');
  const systemFile = join(root, '/etc/containers/registries.conf');
  const systemDir = join(root, '/etc/containers/registries.conf.d');

  let mainPath: string;
  let dropinDirs: string[];
  if (explicit !== undefined) {
    mainPath = explicit;
    dropinDirs = [systemDir, userDir];
  } else if (await exists(userFile)) {
    mainPath = userFile;
    dropinDirs = [userDir]; // an existing user file hides the system drop-ins too (podman #3644)
  } else {
    mainPath = systemFile;
    dropinDirs = [systemDir, userDir];
  }
  if (nonEmpty(opts.registriesConfDir)) dropinDirs = [opts.registriesConfDir];
  const main = await readOptional(mainPath, `loading registries configuration "${mainPath}": `);
  const paths: string[] = [];
  for (const d of dropinDirs) paths.push(...(await listDropIns(d)));
  return {
    main,
    mainPath,
    mainRequired: explicit !== undefined,
    dropins: await readDropIns(paths, '5.23'),
    dropinDirs,
    configDirPath: nonEmpty(opts.registriesConfDir) ? opts.registriesConfDir : userDir,
  };
}

/** v5.40 (`storage/pkg/configfile`): one main file, drop-ins from every dir merged by basename (research §12). */
async function discover540(
  opts: LoadFilesOptions,
  env: NodeJS.ProcessEnv,
  home: string,
  root: string,
  uid: number | undefined,
): Promise<Discovered> {
  const configHome = nonEmpty(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  const userDir = join(configHome, 'containers/registries.conf.d');
  let mainPath: string;
  let mainRequired = false;
  let readDropInDirs = true;
  if (nonEmpty(opts.registriesConf)) {
    mainPath = opts.registriesConf;
    mainRequired = true;
  } else if (nonEmpty(env.CONTAINERS_REGISTRIES_CONF)) {
    mainPath = env.CONTAINERS_REGISTRIES_CONF;
    mainRequired = true;
    readDropInDirs = false;
  } else {
    const candidates = [
      join(configHome, 'containers/registries.conf'),
      join(root, '/etc/containers/registries.conf'),
      join(root, '/usr/share/containers/registries.conf'),
    ];
    mainPath = candidates[0]!;
    for (const c of candidates) {
      if (await exists(c)) {
        mainPath = c;
        break;
      }
    }
  }
  let dropinDirs: string[] = [];
  if (nonEmpty(opts.registriesConfDir)) dropinDirs = [opts.registriesConfDir];
  else if (readDropInDirs) {
    dropinDirs.push(userDir);
    for (const base of ['/etc/containers', '/usr/share/containers']) {
      if (uid === 0) dropinDirs.push(join(root, base, 'registries.rootful.conf.d'));
      else if (uid !== undefined) {
        dropinDirs.push(join(root, base, `registries.rootless.conf.d/${uid}`), join(root, base, 'registries.rootless.conf.d'));
      }
      dropinDirs.push(join(root, base, 'registries.conf.d'));
    }
  }
  // For equal basenames only the highest-priority dir's file counts; then all are sorted by basename.
  const byName = new Map<string, string>();
  for (const d of dropinDirs) {
    for (const p of await listDropIns(d)) if (!byName.has(basename(p))) byName.set(basename(p), p);
  }
  const paths = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => byName.get(n)!);
  const override = env.CONTAINERS_REGISTRIES_CONF_OVERRIDE;
  if (nonEmpty(override) && !nonEmpty(opts.registriesConfDir)) {
    if (!(await exists(override))) {
      throw new RegistriesConfError(`loading registries configuration "${override}": open ${override}: no such file or directory`, {
        file: override,
        code: 'PP_ERR_CONFIG_NOT_FOUND',
      });
    }
    paths.push(override);
  }
  const main = await readOptional(mainPath, `loading registries configuration "${mainPath}": `);
  return {
    main,
    mainPath,
    mainRequired,
    dropins: await readDropIns(paths, '5.40'),
    dropinDirs,
    configDirPath: dropinDirs[0] ?? '',
  };
}

/**
 * Discovers, reads and loads the configuration. Throws RegistriesConfError (a ConfigError naming the file).
 *
 * @example
 *   const { config, files } = await loadRegistriesConf({ registriesConf: 'examples/registries.conf' });
 */
export async function loadRegistriesConf(opts: LoadFilesOptions = {}): Promise<LoadedRegistriesConf> {
  const texts = await discoverRegistriesConf(opts);
  const config = loadRegistriesConfFromTexts(texts);
  return { config, files: config.files, texts };
}
