/**
 * registries.d: where signatures live for a docker reference (lookaside stores) and whether sigstore
 * attachments are used. Follows containers/image docker/registries_d.go (v5.23.1; the same rules today):
 *
 * - every `*.yaml` file of ONE directory (`--registries.d DIR`, else ~/.config/containers/registries.d if it
 *   exists, else /etc/containers/registries.d) is merged; `default-docker` in two files, or the same `docker:`
 *   scope in two files, is an error naming both files;
 * - for a reference the most specific scope wins: the exact identity (`name:tag` / `name@digest`), then the
 *   repository and each parent namespace down to `host[:port]`, then `*.domain` wildcards (port stripped), then
 *   `default-docker` — the same list as policy.json scopes (docker/policyconfiguration/naming.go). So a scope
 *   `HOST` never covers `HOST:PORT/…`, while `*.domain` does;
 * - a matching scope without a usable value falls through to the next one (per field: lookaside, and
 *   use-sigstore-attachments separately);
 * - reading uses `lookaside`, else the legacy `sigstore`; writing prefers `lookaside-staging`, then
 *   `sigstore-staging`, then the reading names;
 * - the lookaside base is the store URL plus `/` + the reference's repository PATH (no host, no tag).
 *
 * Callers pass the PHYSICAL reference that served the image (the mirror's when a mirror did): the runtime
 * looks signatures up for that source only (issue 12, observed with skopeo 1.9.3).
 *
 * Parsing is pure (texts in); `loadRegistriesD` is the thin fs edge.
 */
import { readdir, readFile } from '../fs-async.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { policyIdentity, policyNamespaces } from '../policy/evaluate.ts';
import { parseDockerTransportRef, type DockerRef } from '../policy/docker-reference.ts';

export interface RegistryNamespace {
  lookaside?: string;
  lookasideStaging?: string;
  /** Legacy names, still read (deprecated in favour of lookaside / lookaside-staging). */
  sigstore?: string;
  sigstoreStaging?: string;
  useSigstoreAttachments?: boolean;
}

export interface RegistriesDConfig {
  defaultDocker: RegistryNamespace | null;
  docker: Map<string, RegistryNamespace>;
  /** Which file each scope came from ("default-docker" for the default), for reports. */
  origin: Map<string, string>;
}

export class RegistriesDError extends Error {
  readonly code = 'PP_ERR_REGISTRIES_D';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** Built-in system directory (registries_d.go `builtinRegistriesDirPath`). */
export const SYSTEM_REGISTRIES_D = '/etc/containers/registries.d';
/** Built-in lookaside when no scope names one: root's, and a rootless user's (registries_d.go). */
export const DEFAULT_LOOKASIDE_ROOT = 'file:///var/lib/containers/sigstore';
export const defaultLookasideUser = (home = homedir()): string => `file://${join(home, '.local/share/containers/sigstore')}`;

/**
 * yaml is required on the first file parsed, not imported: `pull` and `policy` import this module on every run,
 * and most hosts have no registries.d files. (yaml is CommonJS under Node, so an `import` elsewhere shares this instance.)
 */
const require = createRequire(import.meta.url);
let yamlParse: typeof import('yaml').parse | undefined;
function parseYaml(text: string): unknown {
  yamlParse ??= (require('yaml') as typeof import('yaml')).parse;
  return yamlParse(text);
}

const FIELDS: Record<string, keyof RegistryNamespace> = {
  lookaside: 'lookaside',
  'lookaside-staging': 'lookasideStaging',
  sigstore: 'sigstore',
  'sigstore-staging': 'sigstoreStaging',
  'use-sigstore-attachments': 'useSigstoreAttachments',
};

/** Merges `files` (path + text, in the order the directory lists them) as loadAndMergeConfig does. */
export function parseRegistriesD(files: { path: string; text: string }[]): RegistriesDConfig {
  const config: RegistriesDConfig = { defaultDocker: null, docker: new Map(), origin: new Map() };
  let defaultFrom = '';
  for (const f of files) {
    let doc: unknown;
    try {
      doc = parseYaml(f.text);
    } catch (e) {
      throw new RegistriesDError(`parsing ${f.path}: ${(e as Error).message.split('\n')[0]}`, f.path);
    }
    if (doc === null || doc === undefined) continue;
    if (!isRecord(doc)) throw new RegistriesDError(`parsing ${f.path}: expected a mapping at the top level`, f.path);
    const dd = goField(doc, 'default-docker');
    if (dd !== undefined && dd !== null) {
      if (config.defaultDocker !== null) {
        throw new RegistriesDError(`Error parsing signature storage configuration: "default-docker" defined both in "${defaultFrom}" and "${f.path}"`, f.path);
      }
      config.defaultDocker = namespace(dd, f.path, 'default-docker');
      defaultFrom = f.path;
      config.origin.set('default-docker', f.path);
    }
    const docker = goField(doc, 'docker');
    if (docker === undefined || docker === null) continue;
    if (!isRecord(docker)) throw new RegistriesDError(`parsing ${f.path}: "docker" must be a mapping of scopes`, f.path);
    for (const [scope, ns] of Object.entries(docker)) {
      if (config.docker.has(scope)) {
        throw new RegistriesDError(`Error parsing signature storage configuration: "docker" namespace "${scope}" defined both in "${config.origin.get(scope)}" and "${f.path}"`, f.path);
      }
      config.docker.set(scope, ns === null ? {} : namespace(ns, f.path, `docker.${scope}`));
      config.origin.set(scope, f.path);
    }
  }
  return config;
}

/** Go's encoding/json field lookup: the exact key, else a case-insensitive match (ghodss/yaml goes through JSON). */
function goField(o: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(o, key)) return o[key];
  const k = Object.keys(o).find((x) => x.toLowerCase() === key);
  return k === undefined ? undefined : o[k];
}

function namespace(v: unknown, file: string, at: string): RegistryNamespace {
  if (!isRecord(v)) throw new RegistriesDError(`parsing ${file}: ${at} must be a mapping`, file);
  const ns: RegistryNamespace = {};
  for (const [yamlKey, field] of Object.entries(FIELDS)) {
    const val = goField(v, yamlKey);
    if (val === undefined || val === null) continue;
    if (field === 'useSigstoreAttachments') {
      if (typeof val !== 'boolean') throw new RegistriesDError(`parsing ${file}: ${at}.${yamlKey}: expected true or false, got ${JSON.stringify(val)}`, file);
      ns.useSigstoreAttachments = val;
    } else {
      if (typeof val !== 'string') throw new RegistriesDError(`parsing ${file}: ${at}.${yamlKey}: expected a URL string, got ${JSON.stringify(val)}`, file);
      ns[field] = val;
    }
  }
  return ns;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The directory the runtime reads (registriesDirPathWithHomeDir): the flag, else the user's dir if present, else /etc. */
export async function registriesDDir(flag: string | undefined, home = homedir()): Promise<string> {
  if (flag) return flag;
  const user = join(home, '.config/containers/registries.d');
  try {
    await readdir(user);
    return user;
  } catch {
    return SYSTEM_REGISTRIES_D;
  }
}

/** Reads every `*.yaml` in `dir` (a missing dir is an empty config, as upstream). Sorted by name for stable errors. */
export async function loadRegistriesD(dir: string): Promise<RegistriesDConfig> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return parseRegistriesD([]);
    throw e;
  }
  const files = [];
  for (const n of names.filter((x) => x.endsWith('.yaml')).sort()) {
    const path = join(dir, n);
    files.push({ path, text: await readFile(path, 'utf8') });
  }
  return parseRegistriesD(files);
}

export interface ScopeChoice {
  /** The scope key that decided (`default-docker` for the default), or null when none did. */
  scope: string | null;
}

function toRef(ref: string | DockerRef): DockerRef {
  return typeof ref === 'string' ? parseDockerTransportRef(ref) : ref;
}

/** Scopes in the order the runtime tries them: exact identity, namespaces, then `default-docker`. */
function* candidates(config: RegistriesDConfig, ref: DockerRef): Generator<[string, RegistryNamespace]> {
  for (const key of [policyIdentity(ref), ...policyNamespaces(ref)]) {
    const ns = config.docker.get(key);
    if (ns !== undefined) yield [key, ns];
  }
  if (config.defaultDocker !== null) yield ['default-docker', config.defaultDocker];
}

function topLevel(ns: RegistryNamespace, write: boolean): string | undefined {
  if (write) {
    if (ns.lookasideStaging) return ns.lookasideStaging;
    if (ns.sigstoreStaging) return ns.sigstoreStaging;
  }
  return ns.lookaside || ns.sigstore || undefined;
}

export interface LookasideBase {
  /** The store URL plus `/<repository path>`, e.g. `file:///var/lib/containers/sigstore/lib/hello`. */
  url: string;
  /** The scope that supplied the store, or null when the built-in default applied. */
  scope: string | null;
}

/**
 * `lookasideStorageBaseURL` for the physical reference (with tag or digest; `:latest` is added to a bare name).
 * `builtinDefault` is used when no scope names a store (upstream: root's /var/lib/containers/sigstore,
 * rootless ~/.local/share/containers/sigstore).
 */
export function lookasideFor(config: RegistriesDConfig, physicalRef: string | DockerRef, opts: { write?: boolean; builtinDefault?: string } = {}): LookasideBase {
  const ref = toRef(physicalRef);
  let store: string | undefined;
  let scope: string | null = null;
  for (const [key, ns] of candidates(config, ref)) {
    store = topLevel(ns, opts.write === true);
    if (store !== undefined) {
      scope = key;
      break;
    }
  }
  if (store === undefined) store = opts.builtinDefault ?? (process.getuid?.() === 0 ? DEFAULT_LOOKASIDE_ROOT : defaultLookasideUser());
  let u: URL;
  try {
    u = new URL(store);
  } catch (e) {
    throw new RegistriesDError(`Invalid signature storage URL ${store}: ${(e as Error).message}`, config.origin.get(scope ?? '') ?? '');
  }
  // url.Path + "/" + repo: appended to the path, query and fragment kept where they were. Go's Path is "" for
  // `http://host:port` where WHATWG URL says "/", which would give `//repo`.
  const goPath = /^[^:/?#]+:\/\/[^/?#]*(?:[?#]|$)/.test(store) ? '' : u.pathname;
  u.pathname = goPath + '/' + ref.path;
  return { url: u.href, scope };
}

/** `useSigstoreAttachments`: the first scope (most specific first) that SETS the field decides; default false. */
export function useSigstoreAttachments(config: RegistriesDConfig, physicalRef: string | DockerRef): boolean {
  for (const [, ns] of candidates(config, toRef(physicalRef))) {
    if (ns.useSigstoreAttachments !== undefined) return ns.useSigstoreAttachments;
  }
  return false;
}
